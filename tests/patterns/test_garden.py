"""The garden page: a relationship's shared patterns, for its current members only,
counting only the repairs each member may see and nothing anyone kept to themselves."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tend.patterns.charts import long_month, month_of
from tend.repairs import actions
from tend.repairs.models import Commitment, CommitmentRevision, NeedRequest, Repair
from tests.conftest import Cast, client_for, join
from tests.patterns.helpers import months_ago, past_repair, section, table, words
from tests.sealed import sealed

MARKER = "PRIVATE-MARKER-garden-5c1d"


def _garden(cast: Cast, who: str, relationship=None) -> str:  # type: ignore[no-untyped-def]
    relationship = relationship or cast.us
    response = client_for(cast.people()[who]).get(
        reverse("relationship_garden", args=[relationship.pk])
    )
    assert response.status_code == 200
    return response.content.decode()


def _per_month(page: str) -> dict[str, str]:
    return {month: count for month, count in table(page, "repairs")[1:]}


def _needs(page: str) -> dict[str, str]:
    return {need: count for need, count in table(page, "needs")[1:]}


def test_an_empty_garden_says_so_kindly(cast: Cast) -> None:
    page = _garden(cast, "dee", cast.dees)
    assert "No repairs in the last twelve months" in page
    assert "how long it took will show here" in page
    assert "Commitments you make" in page
    assert "<svg" not in page.split('id="main"')[1]


def test_the_charts_count_the_repairs_needs_and_times(cast: Cast) -> None:
    people = [cast.ada, cast.ben]
    past_repair(cast.us, people, months_ago(2), took=timedelta(hours=2), needs=("space",))
    past_repair(cast.us, people, months_ago(2, 20), took=timedelta(hours=4), needs=("assurance",))
    past_repair(cast.us, people, months_ago(1), took=None, needs=("space", "solitude"))

    page = _garden(cast, "ben")

    per_month = _per_month(page)
    assert len(per_month) == 12
    assert per_month[long_month(month_of(months_ago(2)))] == "2"
    assert per_month[long_month(month_of(months_ago(1)))] == "1"
    # The repair still open, opened today.
    assert per_month[long_month(month_of(timezone.now()))] == "1"
    assert "4 repairs in the last twelve months." in words(page, "repairs")
    # Completed ones only: the closed one never rebonded.
    rebond = table(page, "rebond")
    assert [row[1] for row in rebond[1:]] == ["about 2 hours", "about 4 hours"]
    assert "usually took about 3 hours" in words(page, "rebond")
    # Needs, with their labels, the open repair's "space" (cast.need) included.
    assert _needs(page) == {"Space": "3", "Solitude": "1", "Assurance": "1"}
    assert words(page, "needs") == "Space came up most often."


def test_the_drawing_holds_the_table_s_numbers(cast: Cast) -> None:
    people = [cast.ada, cast.ben]
    for day in (3, 10, 17):
        past_repair(cast.us, people, months_ago(3, day))
    page = _garden(cast, "ada")
    drawn = section(page, "repairs")
    heights = [
        float(h)
        for h in re.findall(r'<rect class="chart-bar chart-s0"[^>]*height="([\d.]+)"', drawn)
    ]
    counts = [int(c) for c in _per_month(page).values() if c != "0"]
    # Two months have repairs: 3 and 1 (the open one); bars in proportion.
    assert counts == [3, 1]
    assert heights[0] / heights[1] == pytest.approx(3)


def test_a_later_member_counts_no_repair_from_before_they_joined(cast: Cast) -> None:
    past_repair(cast.us, [cast.ada, cast.ben], months_ago(4), needs=("solitude",))
    join(cast.cy, cast.us, cast.ada)
    cy = cast.cy

    page = _garden(cast, "cy")

    # Nothing before cy joined: not the past repair, nor the one open since before.
    assert "<table>" not in section(page, "repairs")
    assert "No repairs in the last twelve months" in page
    assert "Solitude" not in page and "Space" not in page
    # A repair after cy joined counts for cy; so does the open one once cy joins it.
    actions.join(cast.repair, actions.participation_of(cast.repair, cy))
    past_repair(
        cast.us, [cast.ada, cy], timezone.now() - timedelta(minutes=5), needs=("assurance",)
    )
    page = _garden(cast, "cy")
    assert _per_month(page)[long_month(month_of(timezone.now()))] == "2"
    assert _needs(page) == {"Space": "1", "Assurance": "1"}
    # ada, there all along, sees all three.
    assert sum(int(n) for n in _per_month(_garden(cast, "ada")).values()) == 3


def test_another_relationship_is_never_counted(cast: Cast) -> None:
    past_repair(cast.family, [cast.ada, cast.ben, cast.cy], months_ago(1), needs=("solitude",))
    past_repair(cast.dees, [cast.dee], months_ago(1), needs=("disengagement",))
    Commitment.objects.create(
        relationship=cast.family,
        owner=cast.cy,
        owner_name="Cy",
        text="Call on Sundays.",
        review_on=timezone.localdate(),
    )

    page = _garden(cast, "ada")

    assert sum(int(n) for n in _per_month(page).values()) == 1  # the open one of "Us"
    assert _needs(page) == {"Space": "1"}
    assert table(page, "commitments")[-1][1:] == ["1", "0", "0"]  # ben's, in "Us"
    family = _garden(cast, "cy", cast.family)
    assert sum(int(n) for n in _per_month(family).values()) == 1
    assert _needs(family) == {"Solitude": "1"}


def test_commitments_by_status_month_by_month(cast: Cast) -> None:
    old = past_repair(cast.us, [cast.ada, cast.ben], months_ago(3))
    made = Commitment.objects.create(
        relationship=cast.us,
        repair=old,
        owner=cast.ada,
        owner_name="Ada",
        text=f"{MARKER} listen first",
        review_on=timezone.localdate(),
        created_at=months_ago(3),
        status=Commitment.Status.LET_GO,
    )
    for status, when in (
        (Commitment.Status.ACTIVE, months_ago(3)),
        (Commitment.Status.KEPT, months_ago(2)),
        (Commitment.Status.LET_GO, months_ago(1)),
    ):
        CommitmentRevision.objects.create(
            commitment=made,
            text=made.text,
            review_on=made.review_on,
            status=status,
            edited_by=cast.ada,
            edited_at=when,
        )

    page = _garden(cast, "ben")
    rows = {row[0]: row[1:] for row in table(page, "commitments")[1:]}

    assert table(page, "commitments")[0] == [
        "Month",
        "We are working on it",
        "Done",
        "Let go of, for now",
    ]
    assert rows[long_month(month_of(months_ago(4)))] == ["0", "0", "0"]
    assert rows[long_month(month_of(months_ago(3)))] == ["1", "0", "0"]
    assert rows[long_month(month_of(months_ago(2)))] == ["0", "1", "0"]
    # This month: ada's let go of, ben's (cast.commitment, today) being worked on.
    assert rows[long_month(month_of(timezone.now()))] == ["1", "0", "1"]
    assert words(page, "commitments") == "Now: 1 being worked on, 0 done, 1 let go of."
    assert MARKER not in page


def test_nothing_private_is_on_the_garden(cast: Cast) -> None:
    repair = cast.repair
    ada = actions.participation_of(repair, cast.ada)
    # Private steps arrive sealed on the device (tend.core.e2e).
    actions.save_notice(repair, ada, notice=sealed(), own_words=sealed())
    actions.finish_practice(repair, ada, cast.practice, sealed())
    actions.write_entry(repair, ada, "honor:what_hurts", sealed())
    NeedRequest.objects.create(repair=repair, author=cast.ada, need="other", own_words=MARKER)

    for person in ("ada", "ben"):
        page = _garden(cast, person)
        assert MARKER not in page
        # No practice, no intensity: those belong to each person's own page.
        assert "practice" not in page.lower().replace("repair", "")
        assert "Before" not in page and "out of 10" not in page
    assert _needs(page) == {"Space": "1", "Something else": "1"}


def test_words_not_scores(cast: Cast) -> None:
    past_repair(cast.us, [cast.ada, cast.ben], months_ago(1), needs=("space",))
    past_repair(cast.us, [cast.ada, cast.ben], months_ago(1, 5), took=None)
    main = _garden(cast, "ada").split('id="main"')[1]
    assert "%" not in main
    for word in ("rate", "score", "streak", "success", "fail"):
        assert word not in main.lower()


def test_each_chart_is_named_by_its_words_and_has_a_table(cast: Cast) -> None:
    past_repair(cast.us, [cast.ada, cast.ben], months_ago(1), needs=("space",))
    page = _garden(cast, "ada")
    for key in ("repairs", "rebond", "needs", "commitments"):
        drawn = section(page, key)
        assert f'role="img" aria-labelledby="{key}-words"' in drawn
        assert words(page, key)
        assert "<details" in drawn and "<table>" in drawn


def test_the_relationship_page_links_to_the_garden(cast: Cast) -> None:
    page = client_for(cast.ben).get(reverse("relationship", args=[cast.us.pk])).content.decode()
    assert reverse("relationship_garden", args=[cast.us.pk]) in page


def test_the_garden_reads_a_bounded_number_of_queries(  # type: ignore[no-untyped-def]
    cast: Cast, django_assert_max_num_queries
) -> None:
    for month in range(12):
        past_repair(
            cast.us, [cast.ada, cast.ben], months_ago(month, 3), needs=("space", "assurance")
        )
    client = client_for(cast.ada)
    url = reverse("relationship_garden", args=[cast.us.pk])
    client.get(url)  # the session's first-request bookkeeping, out of the count
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200


def test_a_closed_repair_counts_without_a_time(cast: Cast) -> None:
    closed = past_repair(cast.us, [cast.ada, cast.ben], months_ago(1), took=None)
    assert closed.stage == Repair.Stage.CLOSED
    page = _garden(cast, "ada")
    assert _per_month(page)[long_month(month_of(months_ago(1)))] == "1"
    assert "how long it took will show here" in page


def test_the_garden_leads_to_the_history_the_commitments_and_the_plan(cast: Cast) -> None:
    page = _garden(cast, "ben")

    for name in ("history", "relationship_commitments", "relationship_plan"):
        assert f'href="{reverse(name, args=[cast.us.pk])}"' in page
