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


def json_object(request: HttpRequest) -> dict[str, Any] | None:
    """The request's JSON body if it is an object whose every string is clean, else None."""
    try:
        data = json.loads(request.body or b"{}", parse_constant=_no_constant)
    except ValueError:
        return None
    return data if isinstance(data, dict) and _all_clean(data) else None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python's extension


def _all_clean(value: object) -> bool:
    if isinstance(value, str):
        return text_is_clean(value)
    if isinstance(value, dict):
        return all(_all_clean(key) and _all_clean(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_all_clean(item) for item in value)
    return True
