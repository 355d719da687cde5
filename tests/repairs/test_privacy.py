"""The privacy marker test: what ada keeps private never reaches anyone else.

Ada writes into every private field of steps 1-4 and moves through her personal steps.
What she writes is sealed on her device (issue 12): here each field holds its own
envelope, and neither any envelope nor the marker (in the copies she brings, shown only
in step 5) may reach anyone else. Every page and fragment the others can open must be byte-for-byte
what it was before (so it shows neither the marker nor which step she is in), and
no event is recorded, so no stream can carry a trace of it.
"""

import re

import pytest
from django.test import Client

from tend.repairs import actions, content
from tend.repairs.models import Participation
from tests.conftest import Cast, client_for
from tests.sealed import sealed
from tests.test_access import PEOPLE, ROUTES, past_of_us

MARKER = "PRIVATE-MARKER-7f3a"
# Tokens that differ per request, whatever ada does.
VOLATILE = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": "|/invite/)[^"/]+')


def _pages_seen_by(cast: Cast, person: str, client: Client | None = None) -> dict[str, bytes]:
    client = client or client_for(cast.people()[person])
    pages = {}
    # Every address first: some are of scenes made on first use (a past repair), which
    # must exist before any page is read, or the first pages would predate them.
    urls = {
        name: route.url(cast)
        for name, route in ROUTES.items()
        if not route.streaming and route.get.get(person) == 200
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[name] = VOLATILE.sub(rb"\1<token>", response.content)
    return pages


def _write_everything_privately(cast: Cast) -> list[str]:
    """Returns every envelope ada's device sealed."""
    repair = cast.repair
    ada = actions.participation_of(repair, cast.ada)
    written: list[str] = []

    def seal() -> str:
        written.append(sealed())
        return written[-1]

    actions.save_notice(repair, ada, notice=seal(), own_words=seal())
    actions.go_to_step(repair, ada, Participation.Step.STABILIZE)
    session = actions.start_practice(repair, ada, seal())
    actions.finish_practice(repair, ada, session, seal())
    actions.go_to_step(repair, ada, Participation.Step.HONOR)
    for prompt in content.HONOR_PROMPTS:
        actions.write_entry(repair, ada, f"honor:{prompt.key}", seal())
    actions.set_marks(repair, ada, marks=seal())
    actions.go_to_step(repair, ada, Participation.Step.REFLECT)
    for index, prompt in enumerate(content.REFLECT_PROMPTS):
        # Brought answers are shown only in step 5, which has not begun.
        actions.write_entry(
            repair,
            ada,
            f"reflect:{prompt.key}",
            seal(),
            bring=index % 2 == 0,
            shared=f"{MARKER} {prompt.key}",
        )
    actions.set_marks(repair, ada, readiness=seal())
    return written


@pytest.mark.parametrize("ben_has_joined", [False, True])
def test_nothing_private_reaches_the_others(cast: Cast, ben_has_joined: bool) -> None:
    if ben_has_joined:
        actions.join(cast.repair, actions.participation_of(cast.repair, cast.ben))
    past_of_us(cast)  # a past repair, so the history pages show one from the start
    observers = [p for p in PEOPLE if p != "ada"]
    # One browser each, before and after: a second sign-in would itself show, on the
    # person's own list of where they are signed in.
    clients = {person: client_for(cast.people()[person]) for person in observers}
    before = {person: _pages_seen_by(cast, person, clients[person]) for person in observers}
    seq_before = type(cast.us).objects.get(pk=cast.us.pk).last_seq

    written = _write_everything_privately(cast)

    seq_after = type(cast.us).objects.get(pk=cast.us.pk).last_seq
    assert seq_after == seq_before, "a personal step recorded an event others can stream"
    for person in observers:
        after = _pages_seen_by(cast, person, clients[person])
        for name, page in after.items():
            assert MARKER.encode() not in page, f"{person} sees the marker on {name}"
            for envelope in written:
                assert envelope.encode() not in page, f"{person} sees a sealed entry on {name}"
            assert page == before[person][name], f"{person}'s view of {name} changed"


def test_ada_sees_her_own_words(cast: Cast) -> None:
    # Sealed, for her device to open (tests/e2e/test_private_fields.py reads them back).
    written = _write_everything_privately(cast)
    client = client_for(cast.ada)
    base = f"/r/{cast.us.pk}/repairs/{cast.repair.pk}"
    shown = "".join(
        client.get(f"{base}/{page}/").content.decode()
        for page in ("notice", "stabilize", "honor", "reflect")
    )
    for envelope in written:
        assert envelope in shown


UNBROUGHT = "UNBROUGHT-NOTE-91c2"
BROUGHT = "BROUGHT-NOTE-44be"
# What ada's device sealed: the unbrought reflection, an honor answer, her considerations.
UNBROUGHT_SEALED, HONOR_SEALED, CONSIDERED = sealed(), sealed(), sealed()


def _to_listening_with_ada_speaking(cast: Cast) -> None:
    from tend.repairs import reengagement

    repair = cast.repair
    ada = actions.participation_of(repair, cast.ada)
    ben = actions.participation_of(repair, cast.ben)
    actions.join(repair, ben)
    actions.write_entry(repair, ada, "reflect:responsibility", UNBROUGHT_SEALED, bring=False)
    actions.write_entry(
        repair, ada, "reflect:support_and_requests", sealed(), bring=True, shared=BROUGHT
    )
    actions.write_entry(repair, ada, "honor:what_hurts", HONOR_SEALED)
    for part in (ada, ben):
        actions.mark_ready(repair, part, True)
    reengagement.consider(repair, ada, CONSIDERED, "considerations")
    for phase in ("considerations",):
        for part in (ada, ben):
            reengagement.done_with_phase(repair, part, phase)
    for phase in ("space", "intention"):
        proposal = reengagement.propose(repair, ada, phase, text="here")
        reengagement.accept(repair, ben, proposal, phase)
    for phase in ("agreements", "tips"):
        for part in (ada, ben):
            reengagement.done_with_phase(repair, part, phase)
    reengagement.choose_first_speaker(repair, ben, ada, "listening")


def test_in_step_5_only_brought_notes_reach_the_others(cast: Cast) -> None:
    _to_listening_with_ada_speaking(cast)
    for person in ("ben", "cy", "dee", "eli", "anonymous"):
        for name, page in _pages_seen_by(cast, person).items():
            for unbrought in (UNBROUGHT, UNBROUGHT_SEALED, HONOR_SEALED):
                assert unbrought.encode() not in page, f"{person} sees an unbrought note on {name}"
            assert CONSIDERED.encode() not in page, f"{person} sees ada's considerations"
    stage = (
        client_for(cast.ben)
        .get(f"/r/{cast.us.pk}/repairs/{cast.repair.pk}/together/")
        .content.decode()
    )
    assert BROUGHT in stage  # ben, the listener, sees what ada chose to bring


def test_on_a_shared_screen_unbrought_notes_never_show(cast: Cast) -> None:
    _to_listening_with_ada_speaking(cast)
    screen = client_for(cast.ada)
    base = f"/r/{cast.us.pk}/repairs/{cast.repair.pk}"
    screen.post(f"{base}/one-screen/", {"guest-name": "Sam"})
    for url in (f"{base}/", f"{base}/together/"):
        page = screen.get(url).content.decode()
        assert UNBROUGHT_SEALED not in page and HONOR_SEALED not in page
        assert BROUGHT in page


# Sealed on each one's device: own reflections and private words; brought: a plain copy.
ADA_OWN = sealed()
ADA_BROUGHT = "ADA-BROUGHT-REFLECTION-0a9c"
BEN_OWN = sealed()
PRIVATE_WORDS = sealed()


def test_at_requests_each_sees_only_their_own_reflections(cast: Cast) -> None:
    from tests.repairs.test_next_repair import to_requests
    from tests.repairs.test_together_flow import ready_room

    repair = cast.repair
    ada = actions.participation_of(repair, cast.ada)
    ben = actions.participation_of(repair, cast.ben)
    actions.join(repair, ben)
    brought = sealed()
    actions.write_entry(repair, ada, "reflect:responsibility", ADA_OWN, bring=False)
    actions.write_entry(
        repair, ada, "reflect:support_and_requests", brought, bring=True, shared=ADA_BROUGHT
    )
    actions.write_entry(repair, ada, "honor:what_hurts", PRIVATE_WORDS)
    actions.write_entry(repair, ben, "reflect:responsibility", BEN_OWN, bring=False)
    room = ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    to_requests(room)

    page = room.stage("ada")
    assert "Your reflections (only you see them)" in page
    assert ADA_OWN in page and brought in page  # sealed, for her device to open
    assert BEN_OWN not in page and PRIVATE_WORDS not in page
    page = room.stage("ben")
    assert BEN_OWN in page
    assert ADA_OWN not in page and PRIVATE_WORDS not in page and brought not in page
    for person in ("ben", "cy", "dee", "eli", "anonymous"):
        for name, seen in _pages_seen_by(cast, person).items():
            assert ADA_OWN.encode() not in seen, f"{person} sees ada's own reflection on {name}"
            assert PRIVATE_WORDS.encode() not in seen, f"{person} sees ada's words on {name}"

    # A screen shared with a guest shows only what was brought, to be shared anyway.
    room.clients["ada"].post(room.url("repair_one_screen"), {"guest-name": "Sam"})
    page = room.stage("ada")
    assert ADA_OWN not in page and BEN_OWN not in page and PRIVATE_WORDS not in page
    assert "What Ada chose to bring" in page and ADA_BROUGHT in page
    assert "Your reflections (only you see them)" not in page


def test_the_requests_screen_speaks_of_reflections_only_when_there_are_some(cast: Cast) -> None:
    from tests.repairs.test_next_repair import to_requests
    from tests.repairs.test_together_flow import ready_room

    ben = actions.participation_of(cast.repair, cast.ben)
    actions.join(cast.repair, ben)
    actions.write_entry(cast.repair, ben, "reflect:responsibility", BEN_OWN, bring=False)
    room = ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    to_requests(room)
    assert "What do you need going forward?" in room.stage("ada")
    assert "Your reflections are here to help." not in room.stage("ada")  # she wrote none
    assert "Your reflections are here to help." in room.stage("ben")
