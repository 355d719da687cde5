"""Which language tend speaks to a person, and the footer's chooser that changes it.

Signed out: the browser's Accept-Language on the first visit (Django's LocaleMiddleware),
then the chooser's cookie. Signed in: the language kept on the account (set from the
browser at sign-up), which wins over both, so that a person meets their own language on
every device, and everything sent to them (emails, push, calendar files) uses it too.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tend.accounts import sessions
from tend.accounts.models import User
from tend.core.http import safe_next


def offered() -> dict[str, str]:
    return dict(settings.LANGUAGES)


def of_request(request: HttpRequest) -> str:
    """The language the request is being answered in (one tend offers)."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return settings.LANGUAGE_CODE


def apply(request: HttpRequest, user: User) -> None:
    """Answers this request in the person's own language."""
    language = user.speaks
    translation.activate(language)
    request.LANGUAGE_CODE = language  # type: ignore[attr-defined]


def remember(response: HttpResponse, language: str) -> None:
    """The cookie LocaleMiddleware reads: the choice also holds after signing out."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@login_not_required
@require_POST
def choose(request: HttpRequest) -> HttpResponse:
    """The footer's form: a plain POST, so it works without script and signed out."""
    language = request.POST.get("language", "")
    if language not in offered():
        return HttpResponseBadRequest(_("Please choose a language from the list."))
    # A locked own phone changes only what this browser shows: whoever holds it may read
    # tend in their language, but not change the account.
    if request.user.is_authenticated and not sessions.is_locked(request.session, timezone.now()):
        User.objects.filter(pk=request.user.pk).update(language=language)
    translation.activate(language)
    response = HttpResponseRedirect(safe_next(request) or "/")
    remember(response, language)
    return response
