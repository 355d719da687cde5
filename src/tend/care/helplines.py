"""Help lines by country, from helplines.json: a versioned file kept in the repository.

The country is never guessed (no IP lookup): the person picks it on the help page, and the
choice is kept in their session only, not on their account, so it leaves with the session.
Each entry says where its numbers come from and when they were last verified; `problems`
finds entries that are incomplete, duplicated or more than twelve months old.
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.utils.translation import pgettext

PATH = Path(__file__).with_name("helplines.json")
SESSION_KEY = "care_country"

_CODE = re.compile(r"^[A-Z]{2}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]*$")


def tel(phone: str) -> str:
    """The `tel:` address of a number as people write it ("1-800-799-7233")."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


@dataclass(frozen=True)
class Line:
    name: str
    phone: str
    url: str = ""
    note: str = ""

    @property
    def tel(self) -> str:
        return tel(self.phone)

    @property
    def shown_note(self) -> str:
        """The note in the page's language (tend.care.helpline_words marks it)."""
        return pgettext("help line", self.note) if self.note else ""


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    emergency: str
    emergency_note: str
    crisis: Line
    domestic_abuse: Line
    source: tuple[str, ...]
    verified: bool
    last_verified: date | None
    listed: date | None

    @property
    def emergency_tel(self) -> str:
        return tel(self.emergency)

    @property
    def shown_name(self) -> str:
        return pgettext("country", self.name)

    @property
    def shown_emergency_note(self) -> str:
        return pgettext("help line", self.emergency_note) if self.emergency_note else ""


@dataclass(frozen=True)
class Directory:
    name: str
    url: str
    about: str

    @property
    def shown_about(self) -> str:
        return pgettext("help line", self.about)


@dataclass(frozen=True)
class Book:
    version: str
    updated: date
    countries: tuple[Country, ...]
    international: tuple[Directory, ...]

    def get(self, code: str) -> Country | None:
        return next((c for c in self.countries if c.code == code), None)


def twelve_months_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def _date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _line_problems(where: str, line: object) -> list[str]:
    if not isinstance(line, dict):
        return [f"{where}: missing"]
    found = []
    if not isinstance(line.get("name"), str) or not line["name"].strip():
        found.append(f"{where}.name: missing")
    if not isinstance(line.get("phone"), str) or not _PHONE.match(line["phone"]):
        found.append(f"{where}.phone: missing or not a phone number")
    if "url" in line and not str(line["url"]).startswith("https://"):
        found.append(f"{where}.url: not an https address")
    return found


def problems(data: Any, today: date) -> list[str]:
    """Everything wrong with the data, in words; [] when it is whole and fresh."""
    if not isinstance(data, dict):
        return ["the file is not an object"]
    found = []
    if not isinstance(data.get("version"), str) or not data["version"].strip():
        found.append("version: missing")
    if _date(data.get("updated")) is None:
        found.append("updated: missing or not an ISO date")
    directories = data.get("international")
    if not isinstance(directories, list) or not directories:
        found.append("international: missing")
    else:
        for i, item in enumerate(directories):
            if not isinstance(item, dict) or not all(
                isinstance(item.get(k), str) and item[k].strip() for k in ("name", "url", "about")
            ):
                found.append(f"international[{i}]: needs name, url and about")
            elif not item["url"].startswith("https://"):
                found.append(f"international[{i}].url: not an https address")
    countries = data.get("countries")
    if not isinstance(countries, list) or not countries:
        return [*found, "countries: missing"]
    cutoff = twelve_months_before(today)
    seen: set[str] = set()
    for i, entry in enumerate(countries):
        if not isinstance(entry, dict):
            found.append(f"countries[{i}]: not an object")
            continue
        code = entry.get("code")
        where = f"countries[{i}] ({code})"
        if not isinstance(code, str) or not _CODE.match(code):
            found.append(f"{where}.code: missing or not two capital letters")
        elif code in seen:
            found.append(f"{where}.code: duplicated")
        else:
            seen.add(code)
        if not isinstance(entry.get("name"), str) or not entry["name"].strip():
            found.append(f"{where}.name: missing")
        if not isinstance(entry.get("emergency"), str) or not _PHONE.match(entry["emergency"]):
            found.append(f"{where}.emergency: missing or not a phone number")
        found += _line_problems(f"{where}.crisis", entry.get("crisis"))
        found += _line_problems(f"{where}.domestic_abuse", entry.get("domestic_abuse"))
        source = entry.get("source")
        if (
            not isinstance(source, list)
            or not source
            or not all(isinstance(s, str) and s.startswith("https://") for s in source)
        ):
            found.append(f"{where}.source: needs at least one https address")
        verified = entry.get("verified")
        if not isinstance(verified, bool):
            found.append(f"{where}.verified: missing (true or false)")
            continue
        if verified:
            checked = _date(entry.get("last_verified"))
            if checked is None:
                found.append(f"{where}.last_verified: missing or not an ISO date")
                continue
            label = "last_verified"
        else:
            # Not verified: no verification date to claim, but the date it was listed,
            # so that an unverified entry also comes up for review within a year.
            if entry.get("last_verified") is not None:
                found.append(f"{where}.last_verified: must be null when verified is false")
            checked = _date(entry.get("listed"))
            if checked is None:
                found.append(f"{where}.listed: missing or not an ISO date")
                continue
            label = "listed"
        if checked < cutoff:
            found.append(f"{where}.{label}: {checked} is more than 12 months ago; verify it")
        elif checked > today:
            found.append(f"{where}.{label}: {checked} is in the future")
    return found


def _line(raw: dict[str, str]) -> Line:
    return Line(raw["name"], raw["phone"], raw.get("url", ""), raw.get("note", ""))


def parse(data: dict[str, Any]) -> Book:
    countries = tuple(
        Country(
            code=e["code"],
            name=e["name"],
            emergency=e["emergency"],
            emergency_note=e.get("emergency_note", ""),
            crisis=_line(e["crisis"]),
            domestic_abuse=_line(e["domestic_abuse"]),
            source=tuple(e["source"]),
            verified=e["verified"],
            last_verified=_date(e.get("last_verified")),
            listed=_date(e.get("listed")),
        )
        for e in data["countries"]
    )
    return Book(
        version=data["version"],
        updated=date.fromisoformat(data["updated"]),
        countries=tuple(sorted(countries, key=lambda c: c.name.casefold())),
        international=tuple(
            Directory(d["name"], d["url"], d["about"]) for d in data["international"]
        ),
    )


def raw() -> Any:
    return json.loads(PATH.read_text(encoding="utf-8"))


@cache
def load() -> Book:
    return parse(raw())


def chosen(request: HttpRequest) -> Country | None:
    """The country this person picked on the help page, if any (from their session)."""
    code = request.session.get(SESSION_KEY)
    return load().get(code) if isinstance(code, str) else None


def remember(request: HttpRequest, country: Country | None) -> None:
    if country is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = country.code
