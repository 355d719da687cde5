"""Quick exit and "Get help now" on every page, signed in or not (server side).

The browser behaviour (replace, Esc three times, no JavaScript, 320px) is in
test_quick_exit_browser.py.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.conftest import Cast

DEFAULT_EXIT = "https://www.bbc.com/weather"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
CARE_TEMPLATES = [
    TEMPLATES / "base.html",
    *sorted((TEMPLATES / "care").glob("*.html")),
    TEMPLATES / "core" / "landing.html",
    TEMPLATES / "accounts" / "signup.html",
]


def assert_has_care_bar(html: str, exit_url: str = DEFAULT_EXIT) -> None:
    link = re.search(r'<a class="quick-exit"[^>]*>', html)
    assert link, "no quick-exit link"
    tag = link.group()
    assert f'href="{exit_url}"' in tag
    assert f'data-quick-exit="{exit_url}"' in tag
    assert 'rel="noreferrer"' in tag
    assert 'aria-describedby="quick-exit-about"' in tag
    about = re.search(r'<span id="quick-exit-about" class="visually-hidden">([^<]*)</span>', html)
    assert about and "does not clear your browser history" in about.group(1)
    assert re.search(r'<a class="care-help" href="/help/">Get help now</a>', html)
    # The script's name carries its content hash (cached for good).
    assert re.search(r'src="/static/tend/js/quick-exit\.[0-9a-f]{12}\.js"', html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/login/", "/signup/", "/help/", "/password/reset/", "/no/such/page/"]
)
def test_every_logged_out_page_has_quick_exit_and_help(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert_has_care_bar(response.content.decode())


@pytest.mark.parametrize("name", ["home", "profile", "relationship", "password_change", "help"])
def test_every_signed_in_page_has_quick_exit_and_help(cast: Cast, as_user, name: str) -> None:
    url = reverse(name, args=[cast.us.pk]) if name == "relationship" else reverse(name)
    response = as_user(cast.ada).get(url)
    assert response.status_code == 200
    assert_has_care_bar(response.content.decode())


@pytest.mark.django_db
def test_the_neutral_site_is_configurable(client: Client, settings) -> None:
    settings.QUICK_EXIT_URL = "https://example.org/news"
    assert_has_care_bar(client.get("/").content.decode(), "https://example.org/news")


def test_pages_rendered_without_a_request_still_leave_for_the_neutral_site() -> None:
    # Django renders the CSRF failure page without context processors.
    from django.views.csrf import csrf_failure

    request = RequestFactory().post("/")
    html = csrf_failure(request).content.decode()
    assert_has_care_bar(html)


def test_the_script_replaces_the_page_after_blanking_it() -> None:
    script = (Path(settings.BASE_DIR) / "static/tend/js/quick-exit.js").read_text()
    assert "window.location.replace(url)" in script
    blank = script.index("document.body.hidden = true")
    assert blank < script.index("window.location.replace(url)")
    assert '"Escape"' in script and "PRESSES = 3" in script and "WITHIN_MS = 1500" in script


@pytest.mark.django_db
def test_the_script_is_served_from_tend_itself(client: Client) -> None:
    url = static("tend/js/quick-exit.js")
    assert re.fullmatch(r"/static/tend/js/quick-exit\.[0-9a-f]{12}\.js", url)
    response = client.get(url)
    assert response.status_code == 200
    html = client.get("/").content.decode()
    # Loaded with its Subresource Integrity digest (tend.core.static.IntegrityMiddleware).
    assert re.search(
        rf'<script src="{re.escape(url)}" defer integrity="sha384-[^"]+"></script>', html
    )


@pytest.mark.parametrize("path", CARE_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_inline_style_or_script(path: Path) -> None:
    source = path.read_text()
    assert not re.search(r"\sstyle=", source)
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", source)
    assert not re.search(r"\son[a-z]+=", source)  # no inline event handlers


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "/home/", "www.example.org", "https://a b"]
)
def test_a_bad_quick_exit_address_stops_start_up(value: str, tmp_path: Path) -> None:
    env = {**os.environ, "TEND_QUICK_EXIT_URL": value, "TEND_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import tend.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "TEND_QUICK_EXIT_URL must be a full http(s) address" in result.stderr


def test_a_good_quick_exit_address_is_taken(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TEND_QUICK_EXIT_URL": "https://example.org/",
        "TEND_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import tend.settings as s; print(s.QUICK_EXIT_URL)"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "https://example.org/", result.stderr
