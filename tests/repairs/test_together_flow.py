"""Step 5 end to end through the views: two people, and three, from ready to complete."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tend.repairs import actions
from tend.repairs.models import Commitment, Participation, Repair
from tests.conftest import Cast, client_for
from tests.sealed import sealed


class Room:
    """The people of one repair, each on their own phone."""

    def __init__(self, cast: Cast, repair: Repair, people: dict[str, object]) -> None:
        self.cast = cast
        self.repair = repair
        self.clients: dict[str, Client] = {name: client_for(user) for name, user in people.items()}
        self.ids = {
            name: Participation.objects.get(repair=repair, user=user).pk
            for name, user in people.items()
        }

    def url(self, name: str, *extra: object) -> str:
        return reverse(name, args=[self.repair.relationship_id, self.repair.pk, *extra])

    def move(self, who: str, name: str, expect: int = 200, **data: object) -> str:
        self.repair.refresh_from_db()
        data.setdefault("phase", self.repair.phase)
        response = self.clients[who].post(
            self.url("repair_move", name), data, headers={"HX-Request": "true"}
        )
        page = response.content.decode()
        assert response.status_code == expect, page[:2000]
        return page

    def stage(self, who: str) -> str:
        return (
            self.clients[who]
            .get(self.url("repair_stage"), headers={"HX-Request": "true"})
            .content.decode()
        )

    @property
    def phase(self) -> str:
        self.repair.refresh_from_db()
        return self.repair.phase

    def everyone(self, name: str, **data: object) -> None:
        for who in self.clients:
            self.move(who, name, **data)


def ready_room(cast: Cast, people: dict[str, object]) -> Room:
    repair = cast.repair
    for user in people.values():
        part = actions.participation_of(repair, user)
        if not part.joined:
            actions.join(repair, part)
    # No agreed time: step 5 opens as soon as the last person is ready.
    for user in people.values():
        actions.mark_ready(repair, actions.participation_of(repair, user), True)
    repair.refresh_from_db()
    return Room(cast, repair, people)


def first(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="(\d+)"', page)
    assert match, f"no {name} in page"
    return match.group(1)


def test_two_people_from_ready_to_complete(cast: Cast) -> None:
    room = ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    assert room.repair.stage == Repair.Stage.TOGETHER
    assert room.phase == "considerations"
    room.move("ada", "consider", considerations=sealed())
    room.everyone("done")
    assert room.phase == "space"
    room.move(
        "ada", "propose", text="the kitchen table", choice="indoors", detail="facing_each_other"
    )
    room.move("ben", "accept", proposal=first(room.stage("ben"), "proposal"))
    assert room.phase == "intention"
    room.move("ben", "propose", text="Find our way back to trust.")
    room.move("ada", "accept", proposal=first(room.stage("ada"), "proposal"))
    assert room.phase == "agreements"
    room.move("ada", "done")
    room.move("ben", "agreement", text="No phones on the table.")
    assert room.phase == "agreements"  # a new agreement: ada agrees again
    room.everyone("done")
    assert room.phase == "tips"
    room.everyone("done")
    assert room.phase == "listening"

    # Ada speaks first; ben reflects; ada says "partly", ben reflects again, ada is heard.
    room.move("ada", "first-speaker", speaker=room.ids["ada"])
    assert "It is your turn to speak, Ada. Ben listens." in room.stage("ada")
    assert "Ben, listen, then tell Ada what you heard" in room.stage("ben")
    turn = first(room.stage("ben"), "turn")
    room.move("ada", "reflect", expect=409, turn=turn, heard="I heard myself")  # speaker cannot
    room.move("ben", "reflect", turn=turn, heard="You felt alone.", body="tight chest")
    assert "Ada, did Ben hear you right?" in room.stage("ben")
    page = room.stage("ada")
    room.move(
        "ben", "answer-reflection", expect=409, reflection=first(page, "reflection"), heard="yes"
    )
    room.move(
        "ada",
        "answer-reflection",
        reflection=first(page, "reflection"),
        heard="partly",
        correction="Alone and scared.",
    )
    room.move("ben", "reflect", turn=turn, heard="You felt alone and scared.")
    room.move(
        "ada", "answer-reflection", reflection=first(room.stage("ada"), "reflection"), heard="yes"
    )
    # Then they swap.
    turn = first(room.stage("ada"), "turn")
    room.move("ada", "reflect", turn=turn, said_aloud="on")
    room.move(
        "ben", "answer-reflection", reflection=first(room.stage("ben"), "reflection"), heard="yes"
    )
    assert room.phase == "requests"

    page = room.move(
        "ada", "request", text="Tell me when you need space.", review_on="2099-01-01", expect=400
    )
    assert "within the next two years" in page
    from datetime import date, timedelta

    soon = (date.today() + timedelta(days=14)).isoformat()
    room.move("ada", "request", text="Tell me when you need space.", review_on=soon)
    request_id = first(room.stage("ben"), "request")
    room.move(
        "ben",
        "answer-request",
        request=request_id,
        answer="yes_with_change",
        change="Tell you, in a few words.",
    )
    room.everyone("done")
    assert room.phase == "clearing"
    commitment = Commitment.objects.get(repair=room.repair)
    assert (commitment.owner, commitment.text) == (cast.ben, "Tell you, in a few words.")
    assert commitment.revisions.count() == 1

    # Ben is not clear yet: one more round of listening, then both are clear.
    room.move("ada", "clear", clear="yes")
    room.move("ben", "clear", clear="no")
    room.move("ben", "next", next="listen")
    assert room.phase == "listening"
    room.move("ben", "first-speaker", speaker=room.ids["ben"])
    turn = first(room.stage("ada"), "turn")
    room.move("ada", "reflect", turn=turn, heard="There was more hurt.")
    room.move(
        "ben", "answer-reflection", reflection=first(room.stage("ben"), "reflection"), heard="yes"
    )
    turn = first(room.stage("ben"), "turn")
    room.move("ben", "reflect", turn=turn, said_aloud="on")
    room.move(
        "ada", "answer-reflection", reflection=first(room.stage("ada"), "reflection"), heard="yes"
    )
    assert room.phase == "clearing"
    room.everyone("clear", clear="yes")
    assert room.phase == "rebond"

    room.move("ada", "rebonded", expect=409)  # a way first
    page = room.move("ada", "propose", choice="long_hug")
    assert 'data-seconds="30"' not in page  # the timer shows once agreed
    room.move("ben", "accept", proposal=first(room.stage("ben"), "proposal"))
    assert 'data-seconds="30"' in room.stage("ada")
    room.everyone("rebonded")
    room.repair.refresh_from_db()
    assert room.repair.stage == Repair.Stage.COMPLETED
    summary = room.stage("ben")
    assert "You came back together" in summary
    assert "Find our way back to trust." in summary
    assert "Tell you, in a few words." in summary


def test_three_people_rotate_so_everyone_speaks_and_reflects(cast: Cast) -> None:
    actions.close_repair(cast.repair, actions.participation_of(cast.repair, cast.ada))
    repair = actions.open_repair(cast.cy, cast.family, Repair.Opening.HURT)
    cast.repair = repair
    room = ready_room(cast, {"cy": cast.cy, "ada": cast.ada, "ben": cast.ben})
    for _ in ("considerations",):
        room.everyone("done")
    room.move("cy", "propose", text="the garden")
    proposal = first(room.stage("ada"), "proposal")
    room.move("ada", "accept", proposal=proposal)
    assert room.phase == "space"  # ben has not agreed yet
    room.move("ben", "accept", proposal=proposal)
    room.move("ada", "propose", text="Understand each other.")
    proposal = first(room.stage("cy"), "proposal")
    room.move("cy", "accept", proposal=proposal)
    room.move("ben", "accept", proposal=proposal)
    room.everyone("done")  # agreements
    room.everyone("done")  # tips
    room.move("ben", "first-speaker", speaker=room.ids["ada"])
    pairs = []
    while room.phase == "listening":
        turn = (
            room.repair.turns.filter(round=room.repair.listening_round, heard_at__isnull=True)
            .order_by("position")
            .first()
        )
        assert turn is not None
        speaker = next(n for n, i in room.ids.items() if i == turn.speaker_id)
        listener = next(n for n, i in room.ids.items() if i == turn.listener_id)
        pairs.append((speaker, listener))
        others = [n for n in room.ids if n not in (speaker, listener)]
        room.move(others[0], "reflect", expect=409, turn=turn.pk, heard="not mine to say")
        room.move(listener, "reflect", turn=turn.pk, heard="I heard you.")
        reflection = turn.reflections.get().pk
        room.move(listener, "answer-reflection", expect=409, reflection=reflection, heard="yes")
        room.move(speaker, "answer-reflection", reflection=reflection, heard="yes")
    assert pairs == [("ada", "ben"), ("ben", "cy"), ("cy", "ada")]
    assert room.phase == "requests"


def test_pause_mid_round_returns_to_personal_steps_and_resumes_there(cast: Cast) -> None:
    room = ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    room.everyone("done")
    assert room.phase == "space"
    room.clients["ben"].post(room.url("repair_pause"))
    assert "Coming back together is paused" in room.stage("ada")
    room.move("ada", "propose", expect=409, text="here")
    room.clients["ben"].post(room.url("repair_resume"))
    room.clients["ben"].post(room.url("repair_ready"), {"ready": "yes"})
    assert room.phase == "space"
    assert "Create the space" in room.stage("ada")


def test_a_stale_screen_is_refused_with_the_current_stage(cast: Cast) -> None:
    room = ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    room.everyone("done")
    page = room.move("ada", "done", expect=409, phase="considerations")
    assert "Things have moved on" in page
    assert "Create the space" in page


def test_gate_waits_for_the_agreed_time_unless_all_start_early(cast: Cast) -> None:
    repair = cast.repair
    ben = actions.participation_of(repair, cast.ben)
    actions.join(repair, ben)
    actions.accept_plan(repair, ben, cast.plan)  # agreed: three hours from now
    for user in (cast.ada, cast.ben):
        actions.mark_ready(repair, actions.participation_of(repair, user), True)
    repair.refresh_from_db()
    assert repair.stage == Repair.Stage.PERSONAL
    room = Room(cast, repair, {"ada": cast.ada, "ben": cast.ben})
    assert "this screen moves on by itself then" in room.stage("ada")
    room.move("ada", "begin", expect=409, phase="")
    room.move("ada", "start-early", phase="")
    assert room.phase == ""
    room.move("ben", "start-early", phase="")
    assert room.phase == "considerations"


@pytest.mark.parametrize("name", ["nope", "begin-twice"])
def test_unknown_move_is_404(cast: Cast, name: str) -> None:
    response = client_for(cast.ada).post(
        reverse("repair_move", args=[cast.us.pk, cast.repair.pk, name])
    )
    assert response.status_code == 404
