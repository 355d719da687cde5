from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils import timezone
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from tend.accounts import languages, lock, sessions
from tend.accounts.throttle import PasswordWait


class SessionSafetyMiddleware(MiddlewareMixin):
    """Ends sessions past their idle or absolute timeout, and keeps the device list.

    Sits after AuthenticationMiddleware (it needs the user) and MessageMiddleware (the
    kind message on the login page travels in a message). A MiddlewareMixin, like every
    middleware of tend: under ASGI the chain then stays asynchronous, and a request the
    client drops mid-way cannot leave a dead executor behind in its context.
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        if request.user.is_authenticated:
            now = timezone.now()
            if sessions.timed_out(request.session, now):
                return _sign_out(request)
            if sessions.is_locked(request.session, now):
                sessions.lock(request)
                if not lock.reachable(request.path_info):
                    return _to_unlock(request)
            sessions.touch(request, now, active=not _fetched_by_the_page(request))
        return None


def _fetched_by_the_page(request: HttpRequest) -> bool:
    # The live stream and the htmx GETs it triggers happen without anyone touching the
    # phone. (Read from the headers: HtmxMiddleware runs after this one.)
    return _is_stream(request) or (
        request.method == "GET" and request.headers.get("HX-Request") == "true"
    )


def _is_stream(request: HttpRequest) -> bool:
    return "text/event-stream" in request.headers.get("Accept", "")


def _sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(
        request,
        _("For your privacy you were signed out after a while. Please log in again."),
    )
    if _is_stream(request):
        # tend.js reloads the page on "closed"; the reload then lands on the login page.
        return HttpResponse('data: {"kind": "closed"}\n\n', content_type="text/event-stream")
    if request.headers.get("HX-Request") == "true":
        # A fragment must not be swapped in for a login page: htmx takes the whole page
        # there instead, and back to the page it showed after logging in.
        response = HttpResponse(status=200)
        response["HX-Redirect"] = _login_url(_safe(request, _page_of(request)))
        return response
    here = request.get_full_path() if request.method == "GET" else None
    return HttpResponseRedirect(_login_url(_safe(request, here)))


def _to_unlock(request: HttpRequest) -> HttpResponse:
    """A locked own phone: the private page waits for the unlock, then comes back."""
    unlock = resolve_url("unlock")
    if _is_stream(request):
        return HttpResponse('data: {"kind": "closed"}\n\n', content_type="text/event-stream")
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=200)
        response["HX-Redirect"] = _with_next(unlock, _safe(request, _page_of(request)))
        return response
    # A form sent from a page opened before the lock: back to that page (what it sent is
    # not sent again; the person sends it once unlocked).
    here = (
        request.get_full_path()
        if request.method == "GET"
        else _path_of(request.headers.get("Referer", ""))
    )
    return HttpResponseRedirect(_with_next(unlock, _safe(request, here)))


def _with_next(url: str, target: str | None) -> str:
    return f"{url}?{urlencode({'next': target})}" if target else url


def _page_of(request: HttpRequest) -> str | None:
    return _path_of(request.headers.get("HX-Current-URL", ""))


def _path_of(current: str) -> str | None:
    if not current:
        return None
    parts = urlsplit(current)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _safe(request: HttpRequest, target: str | None) -> str | None:
    login = resolve_url(settings.LOGIN_URL)
    if not target or target.startswith(login):
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return None
    return target


def _login_url(target: str | None) -> str:
    login = resolve_url(settings.LOGIN_URL)
    return redirect_to_login(target, login)["Location"] if target else login


class PasswordWaitMiddleware(MiddlewareMixin):
    """Answers a password tried during the account's wait (tend.accounts.throttle).

    Every path that checks a password raises the same PasswordWait, so they all answer
    alike: 429, a Retry-After header, and a page saying how long to wait.
    """

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PasswordWait):
            return None
        response = render(request, "accounts/wait.html", {"seconds": exception.seconds}, status=429)
        response["Retry-After"] = str(exception.seconds)
        return response


class AccountLanguageMiddleware(MiddlewareMixin):
    """A signed-in person is answered in the language kept on their account.

    After LocaleMiddleware (which chose from the cookie or Accept-Language) and
    AuthenticationMiddleware: the account's choice wins, so it holds on every device
    from the moment they sign in.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.user.is_authenticated:
            languages.apply(request, request.user)  # type: ignore[arg-type]
