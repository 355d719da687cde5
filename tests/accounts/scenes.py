"""A repair in which each person wrote a unique marker into every field they can write.

Built directly in the database: the export and the deletion read rows, whichever
steps made them, and the markers say exactly where each text came from.
"""

from datetime import timedelta

from django.utils import timezone

from tend.accounts.models import User
from tend.gardens.models import Relationship
from tend.repairs import content
from tend.repairs.models import (
    Affirmation,
    AgreementItem,
    Commitment,
    CommitmentRevision,
    Entry,
    NeedRequest,
    Participation,
    PracticeSession,
    Proposal,
    ReconvenePlan,
    Reflection,
    Repair,
    Request,
    RequestAnswer,
    Turn,
    VoiceMessage,
)
from tests.sealed import sealed

# What only its writer may ever see. Sealed on the writer's device (issue 12): the server
# holds envelopes (`sealed()`), so none of these marks is stored anywhere; they are kept
# here so that the tests can go on saying that no export ever holds them.
PRIVATE = (
    "notice",  # own words at notice
    "honor",  # a honor-the-pain page
    "kept",  # a step-4 reflection not brought
    "flagged",  # a honor page with the bring flag set: only reflections can be brought
    "signal",  # body signals, feelings and considerations are lists of keys...
    "feeling",
    "consideration",
    "practice",  # ... as is the practice done
)
# What its writer sends to the others in the repair.
SHARED = (
    "message",
    "need",
    "place",
    "proposal",
    "agreement",
    "brought",
    "heard",
    "body",
    "correction",
    "request",
    "answer",
    "affirmation",
)
# Shared only among those who joined step 5.
STEP5 = (
    "proposal",
    "agreement",
    "brought",
    "heard",
    "body",
    "correction",
    "request",
    "answer",
    "affirmation",
)


def mark(person: str, field: str, tag: str = "") -> str:
    return f"{person}-{field}{tag}-q7z"


def written_repair(
    relationship: Relationship,
    people: list[User],
    *,
    tag: str = "",
    together: bool = True,
    joined: tuple[str, ...] | None = None,
) -> Repair:
    """A repair where each of `people` wrote in every field. `together`: it reached step 5
    (and is completed); `joined`: the names of those who joined (default: everyone)."""
    now = timezone.now()
    repair = Repair.objects.create(
        relationship=relationship,
        opened_by=people[0],
        opening=Repair.Opening.HURT,
        stage=Repair.Stage.COMPLETED if together else Repair.Stage.CLOSED,
        phase=Repair.Phase.REBOND if together else "",
        together_at=now if together else None,
        completed_at=now if together else None,
        closed_at=None if together else now,
    )
    reflect, brought = content.REFLECT_PROMPTS[0].key, content.REFLECT_PROMPTS[1].key
    honor, flagged = content.HONOR_PROMPTS[0].key, content.HONOR_PROMPTS[1].key
    parts: dict[str, Participation] = {}
    for user in people:
        name = user.display_name.lower()

        def m(field: str, name: str = name) -> str:
            return mark(name, field, tag)

        is_joined = joined is None or name in joined
        part = Participation.objects.create(
            repair=repair,
            user=user,
            status=Participation.Status.JOINED if is_joined else Participation.Status.ASKED,
            joined_at=now if is_joined else None,
            notice=sealed(),  # signals, feelings, state, intensity
            considerations=sealed(),
        )
        parts[name] = part
        for key, shared, bring in (
            ("notice_words", "", False),
            (f"honor:{honor}", "", False),
            (f"honor:{flagged}", "", True),
            (f"reflect:{reflect}", "", False),
            # Brought: the writer's device sent a plain copy for the others.
            (f"reflect:{brought}", m("brought"), True),
        ):
            Entry.objects.create(
                participation=part, key=key, text=sealed(), bring=bring, shared=shared
            )
        PracticeSession.objects.create(participation=part, before=sealed())
        VoiceMessage.objects.create(repair=repair, author=user, text=m("message"))
        NeedRequest.objects.create(repair=repair, author=user, need="space", own_words=m("need"))
        ReconvenePlan.objects.create(
            repair=repair, proposed_by=user, meet_at=now + timedelta(hours=1), place=m("place")
        )
        if not together:
            continue
        Proposal.objects.create(
            repair=repair, kind=Proposal.Kind.INTENTION, proposed_by=part, text=m("proposal")
        )
        AgreementItem.objects.create(repair=repair, added_by=part, text=m("agreement"))
        Affirmation.objects.create(repair=repair, author=part, text=m("affirmation"))
    if together:
        AgreementItem.objects.create(repair=repair, key=content.DEFAULT_AGREEMENTS[0].key)
        names = list(parts)
        for position, (speaker, listener) in enumerate(
            zip(names, names[1:] + names[:1], strict=True)
        ):
            turn = Turn.objects.create(
                repair=repair,
                round=1,
                position=position,
                speaker=parts[speaker],
                listener=parts[listener],
                heard_at=now,
            )
            Reflection.objects.create(
                turn=turn,
                heard=mark(listener, "heard", tag),
                body=mark(listener, "body", tag),
                answer=Reflection.Answer.PARTLY,
                correction=mark(speaker, "correction", tag),
            )
            request = Request.objects.create(
                repair=repair,
                requester=parts[speaker],
                text=mark(speaker, "request", tag),
                review_on=timezone.localdate() + timedelta(days=14),
            )
            RequestAnswer.objects.create(
                request=request,
                responder=parts[listener],
                answer=RequestAnswer.Answer.YES_WITH_CHANGE,
                change=mark(listener, "answer", tag),
            )
    return repair


def commitment_of(owner: User, relationship: Relationship, text: str) -> Commitment:
    commitment = Commitment.objects.create(
        relationship=relationship,
        owner=owner,
        owner_name=owner.display_name,
        text=text,
        review_on=timezone.localdate() + timedelta(days=14),
    )
    CommitmentRevision.objects.create(
        commitment=commitment,
        text=text,
        review_on=commitment.review_on,
        status=commitment.status,
        edited_by=owner,
    )
    return commitment
