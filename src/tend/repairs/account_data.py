"""Repairs' part of a person's export and of deleting their account.

The export holds what the person can see on their screens, never more
(`tend.repairs.visibility`):

- all of their own writing, private or brought, in every repair they took part in;
- of the others, only what the others sent to them: messages, needs, proposed
  times, and, in repairs they joined that reached step 5, what was said there,
  including reflections the others chose to bring;
- only for relationships they are still in (a former member sees nothing of it), and
  of those, no past repair from before they joined unless it was shared with them;
- the commitments of each relationship they are in, with the suggestions and
  check-ins on them (of one they left, only their own commitments and their own
  suggestions and check-ins).

Never another person's private text: their unbrought entries, notice, practices or
considerations are not even read here. The others appear by display name only.

What a person keeps to themselves in steps 1-4 is sealed on their own device
(`tend.core.e2e`): the server cannot read it, so this export cannot hold it. It says so
(`SEALED_NOTE`), holds the copy of each reflection the person brought to the
conversation, and their device makes the full download of their private entries
(`private.js`, on the export page).
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from tend.accounts import contributions
from tend.accounts.models import User
from tend.gardens import account_data as gardens
from tend.gardens.models import Membership
from tend.repairs import content, visibility
from tend.repairs.models import (
    OPEN_STAGES,
    Affirmation,
    AgreementItem,
    Commitment,
    CommitmentCheckIn,
    CommitmentSuggestion,
    NeedRequest,
    Participation,
    Proposal,
    ReconvenePlan,
    Reflection,
    Repair,
    Request,
    RequestAnswer,
    VoiceMessage,
)
from tend.repairs.scene import participants

Data = dict[str, Any]

_OPTIONS: dict[str, Any] = {o.key: o.label for o in (*content.SETTINGS, *content.POSTURES)} | {
    w.key: w.label for w in content.REBOND_WAYS
}


def export(user: User) -> Data:
    return {"repairs": _repairs(user)}


def _commitments(user: User) -> Callable[[Membership], Data]:
    def part(membership: Membership) -> Data:
        commitments = membership.relationship.commitments.prefetch_related(
            "revisions__edited_by", "suggestions__suggested_by", "check_ins__person"
        )
        if membership.left_at is None:
            return {"commitments": [_commitment(c) for c in commitments]}
        # A former member keeps only the commitments they made themselves, and of what
        # was said about any commitment, only their own words.
        return {
            "commitments": [_commitment(c, only=user) for c in commitments.filter(owner=user)],
            "your_suggestions": [
                _suggestion(s)
                for s in CommitmentSuggestion.objects.filter(
                    commitment__relationship=membership.relationship, suggested_by=user
                ).exclude(commitment__owner=user)
            ],
            "your_check_ins": [
                _check_in(c)
                for c in CommitmentCheckIn.objects.filter(
                    commitment__relationship=membership.relationship, person=user
                ).exclude(commitment__owner=user)
            ],
        }

    return part


def delete(user: User) -> None:
    """Everything they wrote in any repair goes: private (their participations carry
    their entries, notice and practices, and cascade) and shared alike. Shared words are
    removed rather than shown as from "someone who left": in a couple, the other would
    know exactly who that was. The relationship's commitments they made stay, with the
    owner's name replaced, because the others rely on them; the history names nobody
    for their edits."""
    # These point at the account with SET_NULL (or at a participation with SET_NULL),
    # so deleting the account alone would leave the words behind without a name.
    # Proposals, listening turns and their reflections, requests, answers and
    # affirmations point at the participation with CASCADE and go with it.
    VoiceMessage.objects.filter(author=user).delete()
    NeedRequest.objects.filter(author=user).delete()
    ReconvenePlan.objects.filter(proposed_by=user).delete()
    AgreementItem.objects.filter(added_by__user=user).delete()
    Participation.objects.filter(user=user).delete()
    CommitmentSuggestion.objects.filter(suggested_by=user).delete()
    CommitmentCheckIn.objects.filter(person=user).delete()
    Commitment.objects.filter(owner=user).update(owner=None, owner_name=_("Someone who left"))


def _prompt(key: str) -> str:
    if key == "notice_words":
        return _("In your own words")
    prompts = (*content.HONOR_PROMPTS, *content.REFLECT_PROMPTS)
    found = content.find(prompts, key.partition(":")[2])
    return str(found.text) if found else key


def _name(user: User | None) -> str:
    return user.display_name if user is not None else _("Someone who left")


def _suggestion(suggestion: CommitmentSuggestion) -> Data:
    return {
        "from": _name(suggestion.suggested_by),
        "text": suggestion.text,
        "review_on": suggestion.review_on,
        "note": suggestion.note,
        "status": str(suggestion.get_status_display()),
        "suggested_at": suggestion.created_at,
        "answered_at": suggestion.answered_at,
    }


def _check_in(check_in: CommitmentCheckIn) -> Data:
    return {
        "from": _name(check_in.person),
        "review_on": check_in.review_on,
        "answer": str(check_in.get_answer_display()),
        "note": check_in.note,
        "checked_in_at": check_in.checked_in_at,
    }


def _commitment(commitment: Commitment, only: User | None = None) -> Data:
    """`only`: a former member's own commitment, with only their own check-ins and
    suggestions (the others' words stay with the relationship)."""
    suggestions = [
        s for s in commitment.suggestions.all() if only is None or s.suggested_by_id == only.pk
    ]
    check_ins = [c for c in commitment.check_ins.all() if only is None or c.person_id == only.pk]
    return {
        "owner": commitment.owner_name,
        "text": commitment.text,
        "review_on": commitment.review_on,
        "status": str(commitment.get_status_display()),
        "made_at": commitment.created_at,
        "history": [
            {
                "text": r.text,
                "review_on": r.review_on,
                "status": str(r.get_status_display()),
                "edited_by": r.edited_by.display_name if r.edited_by else _("someone"),
                "edited_at": r.edited_at,
            }
            for r in commitment.revisions.all()
        ],
        "suggestions": [_suggestion(s) for s in suggestions],
        "check_ins": [_check_in(c) for c in check_ins],
    }


def _repairs(user: User) -> list[Data]:
    mine = {p.repair_id: p for p in Participation.objects.filter(user=user)}
    # What the others sent stays visible only while one is a member (as in the app).
    memberships = list(Membership.objects.current().filter(user=user))
    member_of = {m.relationship_id for m in memberships}
    # Of the relationships one is in: the repair under way, and the past ones one may
    # see (never one from before one joined, unless it was shared: visibility).
    seen = Q(pk__in=list(mine)) | Q(relationship_id__in=member_of, stage__in=OPEN_STAGES)
    for membership in memberships:
        seen |= Q(pk__in=visibility.past_repairs_seen_by(membership).values("pk"))
    repairs = Repair.objects.filter(seen).select_related("relationship").order_by("opened_at", "pk")
    return [_repair(user, r, mine.get(r.pk), r.relationship_id in member_of) for r in repairs]


def _repair(user: User, repair: Repair, mine: Participation | None, shared: bool) -> Data:
    # Step 5 is shared only among those who joined (as on the repair's own page).
    together = shared and visibility.sees_together(mine, repair)
    return {
        "relationship": repair.relationship.name,
        "opened_at": repair.opened_at,
        "opening": repair.get_opening_display(),
        "stage": repair.get_stage_display(),
        "together_at": repair.together_at,
        "completed_at": repair.completed_at,
        "you_wrote": _written_by(user, repair, mine, together),
        "shared_with_you": _shared_with(user, repair, mine, together) if shared else None,
    }


SEALED_NOTE = _(
    "What you kept to yourself in steps 1 to 4 (your notes, what you noticed and felt, "
    "your practices, markers and reflections) and your considerations are sealed on your "
    "own device: the server cannot read them, so they are not in this file. Your "
    "device opens and downloads them on the page “Your private notes” (/me/private/)."
)


def _your_part(mine: Participation) -> Data:
    return {
        "status": mine.get_status_display(),
        "joined_at": mine.joined_at,
        "step": mine.get_step_display(),
        "sealed_on_your_device": str(SEALED_NOTE),
        "said_triggered": mine.said_triggered,
        "skipped_the_message": mine.voice_skipped,
        "ready": mine.ready,
        "paused": mine.paused,
        "start_early": mine.start_early,
        "clear": mine.clear,
        "rebonded": mine.rebonded,
    }


def _written_by(user: User, repair: Repair, mine: Participation | None, together: bool) -> Data:
    written: Data = {
        "messages": [
            {"text": m.text, "sent_at": m.sent_at} for m in repair.messages.filter(author=user)
        ],
        "needs": [_need(n) for n in repair.needs.filter(author=user)],
        "plans": [_plan(p) for p in repair.plans.filter(proposed_by=user)],
    }
    if mine is None:
        return written
    practices = mine.practices.all()
    reflections = Reflection.objects.filter(turn__repair=repair).select_related(
        "turn__speaker__user", "turn__listener__user"
    )
    written |= {
        "your_part": _your_part(mine),
        "entries": [
            # The server reads only the copy the person brought to the conversation.
            {
                "prompt": _prompt(e.key),
                "text": e.shared,
                "brought": e.bring,
                "updated_at": e.updated_at,
            }
            for e in visibility.brought([mine]).order_by("updated_at", "pk")
        ],
        "practices": [_practice(p) for p in practices],
        "proposals": [_proposal(p) for p in repair.proposals.filter(proposed_by=mine)],
        "agreements": [{"text": a.text} for a in repair.agreements.filter(added_by=mine)],
        "reflections": [
            _heard(r) | {"to": r.turn.speaker.name} for r in reflections.filter(turn__listener=mine)
        ],
        "answers_to_reflections": [
            _answer_to(r) | {"to": r.turn.listener.name}
            for r in reflections.filter(turn__speaker=mine).exclude(answer="")
        ],
        "requests": [
            {"text": r.text, "review_on": r.review_on, "created_at": r.created_at}
            for r in Request.objects.filter(repair=repair, requester=mine)
        ],
        "answers": [
            {
                "to": a.request.requester.name,
                # The request is the other's words: only while it is still shown to you.
                "request": a.request.text if together else "",
                "answer": a.get_answer_display(),
                "change": a.change,
                "answered_at": a.answered_at,
            }
            for a in RequestAnswer.objects.filter(
                request__repair=repair, responder=mine
            ).select_related("request__requester__user")
        ],
        "affirmations": [
            {"text": a.text, "sent_at": a.sent_at}
            for a in Affirmation.objects.filter(repair=repair, author=mine)
        ],
        # Apart, what you typed while speaking.
        "typed_shares": [{"text": t.shared} for t in repair.turns.filter(speaker=mine) if t.shared],
    }
    return written


def _shared_with(user: User, repair: Repair, mine: Participation | None, together: bool) -> Data:
    shared: Data = {
        "messages": [
            {"from": _name(m.author), "text": m.text, "sent_at": m.sent_at}
            for m in repair.messages.exclude(author=user).select_related("author")
        ],
        "needs": [
            _need(n) | {"from": _name(n.author)}
            for n in repair.needs.exclude(author=user).select_related("author")
        ],
        "plans": [
            _plan(p) | {"from": _name(p.proposed_by)}
            for p in repair.plans.exclude(proposed_by=user).select_related("proposed_by")
        ],
    }
    if not together or mine is None:
        return shared
    reflections = Reflection.objects.filter(turn__repair=repair).select_related(
        "turn__speaker__user", "turn__listener__user"
    )
    requests = (
        Request.objects.filter(repair=repair)
        .exclude(requester=mine)
        .select_related("requester__user")
        .prefetch_related("answers__responder__user")
    )
    defaults = {a.key: a.text for a in content.DEFAULT_AGREEMENTS}
    shared |= {
        "proposals": [
            _proposal(p) | {"from": p.proposed_by.name}
            for p in repair.proposals.exclude(proposed_by=mine).select_related("proposed_by__user")
        ],
        "agreements": [
            {"text": str(defaults.get(a.key, "")) or a.text}
            for a in AgreementItem.objects.filter(repair=repair).exclude(added_by=mine)
        ],
        "brought": [
            {"from": p.name, "prompt": _prompt(e.key), "text": e.shared}
            for p in participants(repair)
            if p.pk != mine.pk
            for e in visibility.entries_seen_by(mine, p, repair)
        ],
        "reflections": [
            _heard(r) | {"from": r.turn.listener.name}
            for r in reflections.filter(turn__speaker=mine)
        ],
        "typed_shares": [
            {"from": t.speaker.name, "text": t.shared}
            for t in visibility.typed_shares(mine, repair)
            if t.speaker_id != mine.pk
        ],
        "answers_to_reflections": [
            _answer_to(r) | {"from": r.turn.speaker.name}
            for r in reflections.filter(turn__listener=mine).exclude(answer="")
        ],
        "requests": [
            {
                "from": r.requester.name,
                "text": r.text,
                "review_on": r.review_on,
                "answers": [
                    {"from": a.responder.name, "answer": a.get_answer_display(), "change": a.change}
                    for a in r.answers.all()
                    if a.responder_id != mine.pk
                ],
            }
            for r in requests
        ],
        "answers_to_your_requests": [
            {
                "from": a.responder.name,
                "request": a.request.text,
                "answer": a.get_answer_display(),
                "change": a.change,
            }
            for a in RequestAnswer.objects.filter(request__requester=mine)
            .exclude(responder=mine)
            .select_related("request", "responder__user")
        ],
        "affirmations": [
            {"from": a.author.name, "text": a.text, "sent_at": a.sent_at}
            for a in Affirmation.objects.filter(repair=repair)
            .exclude(author=mine)
            .select_related("author__user")
        ],
    }
    return shared


def _need(need: Any) -> Data:
    found = content.find(content.NEEDS, need.need)
    return {
        "need": str(found.label) if found else need.need,
        "own_words": need.own_words,
        "asked_at": need.asked_at,
    }


def _plan(plan: Any) -> Data:
    return {
        "meet_at": plan.meet_at,
        "place": plan.place,
        "status": plan.get_status_display(),
        "proposed_at": plan.proposed_at,
    }


def _proposal(proposal: Proposal) -> Data:
    return {
        "kind": proposal.get_kind_display(),
        "text": proposal.text,
        "choice": str(_OPTIONS.get(proposal.choice, proposal.choice)),
        "detail": str(_OPTIONS.get(proposal.detail, proposal.detail)),
        "status": proposal.get_status_display(),
        "proposed_at": proposal.proposed_at,
    }


def _practice(practice: Any) -> Data:
    # Which practice and how strong it felt are sealed on the device; when is not.
    return {
        "practice": _("A practice (sealed on your device)"),
        "started_at": practice.started_at,
        "finished_at": practice.finished_at,
    }


def _heard(reflection: Reflection) -> Data:
    return {
        "heard": reflection.heard,
        "body": reflection.body,
        "said_aloud": reflection.said_aloud,
        "at": reflection.created_at,
    }


def _answer_to(reflection: Reflection) -> Data:
    return {"answer": reflection.get_answer_display(), "correction": reflection.correction}


gardens.relationship_part(__name__, _commitments)
contributions.contribute(__name__, export=export, delete=delete)
