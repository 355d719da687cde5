"""The repair screen tells the truth: every control on it is a move the machine allows now,
and every move the machine allows that a person needs is on it.

A repair is walked through every state (two people, three people, one screen with a
guest, a pause in step 5, closing), choosing each next move from the machine's own
offers, and at each state every person's repair page is read as a browser would: each
form and move link is mapped back to the move it makes and checked against
`machine.offers()` for the person it acts for.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.test import Client
from django.urls import resolve, reverse

from tend.accounts.models import User
from tend.repairs import actions, machine, scene
from tend.repairs.machine import Action
from tend.repairs.models import Participation, Repair
from tests.conftest import Cast, client_for, feel_safe
from tests.sealed import sealed

STEP_FIVE_MOVES = {
    "begin": Action.BEGIN,
    "start-early": Action.START_EARLY,
    "consider": Action.CONSIDER,
    "done": Action.DONE_PHASE,
    "propose": Action.PROPOSE,
    "accept": Action.ACCEPT_PROPOSAL,
    "agreement": Action.ADD_AGREEMENT,
    "first-speaker": Action.CHOOSE_SPEAKER,
    "reflect": Action.REFLECT_BACK,
    "answer-reflection": Action.ANSWER_REFLECTION,
    "request": Action.MAKE_REQUEST,
    "answer-request": Action.ANSWER_REQUEST,
    "clear": Action.ANSWER_CLEAR,
    "next": Action.CHOOSE_NEXT,
    "affirm": Action.AFFIRM,
    "rebonded": Action.CONFIRM_REBOND,
    "presence": Action.CHOOSE_PRESENCE,
    "share": Action.SHARE_TURN,
}
FRAME_FORMS = {
    "repair_join": Action.JOIN,
    "repair_not_yet": Action.NOT_YET,
    "repair_pause": Action.PAUSE,
    "repair_resume": Action.RESUME,
    "repair_acknowledge_need": Action.ACKNOWLEDGE_NEED,
    "repair_accept_plan": Action.ACCEPT_PLAN,
}
# Moves that open a page of their own: the link to it is the control.
MOVE_PAGES = {
    "repair_close": {Action.CLOSE},
    "repair_one_screen": {Action.ADD_GUEST},
    "repair_plan": {Action.PROPOSE_PLAN, Action.NEED_LONGER},
}
TARGET_FIELDS = ("proposal", "request", "turn", "reflection")
# Offered, but made elsewhere: a new time from step 1's pages, "I am ready" on Reflect.
MADE_ELSEWHERE = {Action.PROPOSE_PLAN, Action.NEED_LONGER, Action.MARK_READY}
# Made for whoever sits at the screen: one person's control is enough.
ANY_ONE = {Action.CHOOSE_NEXT}
# Made by the device's own member only (no "who is this from").
OWN_ONLY = {
    Action.CONSIDER,
    Action.CHOOSE_SPEAKER,
    Action.BEGIN,
    Action.START_EARLY,
    Action.CHOOSE_PRESENCE,
}


@dataclass
class Control:
    """One control on a page: the move it makes, for whom, on what."""

    action: Action
    target: int | None
    actors: tuple[int, ...]  # participation ids; empty: the page's own person


class Controls(HTMLParser):
    """Every form and move link of a page, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self.links: list[str] = []
        self._form: dict[str, object] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": {}, "options": [], **a}
            self.forms.append(self._form)
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif self._form is not None and tag == "input" and a.get("type") == "hidden":
            self._form["fields"][a.get("name", "")] = a.get("value", "")  # type: ignore[index]
        elif self._form is not None and tag == "select":
            self._select = a.get("name")
        elif self._form is not None and tag == "option" and self._select == "as":
            self._form["options"].append(int(a["value"]))  # type: ignore[attr-defined]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def controls_of(page: str, repair: Repair) -> Iterator[Control]:
    parser = Controls()
    parser.feed(page)
    base = reverse("repair", args=[repair.relationship_id, repair.pk])
    for form in parser.forms:
        path = urlsplit(str(form["action"])).path
        if not path.startswith(base):
            continue  # log out, the safety question: not moves of this repair
        match = resolve(path)
        fields: dict[str, str] = form["fields"]  # type: ignore[assignment]
        if form.get("data-scheduled") is not None:
            continue  # the agreed time's own "begin", sent by the page when it comes
        if match.url_name == "repair_move":
            action = STEP_FIVE_MOVES[match.kwargs["name"]]
            target = next((int(fields[f]) for f in TARGET_FIELDS if f in fields), None)
            actors: tuple[int, ...] = tuple(form["options"]) or (  # type: ignore[arg-type]
                (int(fields["as"]),) if fields.get("as") else ()
            )
            yield Control(action, target, actors)
        elif match.url_name == "repair_ready":
            wanted = fields.get("ready") == "yes"
            yield Control(Action.MARK_READY if wanted else Action.TAKE_BACK_READY, None, ())
        elif match.url_name in FRAME_FORMS:
            target = match.kwargs.get("need_id") or match.kwargs.get("plan_id")
            yield Control(FRAME_FORMS[match.url_name], target, ())
        else:
            raise AssertionError(f"a form for an unknown move: {path}")
    for href in parser.links:
        path = urlsplit(href).path
        if path.startswith(base):
            name = resolve(path).url_name
            for action in MOVE_PAGES.get(name or "", ()):
                yield Control(action, None, ())


