"""The download of a person's own sealed (end-to-end encrypted) entries, made on their
device: the server hands the person their own ciphertext, with where each belongs; the
browser opens it and saves a file (`private.js`). The server cannot read any of it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tend.repairs import content
from tend.repairs.models import Entry, Participation, PracticeSession

SEALED_PARTS = ("notice", "marks", "readiness", "considerations")


def _prompts() -> dict[str, str]:
    prompts = {f"honor:{p.key}": str(p.text) for p in content.HONOR_PROMPTS}
    prompts |= {f"reflect:{p.key}": str(p.text) for p in content.REFLECT_PROMPTS}
    return prompts | {"notice_words": "In your own words"}


@never_cache
@require_GET
def sealed_export(request: HttpRequest) -> HttpResponse:
    """Only the signed-in person's own rows: it takes no id."""
    user_id = request.user.pk
    items: list[dict[str, object]] = []
    mine = Participation.objects.filter(user_id=user_id).select_related("repair__relationship")
    for part in mine.order_by("repair__opened_at", "pk"):
        where = f"repair-{part.repair_id}"
        about = {
            "relationship": part.repair.relationship.name,
            "opened_at": part.repair.opened_at.isoformat(),
        }
        for name in SEALED_PARTS:
            value = getattr(part, name)
            if value:
                items.append(
                    about
                    | {
                        "what": name,
                        "kind": "json",
                        "aad": f"{user_id}:participation:{name}:{where}",
                    }
                    | {"sealed": value}
                )
    prompts = _prompts()
    entries = Entry.objects.filter(participation__user_id=user_id).exclude(text="")
    for entry in entries.select_related("participation__repair__relationship").order_by("pk"):
        repair = entry.participation.repair
        items.append(
            {
                "relationship": repair.relationship.name,
                "opened_at": repair.opened_at.isoformat(),
                "what": prompts.get(entry.key, entry.key),
                "kind": "text",
                "aad": f"{user_id}:entry:{entry.key}:repair-{repair.pk}",
                "sealed": entry.text,
                "updated_at": entry.updated_at.isoformat(),
            }
        )
    sessions = PracticeSession.objects.filter(participation__user_id=user_id).select_related(
        "participation__repair__relationship"
    )
    for session in sessions.order_by("started_at", "pk"):
        repair = session.participation.repair
        for name in ("before", "after"):
            value = getattr(session, name)
            if value:
                items.append(
                    {
                        "relationship": repair.relationship.name,
                        "opened_at": repair.opened_at.isoformat(),
                        "what": f"practice ({name})",
                        "kind": "json",
                        "aad": f"{user_id}:practice:repair-{repair.pk}",
                        "sealed": value,
                        "started_at": session.started_at.isoformat(),
                    }
                )
    return render(request, "repairs/sealed_export.html", {"items": items})
