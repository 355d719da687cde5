"""Static files and pages on the wire: hashed names cached for good, gzip and Brotli,
compressed pages but never a compressed event stream, and a first visit under 30 KB."""

import gzip
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import brotli
import pytest
from django.http import StreamingHttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from tend.core import static
from tend.core.compression import PageCompressionMiddleware
from tests.accounts.helpers import signed_in as signed_in_by_form
from tests.conftest import Cast, client_for

# What Chromium sends with every request.
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"
HASHED = re.compile(r"^/static/.+\.[0-9a-f]{12}\.\w+$")
FIRST_VISIT_BUDGET = 30_000  # bytes on the wire for a page and all it loads


class _Assets(HTMLParser):
    """What a browser fetches for a page: scripts, stylesheets, the icon, the manifest."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.icons: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        rel = set(attributes.get("rel", "").split())
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        elif tag == "link" and rel & {"stylesheet", "manifest", "preload", "modulepreload"}:
            self.urls.append(attributes["href"])
        elif tag == "link" and "icon" in rel:
            self.icons.append(attributes["href"])


def assets_of(page: bytes) -> _Assets:
    parser = _Assets()
    parser.feed(page.decode())
    return parser


def pages(cast: Cast) -> list[tuple[Client, str]]:
    ada = client_for(cast.ada)
    return [
        (Client(), reverse("landing")),
        (Client(), reverse("login")),
        (Client(), reverse("signup")),
        (Client(), reverse("help")),
        (ada, reverse("home")),
        (ada, f"/r/{cast.us.pk}/"),
        (ada, f"/r/{cast.us.pk}/repairs/{cast.repair.pk}/"),
    ]


def test_pages_name_their_static_files_by_content_hash(cast: Cast) -> None:
    for client, url in pages(cast):
        found = assets_of(client.get(url).content)
        assert found.urls and found.icons, url
        for asset in found.urls + found.icons:
            assert HASHED.match(asset), (url, asset)


def test_hashed_static_files_are_cached_for_good(client: Client) -> None:
    found = assets_of(client.get(reverse("landing")).content)

    for asset in found.urls + found.icons:
        response = client.get(asset)
        assert response.status_code == 200, asset
        cache_control = response["Cache-Control"]
        assert "immutable" in cache_control, asset
        max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))  # type: ignore[union-attr]
        assert max_age >= 365 * 24 * 60 * 60, asset


@pytest.mark.parametrize(
    ("accepted", "encoding", "decode"),
    [
        (BROWSER_ENCODINGS, "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("", None, lambda body: body),
    ],
)
def test_static_files_come_compressed_as_the_browser_accepts(
    client: Client, accepted: str, encoding: str | None, decode
) -> None:
    script = next(url for url in assets_of(client.get("/").content).urls if "/vendor/htmx-" in url)
    plain = client.get(script).content

    response = client.get(script, HTTP_ACCEPT_ENCODING=accepted)

    assert response.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response["Vary"]
    assert decode(response.content) == plain
    if encoding:
        assert len(response.content) < len(plain) / 2


def test_pages_come_gzipped_with_random_padding(cast: Cast) -> None:
    ada = client_for(cast.ada)
    url = f"/r/{cast.us.pk}/repairs/{cast.repair.pk}/"
    plain = ada.get(url)

    lengths = set()
    for _ in range(8):
        response = ada.get(url, HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert "no-store" in response["Cache-Control"]
        assert gzip.decompress(response.content).startswith(b"<!doctype html>")
        lengths.add(len(response.content))

    assert "Content-Encoding" not in plain
    # Heal the Breach: the length varies from one response to the next.
    assert len(lengths) > 1


def test_an_event_stream_is_never_compressed() -> None:
    request = RequestFactory().get("/r/1/events/", HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)
    stream = StreamingHttpResponse(iter([b"retry: 3000\n\n"]), content_type="text/event-stream")

    response = PageCompressionMiddleware(lambda request: stream)(request)

    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content) == b"retry: 3000\n\n"


def _first_visit(
    client: Client, url: str, cached: frozenset[str] = frozenset()
) -> tuple[int, set[str]]:
    """As Chromium counts it: the page and everything it loads that is not in its cache,
    each as compressed as Chromium accepts, and of the two icons the SVG one (the .ico
    link names its size, so Chromium takes the SVG). Also returns what it loaded."""
    page = client.get(url, HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)
    assert page.status_code == 200, url
    found = assets_of(gzip.decompress(page.content))
    icon = next(icon for icon in found.icons if icon.endswith(".svg"))
    loaded = {*found.urls, icon}
    total = len(page.content)
    for asset in loaded - cached:
        response = Client().get(asset, HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)
        assert response.status_code == 200, asset
        total += len(response.content)
    return total, loaded


def test_a_first_visit_to_each_main_page_weighs_under_30_kb(cast: Cast) -> None:
    """With an empty cache, signed out and signed in alike: a signed-in page need not
    follow the sign-in page (a bookmark, a link in a notification, a browser that dropped
    its cache). The repair page too, with the key's and the private notes' scripts. Only
    the first page after signing in, which takes the key over (vault-panel.js), counts
    what the sign-in or sign-up page did not already load (its files are cached for
    good)."""
    visits = [(client, url, "_auth_user_id" in client.session) for client, url in pages(cast)]
    weights = {}
    ways_in = []
    for client, url, signed_in in visits:
        if not signed_in:
            weights[url], loaded = _first_visit(client, url)
            if url in (reverse("login"), reverse("signup")):
                ways_in.append(loaded)
    cached = frozenset(set.intersection(*ways_in))  # whichever way in was taken

    just_in = signed_in_by_form(cast.dee)
    weights["after signing in"], loaded = _first_visit(just_in, reverse("home"), cached)
    assert any("/js/vault-panel." in url for url in loaded)

    for client, url, signed_in in visits:
        if signed_in:
            weights[url], _loaded = _first_visit(client, url)

    heavy = {url: weight for url, weight in weights.items() if weight > FIRST_VISIT_BUDGET}
    assert not heavy, weights


def _collected_stylesheet(tmp_path, settings, text: str) -> Path:  # type: ignore[no-untyped-def]
    """One stylesheet as the only source, collected once; its source's path."""
    source = tmp_path / "source" / "tend" / "page.css"
    source.parent.mkdir(parents=True)
    source.write_text(text)
    settings.STATICFILES_DIRS = [tmp_path / "source"]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "collected"
    assert static.collect()
    return source


