"""The help-lines data file: whole, unique, sourced and fresh."""

import copy
from datetime import date, timedelta

import pytest

from tend.care import helplines

TODAY = date.today()


@pytest.fixture
def data() -> dict:
    return copy.deepcopy(helplines.raw())


def test_the_shipped_file_is_whole_and_verified_within_twelve_months() -> None:
    # This fails on the day an entry turns twelve months old: verify it, then update
    # last_verified (or listed), version and updated.
    assert helplines.problems(helplines.raw(), TODAY) == []


def test_at_least_ten_countries_with_every_line() -> None:
    book = helplines.load()
    assert len(book.countries) >= 10
    for country in book.countries:
        assert country.emergency and country.crisis.phone and country.domestic_abuse.phone
        assert country.source


def test_the_file_carries_a_version_and_an_international_fallback() -> None:
    book = helplines.load()
    assert book.version
    names = " ".join(d.name for d in book.international)
    assert "Find A Helpline" in names and "IASP" in names
    assert all(d.url.startswith("https://") for d in book.international)


def test_verified_and_unverified_entries_say_which_they_are() -> None:
    for entry in helplines.raw()["countries"]:
        if entry["verified"]:
            assert date.fromisoformat(entry["last_verified"]) <= TODAY
        else:
            # Nothing claims a verification that did not happen.
            assert entry["last_verified"] is None
            assert date.fromisoformat(entry["listed"]) <= TODAY


def test_numbers_become_tel_links() -> None:
    assert helplines.tel("1-800-799-7233") == "tel:18007997233"
    assert helplines.tel("0808 2000 247") == "tel:08082000247"
    assert helplines.tel("+44 116 123") == "tel:+44116123"
    us = helplines.load().get("US")
    assert us is not None
    assert us.emergency_tel == "tel:911"
    assert us.crisis.tel == "tel:988"


# --- The checker catches what it must -------------------------------------------------------


def test_an_entry_older_than_twelve_months_fails(data: dict) -> None:
    entry = next(e for e in data["countries"] if e["verified"])
    entry["last_verified"] = (TODAY - timedelta(days=366)).isoformat()
    found = helplines.problems(data, TODAY)
    assert len(found) == 1
    assert "more than 12 months ago" in found[0]


def test_exactly_twelve_months_is_still_fresh(data: dict) -> None:
    entry = next(e for e in data["countries"] if e["verified"])
    entry["last_verified"] = helplines.twelve_months_before(TODAY).isoformat()
    assert helplines.problems(data, TODAY) == []


def test_an_unverified_entry_also_expires(data: dict) -> None:
    entry = next(e for e in data["countries"] if not e["verified"])
    entry["listed"] = "2020-01-01"
    assert any("listed: 2020-01-01" in p for p in helplines.problems(data, TODAY))


def test_an_unverified_entry_cannot_claim_a_verification_date(data: dict) -> None:
    entry = next(e for e in data["countries"] if not e["verified"])
    entry["last_verified"] = TODAY.isoformat()
    assert any("must be null" in p for p in helplines.problems(data, TODAY))


@pytest.mark.parametrize(
    "field", ["code", "name", "emergency", "crisis", "domestic_abuse", "source", "verified"]
)
def test_a_missing_field_fails(data: dict, field: str) -> None:
    del data["countries"][0][field]
    assert helplines.problems(data, TODAY) != []


@pytest.mark.parametrize("field", ["name", "phone"])
def test_a_line_without_name_or_phone_fails(data: dict, field: str) -> None:
    del data["countries"][0]["crisis"][field]
    assert any(f"crisis.{field}" in p for p in helplines.problems(data, TODAY))


def test_a_duplicated_code_fails(data: dict) -> None:
    data["countries"].append(copy.deepcopy(data["countries"][0]))
    assert any("duplicated" in p for p in helplines.problems(data, TODAY))


def test_a_missing_version_or_directory_fails(data: dict) -> None:
    del data["version"]
    data["international"] = []
    found = helplines.problems(data, TODAY)
    assert "version: missing" in found
    assert "international: missing" in found


def test_a_verification_date_that_is_not_a_date_fails(data: dict) -> None:
    entry = next(e for e in data["countries"] if e["verified"])
    entry["last_verified"] = "last week"
    assert any("not an ISO date" in p for p in helplines.problems(data, TODAY))


def test_the_startup_check_warns_instead_of_stopping(monkeypatch: pytest.MonkeyPatch) -> None:
    from tend.care.checks import help_lines_are_whole_and_fresh

    assert help_lines_are_whole_and_fresh() == []
    stale = copy.deepcopy(helplines.raw())
    next(e for e in stale["countries"] if e["verified"])["last_verified"] = "2000-01-01"
    monkeypatch.setattr(helplines, "raw", lambda: stale)
    messages = help_lines_are_whole_and_fresh()
    assert [m.id for m in messages] == ["care.W001"]
