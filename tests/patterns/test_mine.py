"""A person's own patterns page: from their own private data, across all their
relationships, for them alone; nobody else's data ever reaches it."""

from datetime import timedelta

from django.urls import reverse

from tend.live.models import Event
from tend.repairs import actions
from tend.repairs.events import RepairEvent
from tend.repairs.models import Participation, PracticeSession
from tests.conftest import Cast, client_for
from tests.patterns.helpers import months_ago, past_repair, section, table, words
from tests.sealed import sealed

URL = "/me/patterns/"


def _mine(cast: Cast, who: str) -> str:
    response = client_for(cast.people()[who]).get(reverse("my_patterns"))
    assert response.status_code == 200
    return response.content.decode()


def _practise(
    participation: Participation, key: str, before: int, after: int | None, minutes: int
) -> None:
    started = participation.joined_at or participation.repair.opened_at
    # Which practice and how strong (`key`, `before`, `after`) are sealed on the device.
    del key, before
    PracticeSession.objects.create(
        participation=participation,
        before=sealed(),
        after=sealed() if after is not None else "",
        started_at=started + timedelta(minutes=1),
        finished_at=started + timedelta(minutes=1 + minutes) if after is not None else None,
    )


def _ready_event(repair, user, at) -> None:  # type: ignore[no-untyped-def]
    seq = Event.objects.filter(relationship=repair.relationship).count() + 1000
    Event.objects.create(
        relationship=repair.relationship,
        seq=seq,
        kind=RepairEvent.READY_CHANGED,
        actor=user,
        repair_id=repair.pk,
        created_at=at,
    )


def test_the_route_has_no_id_in_it() -> None:
    assert reverse("my_patterns") == URL


SEALED = "sealed on your own device, so the server cannot draw them here"


def test_practices_and_how_strong_are_sealed_so_the_server_draws_none(cast: Cast) -> None:
    # Which practice and how strong it felt are sealed on the person's device (issue
    # 12): the server cannot count or draw them, and says so. (Drawing them on the
    # device is not built yet.)
    us = past_repair(cast.us, [cast.ada, cast.ben], months_ago(2))
    _practise(us.participations.get(user=cast.ada), "long_exhale", 8, 4, 3)
    page = _mine(cast, "ada")
    assert SEALED in " ".join(page.split())
    assert "Slow breath" not in page


def test_how_long_steps_one_to_four_took(cast: Cast) -> None:
    one = past_repair(cast.us, [cast.ada, cast.ben], months_ago(2), took=timedelta(hours=4))
    past_repair(cast.family, [cast.ada, cast.cy], months_ago(1), took=timedelta(hours=2))
    # ada said she was ready 30 minutes in (then took it back and said it again at 40)
    # in the first; in the second, no event: step 5's start (an hour in) stands for it.
    _ready_event(one, cast.ada, one.opened_at + timedelta(minutes=30))
    _ready_event(one, cast.ada, one.opened_at + timedelta(minutes=40))
    _ready_event(one, cast.ada, one.opened_at + timedelta(hours=3))  # a pause in step 5
    _ready_event(one, cast.ben, one.opened_at + timedelta(minutes=10))  # ben's, not hers
    _practise(one.participations.get(user=cast.ada), "long_exhale", 8, 4, 6)

    page = _mine(cast, "ada")

    rows = table(page, "steps")
    assert rows[0] == ["Repair", "Joining to ready", "Practices"]
    assert [row[1:] for row in rows[1:]] == [
        ["about 40 minutes", "about 6 minutes"],
        ["about an hour", "—"],
    ]
    assert words(page, "steps") == (
        "From joining a repair to feeling ready usually took you about 50 minutes. "
        "Your practices in step 2 usually took about 6 minutes of that."
    )
    assert "does not note when each step ends" in section(page, "steps")
    # ben's own page: his own times only.
    ben = table(_mine(cast, "ben"), "steps")
    assert [row[1] for row in ben[1:]] == ["about 10 minutes"]


