"""How long a repair took, in words: warm for short times, right units and plurals."""

from datetime import timedelta

import pytest

from tend.repairs.templatetags.repair_tags import duration


@pytest.mark.parametrize(
    ("took", "words"),
    [
        (timedelta(seconds=0), "less than a minute"),
        (timedelta(seconds=59), "less than a minute"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=2, seconds=30), "2 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=1, minutes=1), "1 hour and 1 minute"),
        (timedelta(hours=2, minutes=5), "2 hours and 5 minutes"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=1, hours=1), "1 day and 1 hour"),
        (timedelta(days=3, hours=4, minutes=9), "3 days and 4 hours"),
        (timedelta(days=3, minutes=9), "3 days"),
    ],
)
def test_duration_in_words(took: timedelta, words: str) -> None:
    assert duration(took) == words