class Walk:
    """People at their screens, one repair, and a check of every screen at every state."""

    def __init__(self, repair: Repair, people: dict[str, User], presence: str = "") -> None:
        self.repair = repair
        self.presence = presence  # where the people say they are, once step 5 begins
        self.clients: dict[str, Client] = {n: client_for(u) for n, u in people.items()}
        self.users = people
        self.checked = 0
        self.seen: set[Action] = set()

    def participation(self, name: str) -> Participation:
        return actions.participation_of(self.repair, self.users[name])

    def on_screen(self, name: str) -> list[int]:
        me = self.participation(name)
        added = self.clients[name].session.get(f"tend.screen.{self.repair.pk}", [])
        return [me.pk, *(pk for pk in added if pk != me.pk)]

    def url(self, name: str, *extra: object) -> str:
        return reverse(name, args=[self.repair.relationship_id, self.repair.pk, *extra])

    def check(self) -> None:
        """Every person's page against the machine, both ways."""
        self.repair.refresh_from_db()
        for name, client in self.clients.items():
            response = client.get(self.url("repair"))
            assert response.status_code == 200
            page = response.content.decode()
            current = scene.load(self.repair)
            me = self.participation(name)
            people = {p.pk: p for p in current.participants}
            plans = list(self.repair.plans.exclude(status="replaced"))
            needs = list(self.repair.needs.all())
            offered = {
                pk: machine.offers(current, people[pk], needs, plans) for pk in self.on_screen(name)
            }
            shown: set[tuple[int, Action, int | None]] = set()
            for control in controls_of(page, self.repair):
                for actor in control.actors or (me.pk,):
                    where = f"{name}'s screen ({self.state()}), for {people[actor].name}"
                    assert offered[actor].allows(control.action, control.target), (
                        f"{where}: {control.action} on {control.target} is not allowed now"
                    )
                    shown.add((actor, control.action, control.target))
                    self.seen.add(control.action)
            for actor, may in offered.items():
                for action, target in may:
                    if action in MADE_ELSEWHERE or (action in OWN_ONLY and actor != me.pk):
                        continue
                    if action in ANY_ONE and any((a, action, target) in shown for a in offered):
                        continue
                    assert (actor, action, target) in shown, (
                        f"{name}'s screen ({self.state()}) lacks {action} on {target} "
                        f"for {people[actor].name}"
                    )
            self.checked += 1

    def state(self) -> str:
        return f"{self.repair.stage}/{self.repair.phase or '-'}"

    def post(self, name: str, url: str, expect: int = 200, **data: object) -> None:
        response = self.clients[name].post(url, data, headers={"HX-Request": "true"})
        assert response.status_code in {expect, 302, 303}, response.content.decode()[:500]

    def move(self, name: str, move: str, **data: object) -> None:
        self.repair.refresh_from_db()
        data.setdefault("phase", self.repair.phase)
        self.post(name, self.url("repair_move", move), **data)
        self.check()