def test_nobody_else_sees_anything_of_it(cast: Cast) -> None:
    repair = cast.repair
    ada = actions.participation_of(repair, cast.ada)
    actions.finish_practice(repair, ada, cast.practice, sealed())

    assert "Slow breath, long out-breath" not in _mine(cast, "ada")  # sealed: not here
    for person in ("ben", "cy", "dee", "eli"):
        page = _mine(cast, person)
        assert "Slow breath" not in page
        assert "Once you have gone through steps 1 to 4" in page
    anonymous = client_for(None).get(URL)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    # Nothing takes an id or a name to show another person's page.
    for other in (f"{URL}?user={cast.ada.pk}", f"{URL}{cast.ada.pk}/"):
        response = client_for(cast.ben).get(other)
        assert "Slow breath" not in response.content.decode()


def test_the_profile_links_to_it(cast: Cast) -> None:
    assert URL in client_for(cast.ben).get(reverse("profile")).content.decode()


def test_words_not_scores(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben], months_ago(1))
    _practise(repair.participations.get(user=cast.ada), "five_senses", 5, 7, 2)
    main = _mine(cast, "ada").split('id="main"')[1]
    assert "%" not in main
    for word in ("rate", "score", "streak", "success", "fail", "ben"):
        assert word not in main.lower()
    assert SEALED in " ".join(main.split())


def test_the_page_reads_a_bounded_number_of_queries(  # type: ignore[no-untyped-def]
    cast: Cast, django_assert_max_num_queries
) -> None:
    for month in range(12):
        repair = past_repair(cast.us, [cast.ada, cast.ben], months_ago(month, 3))
        _practise(repair.participations.get(user=cast.ada), "five_senses", 5, 3, 2)
        _ready_event(repair, cast.ada, repair.opened_at + timedelta(minutes=20))
    client = client_for(cast.ada)
    client.get(URL)  # the session's first-request bookkeeping, out of the count
    with django_assert_max_num_queries(7):
        assert client.get(URL).status_code == 200


SEALED_URL = "/me/patterns/sealed/"


def test_the_device_gets_only_its_owners_ciphertext(cast: Cast) -> None:
    # Issue 12: the page draws practices on the device, from an owner-only address that
    # hands out only the person's own sealed rows, as ciphertext with their aad.
    us = past_repair(cast.us, [cast.ada, cast.ben], months_ago(2))
    _practise(us.participations.get(user=cast.ada), "long_exhale", 8, 4, 3)
    _practise(us.participations.get(user=cast.ben), "five_senses", 6, 3, 2)
    adas = PracticeSession.objects.get(participation__user=cast.ada, participation__repair=us)
    bens = PracticeSession.objects.get(participation__user=cast.ben, participation__repair=us)
    every_ada = PracticeSession.objects.filter(participation__user=cast.ada).exclude(before="")

    page = _mine(cast, "ada")
    assert SEALED_URL in page and 'id="practices-on-device"' in page
    assert adas.before not in page and bens.before not in page  # fetched, not in the page

    response = client_for(cast.ada).get(SEALED_URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    sessions = response.json()["sessions"]
    assert len(sessions) == every_ada.count()
    assert {
        "before": adas.before,
        "after": adas.after,
        "aad": f"{cast.ada.pk}:practice:repair-{us.pk}",
    } in sessions
    for s in sessions:
        assert s["aad"].startswith(f"{cast.ada.pk}:practice:repair-")
        assert s["before"].startswith("e2e1.") and (
            s["after"] == "" or s["after"].startswith("e2e1.")
        )
    body = response.content.decode()
    assert bens.before not in body and bens.after not in body
    # Ben's own address gives Ben's, never Ada's; nothing takes an id.
    bens_body = client_for(cast.ben).get(SEALED_URL).content.decode()
    assert bens.before in bens_body and adas.before not in bens_body
    assert client_for(cast.ben).get(f"{SEALED_URL}?user={cast.ada.pk}").json() == (
        client_for(cast.ben).get(SEALED_URL).json()
    )
    anonymous = client_for(None).get(SEALED_URL)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    assert client_for(cast.ada).post(SEALED_URL).status_code == 405


def test_nothing_sealed_no_drawing(cast: Cast) -> None:
    PracticeSession.objects.filter(participation__user=cast.cy).delete()
    page = _mine(cast, "cy")
    assert 'id="practices-on-device"' not in page and "tend/js/patterns-private" in page
    assert client_for(cast.cy).get(SEALED_URL).json()["sessions"] == []
