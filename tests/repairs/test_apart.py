"""Step 5 for people in different places, through the views, with the fixed cast.

Together or apart is said at the start of step 5, kept on the repair, changeable and
shown to all who joined; apart, the speaker may type what they share, the listener sees
it (and nobody outside the repair's joined participants ever does), and the space and
rebond options are the ones the machine offers for the distance.
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tend.accounts.models import User
from tend.live.models import Event
from tend.notify.models import Notification
from tend.repairs import actions, reengagement
from tend.repairs.models import Participation, Proposal, Repair, Turn
from tests.conftest import Cast, client_for
from tests.repairs.test_privacy import _pages_seen_by

TYPED = "TYPED-SHARE-MARKER-3c9d"


def _url(repair: Repair, name: str, *extra: object) -> str:
    return reverse(name, args=[repair.relationship_id, repair.pk, *extra])


def _move(client: Client, repair: Repair, name: str, expect: int, **data: object) -> str:
    repair.refresh_from_db()
    data.setdefault("phase", repair.phase)
    response = client.post(_url(repair, "repair_move", name), data, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == expect, page[:1500]
    return page


def _stage(client: Client, repair: Repair) -> str:
    return client.get(_url(repair, "repair_stage"), headers={"HX-Request": "true"}).content.decode()


def _in_step_five(repair: Repair, *users: User) -> list[Participation]:
    """These people joined and ready: step 5 has begun (no agreed time to wait for)."""
    parts = [actions.participation_of(repair, user) for user in users]
    for part in parts:
        if not part.joined:
            actions.join(repair, part)
    for part in parts:
        actions.mark_ready(repair, actions.participation_of(repair, part.user), True)
    repair.refresh_from_db()
    assert repair.stage == Repair.Stage.TOGETHER
    return [actions.participation_of(repair, user) for user in users]


def _to_listening(repair: Repair, speaker: Participation, listener: Participation) -> Turn:
    """Apart, on to listening with `speaker` first (the others follow round the circle)."""
    reengagement.choose_presence(repair, speaker, "apart", "considerations")
    fresh = lambda p: Participation.objects.get(pk=p.pk)  # noqa: E731
    people = list(Participation.objects.filter(repair=repair, status="joined"))
    for part in people:
        reengagement.done_with_phase(repair, fresh(part), "considerations")
    for phase in ("space", "intention"):
        proposal = reengagement.propose(repair, fresh(speaker), phase, text="here")
        for part in people:
            if part.pk != speaker.pk:
                reengagement.accept(repair, fresh(part), proposal, phase)
    for phase in ("agreements", "tips"):
        for part in people:
            reengagement.done_with_phase(repair, fresh(part), phase)
    reengagement.choose_first_speaker(repair, fresh(speaker), fresh(speaker), "listening")
    return Turn.objects.get(repair=repair, heard_at__isnull=True, position=0)


# --- Together or apart ------------------------------------------------------------------------


def test_the_choice_is_asked_at_the_start_recorded_changeable_and_shown_to_all(
    cast: Cast,
) -> None:
    repair = cast.repair
    _in_step_five(repair, cast.ada, cast.ben)
    ada, ben = client_for(cast.ada), client_for(cast.ben)
    assert "Are you together in one place, or apart?" in _stage(ben, repair)
    before = Event.objects.filter(kind="presence_changed").count()

    page = _move(ada, repair, "presence", 200, presence="apart")
    repair.refresh_from_db()
    assert repair.presence == Repair.Presence.APART
    assert Event.objects.filter(kind="presence_changed").count() == before + 1
    for seen in (page, _stage(ben, repair)):
        assert "You are apart, in different places." in seen
        assert "voice or video call" in seen  # a call is suggested; none is built in
        assert "Change to: Together, in one place" in seen

    _move(ben, repair, "presence", 200, presence="together")  # anyone may change it
    repair.refresh_from_db()
    assert repair.presence == Repair.Presence.TOGETHER
    assert "voice or video call" not in _stage(ada, repair)


def test_the_choice_in_the_access_matrix_of_step_five(cast: Cast) -> None:
    """Once step 5 has begun: the two who joined may say it; nobody else reaches it."""
    repair = cast.repair
    _in_step_five(repair, cast.ada, cast.ben)
    # A form sent without htmx goes back to the repair (302); the log-in page for anonymous.
    expected = {"ada": 302, "ben": 302, "cy": 404, "dee": 404, "eli": 404, "anonymous": 302}
    for person, status in expected.items():
        response = client_for(cast.people()[person]).post(
            _url(repair, "repair_move", "presence"),
            {"phase": "considerations", "presence": "apart" if person != "ben" else "together"},
        )
        assert response.status_code == status, person
        if person == "anonymous":
            assert response["Location"].startswith("/login/")
        elif status == 302:
            assert response["Location"] == _url(repair, "repair")
    repair.refresh_from_db()
    assert repair.presence == Repair.Presence.TOGETHER  # ben's word, the last


def test_a_member_who_did_not_join_cannot_say_where_they_are(cast: Cast) -> None:
    repair = actions.open_repair(cast.ada, cast.family, Repair.Opening.HURT)
    _in_step_five(repair, cast.ada, cast.ben)
    cy = client_for(cast.cy)
    _move(cy, repair, "presence", 409, presence="apart")
    repair.refresh_from_db()
    assert repair.presence == ""


@pytest.mark.parametrize("presence", ["", "moon", "TOGETHER", "apart" * 20])
def test_a_made_up_place_is_a_clear_400_and_changes_nothing(cast: Cast, presence: str) -> None:
    repair = cast.repair
    _in_step_five(repair, cast.ada, cast.ben)
    page = _move(client_for(cast.ada), repair, "presence", 400, presence=presence)
    assert "Please choose together or apart." in page
    repair.refresh_from_db()
    assert repair.presence == ""


def test_the_same_choice_twice_is_refused_kindly(cast: Cast) -> None:
    repair = cast.repair
    _in_step_five(repair, cast.ada, cast.ben)
    ada = client_for(cast.ada)
    _move(ada, repair, "presence", 200, presence="apart")
    assert "That is already the choice." in _move(ada, repair, "presence", 409, presence="apart")
    assert Event.objects.filter(kind="presence_changed").count() == 1


# --- Typing what you share, apart -------------------------------------------------------------


def test_the_speaker_types_and_the_listener_sees_it_then_reflects(cast: Cast) -> None:
    repair = cast.repair
    ada_part, ben_part = _in_step_five(repair, cast.ada, cast.ben)
    turn = _to_listening(repair, ada_part, ben_part)
    ada, ben = client_for(cast.ada), client_for(cast.ben)
    assert 'name="text"' in _stage(ada, repair) and f'id="share-{turn.pk}"' in _stage(ada, repair)
    assert f'id="share-{turn.pk}"' not in _stage(ben, repair)  # only the speaker types

    _move(ben, repair, "share", 409, turn=turn.pk, text="Not mine to type.")
    _move(ada, repair, "share", 200, turn=turn.pk, text=f"{TYPED} I felt alone.")
    assert Event.objects.filter(kind="turn_shared").count() == 1
    assert f"{TYPED} I felt alone." in _stage(ben, repair)
    assert "shares in writing:" in _stage(ben, repair)

    # The same words again (a double tap, or a save with nothing new): nothing recorded.
    _move(ada, repair, "share", 200, turn=turn.pk, text=f"{TYPED} I felt alone.")
    assert Event.objects.filter(kind="turn_shared").count() == 1

    _move(ben, repair, "reflect", 200, turn=turn.pk, heard="You felt alone.", body="")
    # Once reflected back, the speaker answers; typing waits for a "not quite".
    _move(ada, repair, "share", 409, turn=turn.pk, text="More.")
    assert f"{TYPED} I felt alone." in _stage(ada, repair)


def test_typing_is_for_apart_only(cast: Cast) -> None:
    repair = cast.repair
    ada_part, ben_part = _in_step_five(repair, cast.ada, cast.ben)
    turn = _to_listening(repair, ada_part, ben_part)
    ada = client_for(cast.ada)
    _move(ada, repair, "presence", 200, presence="together")
    page = _move(ada, repair, "share", 409, turn=turn.pk, text="words")
    assert "Typing what you share is for when you are apart." in page
    assert f'id="share-{turn.pk}"' not in page


def test_bad_input_to_share_is_a_4xx_never_a_500(cast: Cast) -> None:
    repair = cast.repair
    ada_part, ben_part = _in_step_five(repair, cast.ada, cast.ben)
    turn = _to_listening(repair, ada_part, ben_part)
    ada = client_for(cast.ada)
    page = _move(ada, repair, "share", 400, turn=turn.pk, text="x" * 5001)
    assert "longer than 5000 characters" in page
    _move(ada, repair, "share", 404, turn="not-a-turn", text="words")
    _move(ada, repair, "share", 404, turn=999999, text="words")
    other = actions.open_repair(cast.dee, cast.dees, Repair.Opening.HURT)
    elsewhere = Turn.objects.create(
        repair=other,
        round=1,
        position=0,
        speaker=actions.participation_of(other, cast.dee),
        listener=actions.participation_of(other, cast.dee),
    )
    _move(ada, repair, "share", 404, turn=elsewhere.pk, text="words")  # another repair's turn
    assert Turn.objects.get(pk=turn.pk).shared == ""


def test_typed_words_are_encrypted_at_rest(cast: Cast) -> None:
    repair = cast.repair
    ada_part, ben_part = _in_step_five(repair, cast.ada, cast.ben)
    turn = _to_listening(repair, ada_part, ben_part)
    reengagement.share_turn(repair, ada_part, turn, "listening", TYPED)
    with connection.cursor() as cursor:
        cursor.execute("SELECT shared FROM repairs_turn WHERE id = %s", [turn.pk])
        (raw,) = cursor.fetchone()
    assert raw and TYPED not in raw
    assert Turn.objects.get(pk=turn.pk).shared == TYPED


def test_typed_words_reach_the_joined_participants_only(cast: Cast) -> None:
    """Family: ada speaks and types, ben listens; cy is a member who did not join."""
    repair = actions.open_repair(cast.ada, cast.family, Repair.Opening.HURT)
    ada_part, ben_part = _in_step_five(repair, cast.ada, cast.ben)
    turn = _to_listening(repair, ada_part, ben_part)
    _move(client_for(cast.ada), repair, "share", 200, turn=turn.pk, text=TYPED)

    assert TYPED in _stage(client_for(cast.ben), repair)  # the listener
    assert TYPED in client_for(cast.ben).get(_url(repair, "repair")).content.decode()
    # A member of the relationship who did not join: the repair's pages, never the words.
    cy = client_for(cast.cy)
    for url in (_url(repair, "repair"), _url(repair, "repair_stage")):
        response = cy.get(url)
        assert response.status_code == 200
        assert TYPED not in response.content.decode()
    # Nobody outside the relationship reaches it; another relationship never shows it.
    for person in ("dee", "eli"):
        assert client_for(cast.people()[person]).get(_url(repair, "repair")).status_code == 404
    for person in ("ada", "ben", "cy", "dee", "eli", "anonymous"):
        for name, page in _pages_seen_by(cast, person).items():
            assert TYPED.encode() not in page, f"{person} sees typed words on {name} (Us)"
    # Not in any notification, nor in any recorded event a stream could carry.
    for notification in Notification.objects.all():
        assert TYPED not in str(vars(notification))
    for event in Event.objects.all():
        assert TYPED not in str(vars(event))
    # The export: the speaker's own and the listener's shared part; never cy's.
    from tend.repairs import account_data

    assert TYPED in str(account_data.export(cast.ada))
    assert TYPED in str(account_data.export(cast.ben))
    assert TYPED not in str(account_data.export(cast.cy))


# --- What the machine offers apart --------------------------------------------------------------


def test_apart_the_space_is_a_call_or_messages(cast: Cast) -> None:
    repair = cast.repair
    ada_part, ben_part = _in_step_five(repair, cast.ada, cast.ben)
    ada, ben = client_for(cast.ada), client_for(cast.ben)
    _move(ada, repair, "presence", 200, presence="apart")
    for part in (ada_part, ben_part):
        reengagement.done_with_phase(
            repair, Participation.objects.get(pk=part.pk), "considerations"
        )
    page = _stage(ada, repair)
    assert 'value="voice_call"' in page and 'value="indoors"' not in page
    assert "A call, or messages?" in page
    # The together options are not accepted apart, and the other way round.
    _move(ada, repair, "propose", 400, text="", choice="indoors")
    _move(ada, repair, "propose", 400, text="", choice="", detail="facing_each_other")
    _move(ada, repair, "propose", 200, text="", choice="video_call", detail="headphones")
    assert "A video call" in _stage(ben, repair)
    _move(ben, repair, "presence", 200, presence="together")
    page = _stage(ben, repair)
    assert 'value="indoors"' in page and 'value="voice_call"' not in page
    _move(ben, repair, "propose", 400, text="", choice="voice_call")


def test_apart_the_ways_to_reconnect_fit_the_distance(cast: Cast) -> None:
    from tests.repairs.test_double_submit import _finish

    repair = cast.repair
    ada_part, ben_part = _in_step_five(repair, cast.ada, cast.ben)
    turn = _to_listening(repair, ada_part, ben_part)
    assert turn.speaker_id == ada_part.pk
    room = type("Room", (), {})()
    room.repair, room.ana, room.bo = repair, ada_part, ben_part
    room.fresh = lambda p: Participation.objects.get(pk=p.pk)
    room.reload = lambda: Repair.objects.get(pk=repair.pk)
    for listener, speaker in ((ben_part, ada_part), (ada_part, ben_part)):
        current = Turn.objects.filter(repair=repair, heard_at__isnull=True).earliest("position")
        reflection = reengagement.reflect_back(
            repair, room.fresh(listener), current, "listening", heard="heard", body="",
            said_aloud=False,
        )  # fmt: skip
        reengagement.answer_reflection(
            repair, room.fresh(speaker), reflection, "listening", heard=True
        )
    for phase in ("requests", "clearing"):
        _finish(room, phase)
    repair.refresh_from_db()
    assert repair.phase == "rebond"
    ada, ben = client_for(cast.ada), client_for(cast.ben)
    page = _stage(ada, repair)
    assert 'value="kind_message"' in page and 'value="plan_to_meet"' in page
    assert 'value="long_hug"' not in page
    _move(ada, repair, "propose", 400, choice="long_hug")
    _move(ada, repair, "propose", 200, choice="kind_message")
    proposal = Proposal.objects.get(repair=repair, kind="rebond", status="proposed")
    _move(ben, repair, "accept", 200, proposal=proposal.pk)
    assert 'id="affirm"' in _stage(ben, repair)  # a kind message is written and sent here
    _move(ben, repair, "affirm", 200, text="I am glad we talked.")
    assert "I am glad we talked." in _stage(ada, repair)
    _move(ada, repair, "rebonded", 200)
    _move(ben, repair, "rebonded", 200)
    repair.refresh_from_db()
    assert repair.stage == Repair.Stage.COMPLETED
