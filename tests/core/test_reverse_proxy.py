"""tend behind nginx, configured exactly as docs/operations.md says.

A real `tend serve --proxy-headers` in production mode, and nginx in front of it with
the documented site (its own ports and a throw-away certificate instead of the real
ones), both on loopback. Clients connect from other loopback addresses (127.0.0.2, …),
so the address tend sees can be told from the proxy's (127.0.0.1).

nginx is required, like Chromium: .ci/run installs it; a missing one fails the test.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import os
import queue
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

from tests.e2e.servers import free_port, fresh_database, run_server, server_env

ROOT = Path(__file__).resolve().parents[2]
NGINX = Path(os.environ.get("TEND_TEST_NGINX", shutil.which("nginx") or "/usr/sbin/nginx"))
PASSWORD = "a calm long walk"
WRONG = "not the right one"


@dataclass
class Site:
    url: str  # https, through nginx
    plain_url: str  # http, through nginx

    def client(self, source: str = "127.0.0.2", **headers: str) -> httpx.Client:
        """A browser-like client connecting from `source`, a loopback address."""
        return httpx.Client(
            base_url=self.url,
            transport=httpx.HTTPTransport(local_address=source, verify=False),
            # Django checks the Origin of an HTTPS POST against the Host.
            headers={"Origin": self.url, **headers},
            timeout=20,
        )


def documented_site(tend_port: int, https_port: int, http_port: int, certificate: Path) -> str:
    docs = (ROOT / "docs" / "operations.md").read_text()
    config = re.search(r"```nginx\n(upstream tend.*?)```", docs, re.DOTALL)
    assert config, "docs/operations.md has no nginx site"
    site = config.group(1)
    for documented, here in (
        ("127.0.0.1:8000", f"127.0.0.1:{tend_port}"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("/etc/letsencrypt/live/tend.example.org/fullchain.pem", str(certificate)),
        ("/etc/letsencrypt/live/tend.example.org/privkey.pem", str(certificate)),
    ):
        assert documented in site, documented
        site = site.replace(documented, here)
    return site


def self_signed(path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        certificate.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


@contextlib.contextmanager
def running_nginx(folder: Path, site: str, ports: tuple[int, int]) -> Iterator[None]:
    if not NGINX.exists():
        pytest.fail(
            f"nginx is missing at {NGINX}: this test needs it (on Debian: apt-get install "
            "nginx; .ci/run does that).",
            pytrace=False,
        )
    temporary = folder / "temporary"
    temporary.mkdir(mode=0o777)
    temporary.chmod(0o777)  # workers run as nobody when nginx starts as root
    (folder / "site.conf").write_text(site)
    temp_paths = "\n".join(
        f"  {kind}_temp_path {temporary / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        f"daemon off;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        "events { worker_connections 64; }\n"
        f"http {{\n  access_log {folder / 'access.log'};\n{temp_paths}\n"
        f"  include {folder / 'site.conf'};\n}}\n"
    )
    process = subprocess.Popen(
        [str(NGINX), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while not all(_listening(port) for port in ports):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "error.log").read_text(errors="replace")
                pytest.fail(f"nginx did not start:\n{log}", pytrace=False)
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("behind-nginx")
    folder.chmod(0o755)
    certificate = folder / "site.pem"
    self_signed(certificate)
    https_port, http_port = free_port(), free_port()
    environment = {
        "TEND_ENV": "production",
        "TEND_BEHIND_PROXY": "true",
        "TEND_ALLOWED_HOSTS": "127.0.0.1",
        "TEND_KEEPALIVE_SECONDS": "120",
        "TEND_LOG_LEVEL": "WARNING",
    }
    with contextlib.ExitStack() as stack:
        base_url = os.environ.get("DATABASE_URL")
        database = stack.enter_context(fresh_database(base_url)) if base_url else None
        tend = stack.enter_context(
            run_server(
                server_env(folder / "data", database, **environment),
                folder / "tend.log",
                extra_args=("--proxy-headers",),
            )
        )
        tend_port = int(tend.url.rsplit(":", 1)[1])
        site = documented_site(tend_port, https_port, http_port, certificate)
        stack.enter_context(running_nginx(folder, site, (https_port, http_port)))
        yield Site(f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}")


def _csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def submit(
    client: httpx.Client, path: str, data: dict[str, str], action: str = ""
) -> httpx.Response:
    page = client.get(path)
    assert page.status_code == 200, f"GET {path}: {page.status_code}"
    return client.post(action or path, data={**data, "csrfmiddlewaretoken": _csrf_token(page.text)})


def sign_up(client: httpx.Client, name: str) -> str:
    email = f"{name.lower()}-{secrets.token_hex(4)}@example.test"
    response = submit(
        client, "/signup/", {"display_name": name, "email": email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.text
    return email


def log_in(client: httpx.Client, email: str, password: str) -> httpx.Response:
    return submit(client, "/login/", {"username": email, "password": password})


def test_pages_pass_through_with_their_headers(site: Site) -> None:
    with site.client() as client:
        response = client.get("/login/")

    assert response.status_code == 200
    assert "Log in" in response.text
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cache-Control"].startswith("max-age=0")
    with site.client() as client:
        security = client.get("/.well-known/security.txt")
    assert security.status_code == 200
    assert "Contact: " in security.text


def test_nginx_lets_an_idle_connection_go_before_tend_closes_it() -> None:
    """A kept-alive connection between nginx and tend that tend closes (after
    TEND_IDLE_CONNECTION_SECONDS idle) while nginx sends a request on it fails that
    request; nginx sends a GET again, but not a POST: the person gets a 502 for a form.
    nginx must give such a connection up first."""
    site = documented_site(8000, 443, 80, Path("/dev/null"))
    found = re.search(r"upstream tend \{[^}]*\bkeepalive_timeout (\d+)s;", site)

    assert found, "the upstream block sets no keepalive_timeout (nginx's default is 60 s)"
    assert int(found.group(1)) < settings.SERVER_IDLE_TIMEOUT_SECONDS


def test_plain_http_is_sent_to_https(site: Site) -> None:
    response = httpx.get(f"{site.plain_url}/login/")

    assert response.status_code == 301
    assert response.headers["Location"] == "https://127.0.0.1/login/"


def test_an_event_stream_arrives_unbuffered(site: Site) -> None:
    with site.client() as ada, site.client("127.0.0.3") as ben:
        sign_up(ada, "Ada")
        response = submit(ada, "/r/new/", {"name": "Behind nginx", "kind": "friend"})
        relationship = re.fullmatch(r"/r/(\d+)/", response.headers["location"])
        assert relationship, response.headers["location"]
        path = f"/r/{relationship.group(1)}/"
        invited = submit(ada, path, {}, f"{path}invitations/")
        invitation = re.search(r'id="invite-url"[^>]*value="https://[^/]+([^"]+)"', invited.text)
        assert invitation, "no invitation link"
        sign_up(ben, "Ben")

        lines: queue.Queue[str | BaseException] = queue.Queue()

        def read() -> None:
            try:
                with ada.stream("GET", f"{path}events/?last_event_id=1") as stream:
                    assert stream.status_code == 200, stream.status_code
                    for line in stream.iter_lines():
                        lines.put(line)
            except BaseException as error:  # handed to the test, which fails with it
                lines.put(error)

        threading.Thread(target=read, daemon=True).start()

        def next_line() -> str:
            line = lines.get(timeout=10)
            if isinstance(line, BaseException):
                raise line
            return line

        # The first words arrive at once, though the stream stays open (keep-alive
        # every 120 s here): nginx passes them on rather than filling a buffer.
        assert next_line() == "retry: 3000"
        response = submit(ben, invitation.group(1), {})
        assert response.status_code == 302
        block = [next_line() for _ in range(3)]
        assert block[0] == ""
        assert block[1] == "id: 2"
        assert '"kind": "member_joined"' in block[2]


def test_the_login_limits_see_the_clients_own_address(site: Site) -> None:
    with site.client() as setup:
        email = sign_up(setup, "Fay")
    # Wrong passwords from 127.0.0.4, each claiming another address: the fifth makes
    # django-axes pause this account from 127.0.0.4 (the made-up header changed nothing) ...
    with site.client("127.0.0.4") as guesser:
        statuses = []
        for n in range(5):
            guesser.headers["X-Forwarded-For"] = f"203.0.113.{n + 1}"
            statuses.append(log_in(guesser, email, WRONG).status_code)
        guesser.headers["X-Forwarded-For"] = "203.0.113.99"
        statuses.append(log_in(guesser, email, PASSWORD).status_code)
    assert statuses == [400, 400, 400, 400, 429, 429]
    # ... and only from there: the proxy's own address was not the one counted.
    with site.client("127.0.0.5") as owner:
        assert log_in(owner, email, PASSWORD).status_code == 302


def test_the_account_is_slowed_across_addresses(site: Site) -> None:
    with site.client() as setup:
        email = sign_up(setup, "Gus")
    with site.client("127.0.2.1") as owner:
        token = _csrf_token(owner.get("/login/").text)
        # Wrong passwords, each from another address. After the tenth, the account's wait
        # begins (one second, doubling): a guess inside it is answered 429 unchecked, so
        # the guesser waits as told. Twelve counted failures make a four-second wait, long
        # enough for the right password to surely arrive inside it on a busy machine.
        counted = 0
        for n in range(40):
            with site.client(f"127.0.1.{n + 1}") as guesser:
                guess = log_in(guesser, email, WRONG)
            if guess.status_code == 429:
                time.sleep(int(guess.headers["Retry-After"]))
                continue
            assert guess.status_code == 400
            counted += 1
            if counted == 12:
                break
        assert counted == 12
        response = owner.post(
            "/login/",
            data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )

    assert response.status_code == 429
    assert "Please wait" in response.text  # inside the wait, the right one confirms nothing