def test_static_files_are_collected_again_only_when_a_source_changes(tmp_path, settings) -> None:
    source = _collected_stylesheet(tmp_path, settings, "body { margin: 0; }\n" * 50)
    collected = {path.name for path in (tmp_path / "collected" / "tend").iterdir()}
    hashed = next(name for name in collected if re.fullmatch(r"page\.[0-9a-f]{12}\.css", name))
    assert {f"{hashed}.gz", f"{hashed}.br"} <= collected

    assert not static.collect()  # nothing changed: no second collection

    source.write_text("body { margin: 1rem; }\n" * 50)
    assert static.collect()


def test_static_files_are_collected_again_when_the_folder_was_removed(tmp_path, settings) -> None:
    _collected_stylesheet(tmp_path, settings, "body { margin: 0; }\n")

    shutil.rmtree(tmp_path / "collected")  # as a clean-up of the data folder might

    assert static.collect()
    assert (tmp_path / "collected" / "staticfiles.json").exists()


def test_static_files_are_collected_again_when_the_minifier_changes(
    tmp_path, settings, monkeypatch
) -> None:
    _collected_stylesheet(tmp_path, settings, "body { margin: 0; }\n")

    newer = tmp_path / "static.py"
    newer.write_text(Path(static.__file__).read_text() + "\n# a newer minifier\n")
    monkeypatch.setattr(static, "__file__", str(newer))

    assert static.collect()


def test_scripts_are_stored_with_short_local_names_and_their_globals_kept() -> None:
    source = """
    (function () {
      "use strict";
      // Why this is here.
      var sealedEnvelope = "x";
      function openEnvelope(envelopeText) { return envelopeText + sealedEnvelope; }
      window.tendExample = { open: openEnvelope };
    })();
    """
    stored = static.minify_script(source)
    assert "sealedEnvelope" not in stored and "envelopeText" not in stored
    assert "openEnvelope" not in stored
    assert "window.tendExample" in stored and "open:" in stored
    assert '"use strict"' in stored and "Why this" not in stored


def test_a_script_newer_than_es5_is_stripped_not_renamed() -> None:
    stored = static.minify_script("const sealedEnvelope = () => `x`; // a comment\n")
    assert stored == "const sealedEnvelope=()=>`x`;"


def test_each_collected_script_of_tends_own_is_renamed() -> None:
    # ES5 throughout: a script the renamer could not read would only be stripped.
    import rjsmin
    from calmjs.parse import es5

    for path in sorted((Path(static.__file__).parents[1] / "static/tend/js").glob("*.js")):
        text = path.read_text()
        es5(text)  # raises on anything newer than ES5
        assert len(static.minify_script(text)) < len(rjsmin.jsmin(text)), path.name


def test_the_stored_scripts_are_the_same_from_every_process() -> None:
    # A release's published hash of the static files (docs/keys.md) must be one that
    # anyone's server reproduces: the renaming may not depend on hash seeds.
    program = (
        "import pathlib, hashlib; from tend.core.static import minify_script; "
        "print(hashlib.sha256(''.join(minify_script(p.read_text()) for p in "
        f"sorted(pathlib.Path({str(Path(static.__file__).parents[1] / 'static/tend/js')!r})"
        ".glob('*.js'))).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", program],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1
