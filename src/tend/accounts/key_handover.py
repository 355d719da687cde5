"""The page after a sign-in or an unlock takes the private-data key over (docs/keys.md).

Most signed-in pages do not load the key's scripts (a first visit stays light); the
page that follows a sign-in or an unlock must, whatever it is: the sign-in form left
a wrapping key on the device for it (or, at the first sign-in, the key is made there).
The sign-in's response says so with a cookie, and the first page that takes the key
over removes it: a flag of nothing secret (a page that loads the scripts needlessly
costs only their weight), so that reading a page never writes the session.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

COOKIE = "tend_key_left"
# The sign-in form's wrapping key is not used after 10 minutes (vault-panel.js).
COOKIE_FOR_SECONDS = 10 * 60
_LEFT = "_tend_key_left"
_TAKEN = "_tend_key_taken"


def left(request: HttpRequest) -> None:
    """A sign-in or an unlock: the next page takes the key over."""
    setattr(request, _LEFT, True)


def take(request: HttpRequest) -> bool:
    """True on the page that takes the key over: it carries the key's scripts."""
    if request.COOKIES.get(COOKIE) != "1" or getattr(request, _LEFT, False):
        return False
    setattr(request, _TAKEN, True)
    return True


class KeyHandoverMiddleware(MiddlewareMixin):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(request, _LEFT, False):
            response.set_cookie(
                COOKIE,
                "1",
                max_age=COOKIE_FOR_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif getattr(request, _TAKEN, False):
            response.delete_cookie(COOKIE, samesite="Lax")
        return response
