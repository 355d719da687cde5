from datetime import timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "core/landing.html")


@cache
def _favicon_bytes() -> bytes:
    return (Path(__file__).resolve().parent.parent / "static/tend/icons/favicon.ico").read_bytes()


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """The icon some browsers and tools ask for at this fixed address, whatever the page
    links (a few hundred bytes, so no file stream)."""
    return HttpResponse(_favicon_bytes(), content_type="image/vnd.microsoft.icon")


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """How to report a security problem to whoever runs this server (RFC 9116)."""
    # Computed on each request, so it never goes stale; under a year, as the RFC asks.
    expires = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
        days=180
    )
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires:%Y-%m-%dT%H:%M:%SZ}",
        # The language of whoever reads the reports, not the app's: the default one.
        f"Preferred-Languages: {settings.LANGUAGE_CODE}",
    ]
    if settings.SITE_ORIGIN.startswith("https://"):
        lines.append(f"Canonical: {settings.SITE_ORIGIN}/.well-known/security.txt")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
