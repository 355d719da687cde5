"""`machine.offers()`: what a person may do now, asked of unsaved instances (no database).

The walk through every state with real pages is `test_screen_offers.py`; these pin down
the answers that screens used to get wrong."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tend.repairs import machine
from tend.repairs.models import NeedRequest, Participation, Proposal, ReconvenePlan, Repair, Turn

JOINED, ASKED = Participation.Status.JOINED, Participation.Status.ASKED


def _scene(stage: str = "personal", phase: str = "", **people: dict[str, object]) -> machine.Scene:
    repair = Repair(pk=10, stage=stage, phase=phase, opening=Repair.Opening.HURT)
    participants = [
        Participation(pk=pk, repair=repair, user_id=pk, **({"status": JOINED} | fields))
        for pk, fields in enumerate(people.values(), start=1)
    ]
    return machine.Scene(repair=repair, participants=participants, now=timezone.now())


def _moves(scene: machine.Scene, index: int = 0, **extra: object) -> set[tuple[str, object]]:
    return {(str(a), t) for a, t in machine.offers(scene, scene.participants[index], **extra)}


def test_a_completed_repair_offers_nothing() -> None:
    scene = _scene("completed", ada={"ready": True, "rebonded": True}, ben={"ready": True})
    assert _moves(scene) == set()


def test_a_closed_repair_offers_nothing_even_to_those_asked() -> None:
    scene = _scene("closed", ada={}, ben={"status": ASKED})
    assert _moves(scene, 1) == set()


@pytest.mark.django_db  # who already answered the need is read from the database
def test_someone_asked_may_join_say_not_yet_and_answer_what_was_shared() -> None:
    scene = _scene(ada={}, ben={"status": ASKED})
    need = NeedRequest(pk=5, author_id=1, need="space")
    moves = _moves(scene, 1, needs=[need])
    assert {("join", None), ("not_yet", None), ("acknowledge_need", 5)} <= moves
    assert ("pause", None) not in moves  # their own steps start when they join
    assert ("acknowledge_need", 5) not in _moves(scene, 0, needs=[need])  # one's own


def test_paused_offers_coming_back_not_another_pause() -> None:
    moves = _moves(_scene(ada={"paused": True}, ben={}))
    assert ("resume", None) in moves
    assert ("pause", None) not in moves
    assert ("mark_ready", None) not in moves


@pytest.mark.django_db
def test_once_together_the_answers_to_step_one_close_and_ready_is_not_taken_back() -> None:
    scene = _scene("together", "space", ada={"ready": True}, ben={"ready": True})
    need = NeedRequest(pk=5, author_id=2, need="space")
    plan = ReconvenePlan(pk=6, proposed_by_id=2, status=ReconvenePlan.Status.PROPOSED)
    moves = _moves(scene, needs=[need], plans=[plan])
    assert ("acknowledge_need", 5) not in moves
    assert ("accept_plan", 6) not in moves
    assert ("take_back_ready", None) not in moves
    assert {("pause", None), ("propose", None)} <= moves


def test_starting_early_is_offered_to_a_ready_person_before_the_agreed_time() -> None:
    scene = _scene(ada={"ready": True}, ben={})
    scene.repair.agreed_plan = ReconvenePlan(meet_at=scene.now + timedelta(hours=1))
    assert ("start_early", None) in _moves(scene)
    assert ("start_early", None) not in _moves(scene, 1)  # not ready yet
    scene.participants[0].start_early = True
    assert ("start_early", None) not in _moves(scene)  # already said so


def test_an_agreement_is_given_once() -> None:
    scene = _scene(
        "together", "space", ada={"ready": True}, ben={"ready": True}, cy={"ready": True}
    )
    proposal = Proposal(pk=7, proposed_by_id=1, status=Proposal.Status.PROPOSED)
    scene.proposals = [proposal]
    scene.accepted = {7: {2}}
    assert ("accept_proposal", 7) not in _moves(scene, 0)  # proposed it
    assert ("accept_proposal", 7) not in _moves(scene, 1)  # already agreed
    assert ("accept_proposal", 7) in _moves(scene, 2)


def test_only_the_listener_is_offered_to_reflect_back() -> None:
    scene = _scene("together", "listening", ada={"ready": True}, ben={"ready": True})
    scene.turns = [Turn(pk=8, speaker_id=1, listener_id=2, round=1, position=1)]
    assert ("reflect_back", 8) in _moves(scene, 1)
    assert ("reflect_back", 8) not in _moves(scene, 0)
    assert ("choose_speaker", None) not in _moves(scene, 0)


def test_words_of_affirmation_only_when_they_were_the_chosen_way() -> None:
    scene = _scene("together", "rebond", ada={"ready": True}, ben={"ready": True})
    scene.proposals = [
        Proposal(pk=9, proposed_by_id=1, status=Proposal.Status.AGREED, choice="long_hug")
    ]
    moves = _moves(scene)
    assert ("affirm", None) not in moves
    assert ("propose", None) not in moves  # a way is agreed
    assert ("confirm_rebond", None) in moves
    scene.proposals[0].choice = "words_of_affirmation"
    assert ("affirm", None) in _moves(scene)