def _step_five_data(
    walk: Walk, action: Action, actor: Participation, current: machine.Scene, target: int | None
) -> tuple[str, dict[str, object]] | None:
    """The data a person would send for a move, or None to leave it for now."""
    phase = walk.repair.phase
    name = {v: k for k, v in STEP_FIVE_MOVES.items()}[action]
    data: dict[str, object] = {"as": actor.pk}
    match action:
        case Action.ACCEPT_PROPOSAL:
            data["proposal"] = target
        case Action.ANSWER_REQUEST:
            data |= {"request": target, "answer": "yes"}
        case Action.ANSWER_REFLECTION:
            partly = len(current.reflections) == 1 and walk.repair.listening_round == 1
            data |= {"reflection": target, "heard": "partly" if partly else "yes"}
            data["correction"] = "and scared" if partly else ""
        case Action.REFLECT_BACK:
            data |= {"turn": target, "heard": "You felt alone.", "body": ""}
        case Action.PROPOSE if current.open_proposal is None:
            if phase == "space":
                data |= {"text": "the kitchen", "choice": machine.space_settings(current)[0].key}
                data["detail"] = machine.space_postures(current)[0].key
            elif phase == "intention":
                data["text"] = "Find our way back to trust."
            else:
                written = next(w for w in machine.rebond_ways(current) if w.writes_message)
                data |= {"choice": written.key, "text": ""}
        case Action.CHOOSE_PRESENCE if walk.presence and current.repair.presence != walk.presence:
            data["presence"] = walk.presence
        case Action.SHARE_TURN if current.turn is not None and not current.turn.shared:
            data |= {"turn": target, "text": "I felt alone."}
        case Action.MAKE_REQUEST if not any(r.requester_id == actor.pk for r in current.requests):
            data |= {"text": "Tell me when you need space.", "review_on": _soon()}
        case Action.CHOOSE_SPEAKER:
            data["speaker"] = actor.pk
        case Action.CONSIDER if not actor.considerations:
            data["considerations"] = sealed()  # the checklist, sealed on the device
        case Action.ANSWER_CLEAR:
            # The first time round, one person is not clear yet: listening again follows.
            data["clear"] = "no" if walk.repair.listening_round == 1 else "yes"
        case Action.CHOOSE_NEXT:
            data["next"] = "listen"
        case Action.AFFIRM if not current.repair.affirmations.filter(author=actor).exists():
            data["text"] = "You matter to me."
        case Action.DONE_PHASE | Action.CONFIRM_REBOND:
            pass
        case _:
            return None
    return name, data


PRIORITY = (
    Action.CHOOSE_PRESENCE,
    Action.SHARE_TURN,
    Action.ANSWER_REQUEST,
    Action.ACCEPT_PROPOSAL,
    Action.ANSWER_REFLECTION,
    Action.REFLECT_BACK,
    Action.CHOOSE_SPEAKER,
    Action.CONSIDER,
    Action.PROPOSE,
    Action.MAKE_REQUEST,
    Action.AFFIRM,
    Action.ANSWER_CLEAR,
    Action.CHOOSE_NEXT,
    Action.DONE_PHASE,
    Action.CONFIRM_REBOND,
)


def walk_step_five(walk: Walk, screens: dict[str, list[str]], pause_in: str = "") -> None:
    """Moves chosen from the machine's offers until the repair is complete.

    `screens` says which device each person acts from (one screen: several on one)."""
    paused = False
    for _ in range(200):
        walk.repair.refresh_from_db()
        if walk.repair.stage == Repair.Stage.COMPLETED:
            return
        if pause_in and walk.repair.phase == pause_in and not paused:
            device = next(iter(screens))
            walk.post(device, walk.url("repair_pause"))
            walk.check()
            walk.post(device, walk.url("repair_resume"))
            walk.check()
            walk.post(device, walk.url("repair_ready"), ready="yes")  # ready again
            walk.check()
            paused = True
        current = scene.load(walk.repair)
        chosen = None
        for action in PRIORITY:
            for device, names in screens.items():
                for person in (p for p in current.joined if p.name in names):
                    may = machine.offers(current, person)
                    for kind, target in sorted(may, key=lambda m: (m[0], m[1] or 0)):
                        if kind != action:
                            continue
                        data = _step_five_data(walk, action, person, current, target)
                        if data is not None:
                            chosen = (device, *data)
                            break
                    if chosen:
                        break
                if chosen:
                    break
            if chosen:
                break
        assert chosen, f"no move offered at {walk.state()}"
        device, move, data = chosen
        walk.move(device, move, **data)
    raise AssertionError("the repair did not complete")


def _soon() -> str:
    return (date.today() + timedelta(days=14)).isoformat()


def start(walk: Walk, opener: str) -> None:
    """Everyone answers, joins, pauses and comes back, gets ready: checked at each state."""
    walk.check()
    others = [n for n in walk.clients if walk.participation(n).status != "joined"]
    for index, name in enumerate(others):
        if index == 0:
            walk.post(name, walk.url("repair_not_yet"))
            walk.check()
        walk.post(name, walk.url("repair_join"))
        walk.check()
    walk.post(opener, walk.url("repair_pause"))
    walk.check()
    walk.post(opener, walk.url("repair_resume"))
    walk.check()
    for name in walk.clients:
        walk.post(name, walk.url("repair_ready"), ready="yes")
        walk.check()


