"""Reading a patterns page as a person would: each chart's words, table and drawing; and
making past repairs with their times set, as months of use would leave them."""

import html
import re
from datetime import datetime, timedelta

from django.utils import timezone

from tend.accounts.models import User
from tend.gardens.models import Relationship
from tend.repairs.models import NeedRequest, Participation, Repair

ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


def section(page: str, key: str) -> str:
    found = re.search(
        rf'<section class="panel chart-panel" aria-labelledby="{key}-title">.*?</section>',
        page,
        re.S,
    )
    assert found, f"no {key} chart on the page"
    return found.group()


def table(page: str, key: str) -> list[list[str]]:
    """The chart's table, head row first, as the text of each cell."""
    return [
        [html.unescape(cell) for cell in CELL.findall(row)]
        for row in ROW.findall(section(page, key))
    ]


def words(page: str, key: str) -> str:
    found = re.search(rf'<figcaption id="{key}-words">(.*?)</figcaption>', page, re.S)
    assert found, f"no words for the {key} chart"
    return html.unescape(found.group(1))


def months_ago(count: int, day: int = 15) -> datetime:
    """Noon on `day` of the month `count` months back, in the current time zone."""
    today = timezone.localdate()
    year, month = today.year, today.month - count
    while month < 1:
        year, month = year - 1, month + 12
    return timezone.make_aware(datetime(year, month, day, 12))


def past_repair(
    relationship: Relationship,
    people: list[User],
    opened: datetime,
    *,
    took: timedelta | None = timedelta(hours=3),
    needs: tuple[str, ...] = (),
) -> Repair:
    """A repair of `relationship` that everyone in `people` joined, completed after
    `took` (or closed on the day when `took` is None), with the needs asked in step 1."""
    repair = Repair.objects.create(
        relationship=relationship,
        opened_by=people[0],
        opening=Repair.Opening.HURT,
        opened_at=opened,
        stage=Repair.Stage.COMPLETED if took else Repair.Stage.CLOSED,
        together_at=opened + took / 2 if took else None,
        completed_at=opened + took if took else None,
        closed_at=None if took else opened + timedelta(hours=1),
    )
    for user in people:
        Participation.objects.create(
            repair=repair, user=user, status=Participation.Status.JOINED, joined_at=opened
        )
    for need in needs:
        NeedRequest.objects.create(repair=repair, author=people[0], need=need, asked_at=opened)
    return repair
