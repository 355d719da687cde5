"""Your data: taking all of it with you."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tend.accounts import export_file
from tend.accounts.forms import ExportForm
from tend.core.http import posted


@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.user, posted(request), request=request)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        name, content = export_file.build(request.user)  # type: ignore[arg-type]
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        # Private writing: no cache, shared proxy or back button may keep a copy.
        response["Cache-Control"] = "no-store"
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/export.html", {"form": form}, status=status)