def test_two_people_every_state(cast: Cast) -> None:
    feel_safe(cast.us, cast.ada, cast.ben)
    walk = Walk(cast.repair, {"ada": cast.ada, "ben": cast.ben})
    walk.post("ben", walk.url("repair_accept_plan", cast.plan.pk))  # a time is agreed
    # Ready for step 5 before the agreed time: start early, together.
    start(walk, "ada")
    assert walk.repair.stage == Repair.Stage.PERSONAL
    for name in walk.clients:
        walk.move(name, "start-early")
    walk.repair.refresh_from_db()
    assert walk.repair.stage == Repair.Stage.TOGETHER
    walk_step_five(walk, {"ada": ["Ada"], "ben": ["Ben"]}, pause_in="listening")
    walk.check()  # the summary: nothing left that acts on the repair
    for name in walk.clients:
        assert walk.participation(name).rebonded
    assert walk.seen >= {Action.ANSWER_REFLECTION, Action.CHOOSE_NEXT, Action.AFFIRM}


def test_two_people_apart_every_state(cast: Cast) -> None:
    """Apart: they say so, the speakers type, and the apart options are the ones offered."""
    feel_safe(cast.us, cast.ada, cast.ben)
    walk = Walk(cast.repair, {"ada": cast.ada, "ben": cast.ben}, presence="apart")
    walk.post("ben", walk.url("repair_accept_plan", cast.plan.pk))  # a time is agreed
    start(walk, "ada")
    for name in walk.clients:
        walk.move(name, "start-early")
    walk_step_five(walk, {"ada": ["Ada"], "ben": ["Ben"]})
    walk.check()
    assert walk.seen >= {Action.CHOOSE_PRESENCE, Action.SHARE_TURN, Action.AFFIRM}
    repair = walk.repair
    assert repair.presence == Repair.Presence.APART
    assert all(t.shared == "I felt alone." for t in repair.turns.filter(round=1))
    agreed = repair.proposals.filter(status="agreed")
    assert agreed.get(kind="space").choice == "voice_call"
    assert agreed.get(kind="rebond").choice == "kind_message"


def test_three_people_every_state(cast: Cast) -> None:
    feel_safe(cast.family, cast.ada, cast.ben, cast.cy)
    repair = actions.open_repair(cast.cy, cast.family, Repair.Opening.HURT)
    walk = Walk(repair, {"cy": cast.cy, "ada": cast.ada, "ben": cast.ben})
    start(walk, "cy")
    walk_step_five(walk, {"cy": ["Cy"], "ada": ["Ada"], "ben": ["Ben"]})
    walk.check()


def test_one_screen_with_a_guest_every_state(cast: Cast) -> None:
    feel_safe(cast.dees, cast.dee)
    repair = actions.open_repair(cast.dee, cast.dees, Repair.Opening.TRIGGERED)
    walk = Walk(repair, {"dee": cast.dee})
    walk.check()
    walk.post("dee", walk.url("repair_one_screen"), **{"guest-name": "Sam"})
    walk.check()
    walk.post("dee", walk.url("repair_ready"), ready="yes")
    walk.check()
    assert scene.load(walk.repair).repair.stage == Repair.Stage.TOGETHER
    walk_step_five(walk, {"dee": ["Dee", "Sam"]})
    walk.check()


def test_a_closed_repair_offers_nothing_that_acts_on_it(cast: Cast) -> None:
    feel_safe(cast.us, cast.ada, cast.ben)
    walk = Walk(cast.repair, {"ada": cast.ada, "ben": cast.ben})
    walk.post("ben", walk.url("repair_join"))
    walk.post("ada", walk.url("repair_close"))
    walk.check()
    for name in walk.clients:
        page = walk.clients[name].get(walk.url("repair")).content.decode()
        assert not list(controls_of(page, walk.repair))
        assert reverse("relationship", args=[cast.us.pk]) in page  # the way back


def test_every_move_offered_on_the_repair_screens_can_be_read_from_a_control() -> None:
    """A move the machine offers that this test cannot read from a page would escape it."""
    from tend.repairs.machine.offers import FRAME, UNTARGETED_TOGETHER

    readable = (
        set(STEP_FIVE_MOVES.values())
        | set(FRAME_FORMS.values())
        | {action for actions_ in MOVE_PAGES.values() for action in actions_}
        | {Action.MARK_READY, Action.TAKE_BACK_READY}
    )
    targeted = {
        Action.ACKNOWLEDGE_NEED,
        Action.ACCEPT_PLAN,
        Action.ACCEPT_PROPOSAL,
        Action.REFLECT_BACK,
        Action.ANSWER_REFLECTION,
        Action.ANSWER_REQUEST,
        Action.SHARE_TURN,
    }
    assert set(FRAME) | set(UNTARGETED_TOGETHER) | targeted <= readable
