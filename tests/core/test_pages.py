"""Every page: security headers, no inline script or style, nothing from another origin.

The pages crawled are those the access matrix says each member of the cast may open,
so a new page is checked here as soon as it has an access test.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast, client_for
from tests.test_access import PEOPLE, ROUTES

# Scripts the browser runs; a JSON data block (`json_script`) is not run, so CSP allows it.
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


class PageProblems(HTMLParser):
    """Collects what a strict CSP would block, or what would reach another origin."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        for name, value in attributes.items():
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>: {value!r}")
            if name.startswith("on"):
                self.problems.append(f"inline event handler {name} on <{tag}>")
            if name in {"href", "src", "action", "formaction"} and value.strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL in <{tag} {name}>")
            local = value.startswith("/") and not value.startswith("//")
            same_origin = local or (tag == "img" and value.startswith("data:"))
            if name in {"src", "srcset", "poster", "data"} and tag != "script" and not same_origin:
                self.problems.append(f"<{tag} {name}={value!r}> is not same-origin")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            kind = attributes.get("type", "").strip().lower()
            if "src" in attributes:
                if not attributes["src"].startswith("/static/"):  # also rules out //host
                    self.problems.append(f"script from outside /static/: {attributes['src']!r}")
                self._in_script = None
            elif kind in EXECUTABLE_SCRIPT_TYPES:
                self._in_script = "inline"
            else:
                self._in_script = None
        if tag == "link":
            rel = set(attributes.get("rel", "").lower().split())
            if rel & {"stylesheet", "preload", "modulepreload", "icon", "manifest"}:
                href = attributes.get("href", "")
                if not href.startswith("/static/"):
                    self.problems.append(f"<link rel={sorted(rel)}> outside /static/: {href!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script == "inline":
            if data.strip():
                self.problems.append(f"inline script: {data.strip()[:60]!r}")
            else:
                self.problems.append("a <script> without src")
            self._in_script = None


def problems_in(html: str) -> list[str]:
    parser = PageProblems()
    parser.feed(html)
    parser.close()
    return parser.problems


def pages_of_the_cast() -> list[tuple[str, str]]:
    return [
        (name, person)
        for name, route in ROUTES.items()
        if route.html and not route.streaming
        for person in PEOPLE
        if route.get.get(person) == 200
    ]


@pytest.mark.parametrize(("route_name", "person"), pages_of_the_cast())
def test_no_page_has_inline_script_or_style_or_another_origin(
    cast: Cast, route_name: str, person: str
) -> None:
    response = client_for(cast.people()[person]).get(ROUTES[route_name].url(cast))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert problems_in(response.content.decode()) == []


def test_the_not_found_page_is_clean_too(cast: Cast) -> None:
    response = client_for(cast.dee).get(reverse("relationship", args=[cast.us.pk]))

    assert response.status_code == 404
    assert problems_in(response.content.decode()) == []


def test_the_checker_notices_what_it_should() -> None:
    found = problems_in(
        '<div style="color:red" onclick="x()"><script>alert(1)</script>'
        '<script src="https://cdn.example/x.js"></script>'
        '<link rel="stylesheet" href="https://fonts.example/a.css"><style>p{}</style>'
        '<img src="https://tracker.example/p.gif"><a href="javascript:void(0)">x</a>'
        '<script type="application/json">{"ok": true}</script></div>'
    )

    assert len(found) == 8, found


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("person", ["ada", "anonymous"])
def test_pages_send_strict_security_headers(cast: Cast, person: str) -> None:
    url = reverse("home") if person == "ada" else reverse("landing")

    response = client_for(cast.people()[person]).get(url)

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    directives = csp_directives(csp)
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_signed_in_page_is_never_stored(cast: Cast) -> None:
    response = client_for(cast.ada).get(reverse("relationship", args=[cast.us.pk]))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_fragments_are_never_stored_either(cast: Cast) -> None:
    response = client_for(cast.ada).get(
        reverse("relationship_members", args=[cast.us.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_static_files_are_served_from_static(client: Client) -> None:
    page = client.get(reverse("landing")).content.decode()
    parser = _Collect()
    parser.feed(page)

    assert parser.assets, "the landing page links no script or stylesheet"
    for asset in parser.assets:
        assert asset.startswith("/static/")


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"] or "")
        if tag == "link" and "stylesheet" in (attributes.get("rel") or ""):
            self.assets.append(attributes.get("href") or "")
