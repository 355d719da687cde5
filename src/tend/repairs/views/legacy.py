"""Moving private data written before end-to-end encryption to the new scheme, on its
owner's device (issue 12).

`LegacyPrivate` holds it, encrypted at rest with the server's keys as it always was. On
the owner's next page with their key unlocked, `private.js` asks here for their own rows
(GET: only the signed-in person's, never anyone else's), seals each on the device, and
posts the envelopes back (POST); the server stores them where they belong and deletes
the old copy. Nothing here is logged.
"""

import json
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tend.core.e2e import is_envelope
from tend.core.http import json_object
from tend.repairs.models import Entry, LegacyPrivate, PracticeSession

# At most this many rows in one answer: a long history moves over a few page loads.
BATCH = 50
MAX_ID = 2**63 - 1  # the largest id a row can have (a 64-bit integer, on both databases)
SEALED_PARTICIPATION = ("notice", "marks", "readiness", "considerations")


def _parts(row: LegacyPrivate, user_id: int) -> list[dict[str, Any]]:
    """What the device seals for one row: each part with its kind, `aad` and value."""
    repair = f"repair-{row.participation.repair_id}"
    kind, _sep, name = row.key.partition(":")
    if kind == "entry":
        aad = f"{user_id}:entry:{name}:{repair}"
        return [{"name": "text", "kind": "text", "aad": aad, "value": row.text}]
    value = json.loads(row.text)
    if kind == "participation":
        aad = f"{user_id}:participation:{name}:{repair}"
        return [{"name": name, "kind": "json", "aad": aad, "value": value}]
    # A practice: which, and how strong before (one envelope) and after (another).
    aad = f"{user_id}:practice:{repair}"
    parts = [
        {
            "name": "before",
            "kind": "json",
            "aad": aad,
            "value": {"practice": value.get("practice"), "intensity": value.get("before")},
        }
    ]
    if value.get("after") is not None:
        parts.append(
            {"name": "after", "kind": "json", "aad": aad, "value": {"intensity": value["after"]}}
        )
    return parts


def _store(row: LegacyPrivate, sealed: dict[str, str]) -> bool:
    kind, _sep, name = row.key.partition(":")
    participation = row.participation
    if kind == "entry" and is_envelope(sealed.get("text")):
        entry, _created = Entry.objects.get_or_create(participation=participation, key=name)
        if not entry.text:  # a newer answer written since wins over the old one
            entry.text = sealed["text"]
            entry.save(update_fields=["text"])
        return True
    if kind == "participation" and name in SEALED_PARTICIPATION:
        if not is_envelope(sealed.get(name)):
            return False
        if not getattr(participation, name):
            setattr(participation, name, sealed[name])
            participation.save(update_fields=[name])
        return True
    if kind == "practice" and name.isdigit():
        if not is_envelope(sealed.get("before")):
            return False
        after = sealed.get("after", "")
        if after and not is_envelope(after):
            return False
        PracticeSession.objects.filter(pk=int(name), participation=participation).update(
            before=sealed["before"], after=after
        )
        return True
    return False


def _row_id(item: object) -> int | None:
    """The id an item names, if it can be one: a whole number in the ids' range (not
    a string, a list, true, 1.5 or 1e309, which would fail the query, not just miss)."""
    row_id = item.get("id") if isinstance(item, dict) else None
    if isinstance(row_id, int) and not isinstance(row_id, bool) and 0 < row_id <= MAX_ID:
        return row_id
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def legacy(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own old private rows, to seal on their device; and back."""
    mine = LegacyPrivate.objects.filter(participation__user=request.user).select_related(
        "participation"
    )
    if request.method == "GET":
        rows = list(mine.order_by("pk")[:BATCH])
        items = [{"id": r.pk, "parts": _parts(r, request.user.pk)} for r in rows]
        return JsonResponse({"items": items, "more": mine.count() > len(rows)})
    posted = json_object(request)
    items = posted.get("items") if posted else None
    if not isinstance(items, list):
        return JsonResponse({"error": "Please send the sealed items as JSON."}, status=400)
    done = 0
    with transaction.atomic():
        rows = {r.pk: r for r in mine.filter(pk__in={_row_id(i) for i in items} - {None})}
        for item in items:
            row = rows.get(_row_id(item))
            sealed = item.get("sealed") if row is not None else None
            if row is None or not isinstance(sealed, dict):
                continue
            if _store(row, sealed):
                row.delete()  # the old, server-readable copy goes
                done += 1
    return JsonResponse({"moved": done, "left": mine.count()})
