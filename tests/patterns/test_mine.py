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

URL = "/me/patterns/"


def _mine(cast: Cast, who: str) -> str:
    response = client_for(cast.people()[who]).get(reverse("my_patterns"))
    assert response.status_code == 200
    return response.content.decode()


def _practise(
    participation: Participation, key: str, before: int, after: int | None, minutes: int
) -> None:
    started = participation.joined_at or participation.repair.opened_at
    PracticeSession.objects.create(
        participation=participation,
        practice=key,
        intensity_before=before,
        intensity_after=after,
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


def test_practices_and_before_and_after_across_relationships(cast: Cast) -> None:
    us = past_repair(cast.us, [cast.ada, cast.ben], months_ago(2))
    family = past_repair(cast.family, [cast.ada, cast.cy], months_ago(1))
    mine_us = us.participations.get(user=cast.ada)
    mine_family = family.participations.get(user=cast.ada)
    _practise(mine_us, "long_exhale", 8, 4, 3)
    _practise(mine_us, "five_senses", 6, 5, 2)
    _practise(mine_family, "long_exhale", 6, 2, 3)
    # Another person's practices never count here.
    _practise(us.participations.get(user=cast.ben), "square_breath", 9, 9, 3)

    page = _mine(cast, "ada")

    # cast.practice: ada's long exhale in the open repair, started at 7, not finished.
    assert table(page, "practices")[1:] == [
        ["Slow breath, long out-breath", "3"],
        ["Five senses", "1"],
    ]
    assert words(page, "practices") == "You turned to Slow breath, long out-breath most often."
    assert table(page, "intensity")[0] == ["Practice", "Before", "After"]
    assert table(page, "intensity")[1:] == [
        ["Slow breath, long out-breath", "7", "3"],
        ["Five senses", "6", "5"],
    ]
    assert words(page, "intensity") == "Usually it went from about 6 to about 4, out of 10."
    assert "Square breathing" not in page


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
    actions.finish_practice(repair, ada, cast.practice, 3)

    assert "Slow breath, long out-breath" in _mine(cast, "ada")
    for person in ("ben", "cy", "dee", "eli"):
        page = _mine(cast, person)
        assert "Slow breath" not in page
        assert "When you try a practice in step 2, it will show here." in page
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
    assert "It is fine to stop a practice that does not help." in main


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
