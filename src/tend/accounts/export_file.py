"""The export as a file: a zip of the data as JSON and the same as a readable page."""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from tend.accounts.export import collect
from tend.accounts.models import User

JSON_NAME = "tend-export.json"
HTML_NAME = "tend-export.html"


def build(user: User) -> tuple[str, bytes]:
    """The file name and the zip's bytes. Times in the HTML are in the person's zone
    (the view runs with it active); the JSON keeps them in UTC, with their offset."""
    data = collect(user)
    as_json = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    # Autoescaped like every page: what people wrote is text, never markup, also here.
    as_html = render_to_string(
        "accounts/export_file.html", {"data": data, "zone": timezone.get_current_timezone_name()}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, as_json)
        archive.writestr(HTML_NAME, as_html)
    name = f"tend-export-{timezone.localdate():%Y-%m-%d}.zip"
    return name, buffer.getvalue()
