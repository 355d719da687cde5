import json
import unicodedata
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data for a form, or None on GET.

    Not `request.POST or None`: that treats an empty POST as no submission, giving an
    unbound form that answers 400 without saying what is missing.
    """
    return request.POST if request.method == "POST" else None


def safe_next(request: HttpRequest) -> str | None:
    """The `next` page a form should go on to, if it is a path on this site; else None.

    Only a path starting with a single "/" is taken. Anything else is refused: another
    site, or a bare word such as "NaN", which `redirect()` looks up as a view name and
    raises on. Control characters are refused too: a header cannot hold them.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        not target.startswith("/")
        or target.startswith("//")
        or len(target) > 2000
        or not text_is_clean(target)
        or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return None
    return target


def text_is_clean(text: str) -> bool:
    """No control characters (NUL and line breaks among them) and no lone surrogates.

    A JSON body can carry both ("\\u0000", "\\ud800"), unlike a form, whose bytes Django
    decodes with replacement: PostgreSQL refuses NUL in text, and a lone surrogate
    cannot be encoded to store or to show.
    """
    return not any(unicodedata.category(character) in {"Cc", "Cs"} for character in text)


# Deeper than any body the app's scripts send (a few levels); what reads the data after
# (the views, the WebAuthn library) may walk it recursively.
JSON_MAX_DEPTH = 32


def json_object(request: HttpRequest) -> dict[str, Any] | None:
    """The request's JSON body if it is an object, nested at most JSON_MAX_DEPTH deep,
    whose every string is clean, else None."""
    try:
        data = json.loads(request.body or b"{}", parse_constant=_no_constant)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than it parses
        return None
    return data if isinstance(data, dict) and _shallow_and_clean(data) else None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python's extension


def _shallow_and_clean(value: object) -> bool:
    # A walk with its own stack: recursion would fail on a body nested thousands deep.
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not text_is_clean(item):
                return False
        elif depth >= JSON_MAX_DEPTH and isinstance(item, dict | list):
            return False
        elif isinstance(item, dict):
            stack.extend((part, depth + 1) for pair in item.items() for part in pair)
        elif isinstance(item, list):
            stack.extend((part, depth + 1) for part in item)
    return True
