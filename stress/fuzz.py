"""FUZZ: property-based fuzz (Hypothesis) of every route that takes a POST, and of the
query strings of every page, in-process through Django's test client.

The routes are found by walking the URL configuration; each is tried once with an empty
POST, and those that answer anything but 405 are fuzzed with POSTs (urlencoded bodies
written byte by byte, multipart, and JSON, now and then nested thousands deep; the
routes that take JSON from the page's scripts often in the shape they send, the push
subscription or the legacy rows sealed back), the rest with GETs and query strings. The
data: random unicode, lone surrogates, NUL, invalid UTF-8, huge values, NaN/inf/-1/1e309,
dates, lists, missing, extra and wrongly typed fields, beside plausible values (the
app's own field names, phase names, choices and ids) so that forms get past their first
check. The private fields sealed on a person's device (tend.core.e2e) get well-formed
envelopes, which the server cannot open but must store, and malformed ones (wrong
prefix, lengths, alphabet, padding, poison after a valid one, plaintext), which it must
refuse; and once per run each malformed envelope goes into each sealed field with the
rest of its form valid, and must be answered 400. The URL ids are the member's own
relationships and repairs (a repair in steps 1-4, one in step 5, one closed), another
person's, and made-up ones.

The member "ada" (signed in) fuzzes; anonymous visitors fuzz the pages that need no
sign-in. Every few hundred cases the fuzzed relationships are made afresh (moves may
legitimately leave them anywhere: closed, left, completed).

What must hold:
  - no answer of 500 or more, no exception out of a view, no ERROR in the log;
  - a malformed envelope in any sealed field, the rest of the form valid: a 400;
  - nothing the fuzz must not reach has changed, checked every 50 cases and at the end:
      * "Witness", a relationship of ada and ben whose ids the fuzz never uses in a URL:
        every row of it (repair, participations, private entries, messages, needs, plans,
        practice, commitments, revisions, safety answers), ada's earlier saved data included;
      * every row ben (the other member) wrote anywhere: his private entries, his
        messages, needs, practice sessions, safety answers, old private rows waiting to
        be sealed, his account (not his plans: ada's moves rightly replace or agree them);
      * Dee's relationship (an outsider): all of it, though the fuzz does aim at its ids;
      * the event log: append-only (every earlier event unchanged), and gapless per
        relationship (seq 1..N, N = the relationship's last_seq);
  - at the end, every row of every model loads (each field the server encrypts
    decrypts), every sealed field holds an envelope or nothing (the server cannot open
    them: their shape is what it can check), and ada can still sign in with her password.

    uv run python stress/fuzz.py --database sqlite|postgres   (STRESS_FUZZ_CASES=5000)
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import tempfile
import time
import traceback
from base64 import urlsafe_b64encode
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from tests.e2e.servers import fresh_database
from tests.sealed import sealed

from stress.common import Result, env_int, postgres_base

CHUNK = 250  # cases between fresh fuzzed relationships
CHECK_EVERY = 50  # cases between checks of what must not change
PASSWORD = "a calm long walk"


# --- Data ---------------------------------------------------------------------------------

NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\ufeff",
    "\u202e",
    "😀",
    "𝕏" * 300,
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "-1",
    "0",
    "-0",
    "1e309",
    "-1e309",
    "9" * 40,
    "1.5",
    "0x10",
    "true",
    "null",
    "None",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
    "%00",
    "%ZZ",
    "\r\nSet-Cookie: x=1",
    "2099-01-01",
    "1900-01-01",
    "2026-02-30",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "x" * 5000,
]
HUGE = ["y" * 100_000, "é" * 300_000, "\x00" * 50_000]

# Sealed fields (tend.core.e2e): "e2e1." + base64url of a 12-byte IV (16 characters) +
# "." + base64url of the ciphertext and its tag (22 or more, never 1 mod 4).
IV, CIPHERTEXT = "A" * 16, "B" * 22
ENVELOPE = f"e2e1.{IV}.{CIPHERTEXT}"
MALFORMED_ENVELOPES = [
    "e2e1.",
    "e2e1..",
    f"e2e1.{IV}.",
    f"e2e1.{IV[:15]}.{CIPHERTEXT}",  # an IV one character short
    f"e2e1.{IV}A.{CIPHERTEXT}",  # ... or long
    f"e2e1.{IV}.{CIPHERTEXT[:21]}",  # less than a tag
    f"e2e1.{IV}.{'B' * 25}",  # 1 mod 4: a last group that holds no whole byte
    f"E2E1.{IV}.{CIPHERTEXT}",
    f"e2e2.{IV}.{CIPHERTEXT}",  # a version this server does not know
    f"e2e1.{IV}.{CIPHERTEXT}==",  # padded
    f"e2e1.{IV}.{'B+/' * 8}",  # base64, not base64url
    f" {ENVELOPE}",
    f"{ENVELOPE}\n",
    f"{ENVELOPE}\x00",
    f"{ENVELOPE}\ud800",
    f"{ENVELOPE}.{CIPHERTEXT}",
    f"{ENVELOPE}<script>",
    f"e2e1.{IV}.{'B' * 40_000}",  # longer than any answer sealed
    "kw1." + "A" * 54,  # a wrapped key, not an envelope
    '{"feels_safe": "yes"}',  # what the safety form took before it was sealed
    "It stung.",
]

# Plausible values: the app's own words, so that forms get past their first check.
PLAUSIBLE = [
    "yes",
    "no",
    "on",
    "partly",
    "listen",
    "hurt",
    "triggered",
    "friend",
    "partner",
    "family",
    "space",
    "indoors",
    "outdoors",
    "long_hug",
    "facing_each_other",
    "yes_with_change",
    "clear_of_blame",
    "long_exhale",
    "considerations",
    "space",
    "intention",
    "agreements",
    "tips",
    "listening",
    "requests",
    "clearing",
    "rebond",
    "acknowledge",
    "stabilize",
    "honor",
    "reflect",
    "calm",
    "7",
    "1",
    "2",
    "3",
    "/home/",
    "UK",
    "US",
    "ada@example.test",
    "ben@example.test",
    "Find our way back to trust.",
]


# Endpoints that take JSON (the page's script posts it), not a form.
JSON_ROUTES = {"push_subscribe", "push_unsubscribe", "private_legacy"}
PREFIXES = ["https://push.example/", "/home/", "/r/1/", "2026-12-01", "yes", "a", ENVELOPE]


def field_names() -> list[str]:
    """Every field name the app's forms and templates use."""
    import importlib
    import re

    from django import forms

    names: set[str] = set()
    for module in (
        "tend.accounts.forms",
        "tend.repairs.forms",
        "tend.notify.forms",
        "tend.gardens.forms",
        "tend.care.forms",
    ):
        try:
            loaded = importlib.import_module(module)
        except ImportError:
            continue
        for value in vars(loaded).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                names.update(getattr(value, "base_fields", {}))
    templates = Path(__file__).resolve().parent.parent / "src" / "tend" / "templates"
    for path in templates.rglob("*.html"):
        names.update(re.findall(r'name="([a-z_0-9]+)"', path.read_text()))
    names.update({"next", "endpoint", "keys", "p256dh", "auth", "expirationTime", "subscription"})
    names.discard("csrfmiddlewaretoken")
    return sorted(names)


# --- The world ----------------------------------------------------------------------------


class World:
    """Who and what the fuzz plays with, and what it must leave alone."""

    def __init__(self) -> None:
        # ada's password is never among the fuzzed values: with it, a fuzzed "delete my
        # account" or "change my password" would legitimately undo the witness.
        from tend.accounts.models import User
        from tend.care import safety
        from tend.gardens import actions
        from tend.repairs import actions as repair_actions
        from tend.repairs.models import Commitment, Repair

        def user(name: str) -> User:
            return User.objects.create_user(
                email=f"{name}@example.test", password=PASSWORD, display_name=name.title()
            )

        self.ada, self.ben, self.dee = user("ada"), user("ben"), user("dee")
        # Dee's own relationship: the fuzz aims at its ids, and must be refused.
        self.dees = actions.create_relationship(self.dee, name="Dee's", kind="friend")
        safety.record(self.dee, self.dees, sealed())
        dees_repair = repair_actions.open_repair(self.dee, self.dees, Repair.Opening.HURT)
        dees_part = repair_actions.participation_of(dees_repair, self.dee)
        repair_actions.write_entry(dees_repair, dees_part, "honor:what_hurts", sealed())
        repair_actions.start_practice(dees_repair, dees_part, sealed())
        self._legacy(dees_repair, (self.dee,))
        # The witness: ada's and ben's earlier saved data, never named in a URL.
        self.witness = actions.create_relationship(self.ada, name="Witness", kind="partner")
        actions.accept_invitation(self.ben, actions.create_invitation(self.ada, self.witness))
        for person in (self.ada, self.ben):
            safety.record(person, self.witness, sealed())
        repair = repair_actions.open_repair(self.ada, self.witness, Repair.Opening.HURT)
        self._fill(repair)
        Commitment.objects.create(
            relationship=self.witness,
            owner=self.ben,
            owner_name="Ben",
            text="Say when I need space.",
            review_on=repair.opened_at.date() + timedelta(days=14),
        )
        self.witness_ids = {self.witness.pk}
        self.fresh()

    def _fill(self, repair: Any) -> None:
        """Both join and save private answers (sealed on their device: the notice, entries,
        marks, readiness, a practice; a reflection brought, with its shared copy), a
        message, a need, a plan."""
        from django.utils import timezone

        from tend.repairs import actions as repair_actions

        for person, words in ((self.ada, "Ada's words."), (self.ben, "Ben's own.")):
            part = repair_actions.participation_of(repair, person)
            if not part.joined:
                repair_actions.join(repair, part)
            repair_actions.save_notice(repair, part, notice=sealed(), own_words=sealed())
            repair_actions.write_entry(repair, part, "honor:what_hurts", sealed())
            repair_actions.write_entry(
                repair, part, "reflect:responsibility", sealed(), bring=True, shared=words
            )
            repair_actions.set_marks(repair, part, marks=sealed(), readiness=sealed())
            repair_actions.send_message(repair, part, f"{words} (a message)")
            repair_actions.ask_need(repair, part, "space", words)
            repair_actions.start_practice(repair, part, sealed())
        repair_actions.propose_plan(
            repair,
            repair_actions.participation_of(repair, self.ben),
            timezone.now() + timedelta(hours=3),
            "the bench",
        )

    def _legacy(self, repair: Any, people: tuple[Any, ...] = ()) -> None:
        """Private rows from before end-to-end encryption, waiting for their owner's device
        to seal them (an entry, considerations, a practice): ada may move her own through
        /me/private/legacy/, nobody may move another's."""
        from tend.repairs import actions as repair_actions
        from tend.repairs.models import LegacyPrivate, PracticeSession

        for person in people or (self.ada, self.ben):
            part = repair_actions.participation_of(repair, person)
            session = PracticeSession.objects.filter(participation=part).latest("pk")
            old = {
                "entry:honor:wished_for": "Old words.",
                "participation:considerations": json.dumps(["no_blame"]),
                f"practice:{session.pk}": json.dumps(
                    {"practice": "long_exhale", "before": 7, "after": 3}
                ),
            }
            LegacyPrivate.objects.bulk_create(
                LegacyPrivate(participation=part, key=key, text=text) for key, text in old.items()
            )

    def fresh(self) -> None:
        """New relationships to fuzz: a repair in steps 1-4, one in step 5, one closed."""
        from tend.care import safety
        from tend.gardens import actions
        from tend.repairs import actions as repair_actions
        from tend.repairs.models import Repair

        self.targets: dict[str, list[int]] = {"relationship_id": [], "repair_id": []}
        self.repairs: dict[str, Repair] = {}
        for label in ("personal", "together", "closed"):
            relationship = actions.create_relationship(self.ada, name=label, kind="partner")
            actions.accept_invitation(self.ben, actions.create_invitation(self.ada, relationship))
            for person in (self.ada, self.ben):
                safety.record(person, relationship, sealed())
            repair = repair_actions.open_repair(self.ada, relationship, Repair.Opening.HURT)
            self._fill(repair)
            if label == "together":
                for person in (self.ada, self.ben):
                    repair_actions.mark_ready(
                        repair, repair_actions.participation_of(repair, person), True
                    )
            if label == "closed":
                repair_actions.close_repair(
                    repair, repair_actions.participation_of(repair, self.ada)
                )
            self._legacy(repair)
            self.targets["relationship_id"].append(relationship.pk)
            self.repairs[label] = repair
        self.targets["repair_id"] = [r.pk for r in self.repairs.values()]
        self.token = actions.create_invitation(self.ada, relationship).token
        self.refresh_ids()

    def refresh_ids(self) -> None:
        """The ids of rows the fuzz may name, outside the witness."""
        from tend.notify.models import Notification
        from tend.repairs.models import (
            Commitment,
            LegacyPrivate,
            NeedRequest,
            PracticeSession,
            ReconvenePlan,
        )

        def ids(queryset: Any) -> list[int]:
            return list(queryset.values_list("pk", flat=True)[:30])

        self.targets["need_id"] = ids(
            NeedRequest.objects.exclude(repair__relationship__in=self.witness_ids)
        )
        self.targets["plan_id"] = ids(
            ReconvenePlan.objects.exclude(repair__relationship__in=self.witness_ids)
        )
        self.targets["session_id"] = ids(
            PracticeSession.objects.exclude(
                participation__repair__relationship__in=self.witness_ids
            )
        )
        self.targets["commitment_id"] = ids(
            Commitment.objects.exclude(relationship__in=self.witness_ids)
        )
        self.targets["notification_id"] = ids(Notification.objects.filter(user=self.ada))
        # Named in /me/private/legacy/'s JSON: ada's own, ben's and Dee's (not hers to move).
        self.targets["legacy_id"] = ids(LegacyPrivate.objects.order_by("-pk"))
        self.targets["relationship_id"] = [*self.targets["relationship_id"][:3], self.dees.pk]


def _rows(queryset: Any) -> list[dict[str, Any]]:
    return sorted(
        ({k: str(v) for k, v in row.items()} for row in queryset.values()),
        key=lambda row: row["id"],
    )


def protected(world: World) -> dict[str, Any]:
    """What no fuzzed request may change, read through the ORM (so decrypted)."""
    from tend.accounts.models import User
    from tend.care.models import SafetyAnswer
    from tend.gardens.models import Membership, Relationship
    from tend.repairs.models import (
        Commitment,
        CommitmentRevision,
        Entry,
        LegacyPrivate,
        NeedRequest,
        Participation,
        PracticeSession,
        ReconvenePlan,
        Repair,
        VoiceMessage,
    )

    # Out of the fuzz's reach ("fenced": "sealed" means made on a device, here).
    fenced = [world.dees.pk, *world.witness_ids]
    ben = world.ben
    return {
        "fenced relationships": _rows(Relationship.objects.filter(pk__in=fenced)),
        "fenced memberships": _rows(Membership.objects.filter(relationship__in=fenced)),
        "fenced repairs": _rows(Repair.objects.filter(relationship__in=fenced)),
        "fenced participations": _rows(
            Participation.objects.filter(repair__relationship__in=fenced)
        ),
        "fenced entries": _rows(
            Entry.objects.filter(participation__repair__relationship__in=fenced)
        ),
        "fenced messages": _rows(VoiceMessage.objects.filter(repair__relationship__in=fenced)),
        "fenced needs": _rows(NeedRequest.objects.filter(repair__relationship__in=fenced)),
        "fenced plans": _rows(ReconvenePlan.objects.filter(repair__relationship__in=fenced)),
        "fenced practice": _rows(
            PracticeSession.objects.filter(participation__repair__relationship__in=fenced)
        ),
        "fenced commitments": _rows(Commitment.objects.filter(relationship__in=fenced)),
        "fenced revisions": _rows(
            CommitmentRevision.objects.filter(commitment__relationship__in=fenced)
        ),
        "fenced legacy rows": _rows(
            LegacyPrivate.objects.filter(participation__repair__relationship__in=fenced)
        ),
        "ben's entries": _rows(Entry.objects.filter(participation__user=ben)),
        "ben's messages": _rows(VoiceMessage.objects.filter(author=ben)),
        "ben's needs": _rows(NeedRequest.objects.filter(author=ben)),
        "ben's practice": _rows(PracticeSession.objects.filter(participation__user=ben)),
        "ben's legacy rows": _rows(LegacyPrivate.objects.filter(participation__user=ben)),
        "fenced safety answers": _rows(SafetyAnswer.objects.filter(relationship__in=fenced)),
        "ben's safety answers": _rows(SafetyAnswer.objects.filter(user=ben)),
        "ben and dee": _rows(User.objects.filter(pk__in=[ben.pk, world.dee.pk])),
    }


def event_log() -> dict[int, list[tuple[Any, ...]]]:
    from tend.live.models import Event

    log: dict[int, list[tuple[Any, ...]]] = {}
    for row in Event.objects.order_by("relationship_id", "seq").values_list(
        "relationship_id", "seq", "kind", "actor_id", "repair_id", "subject_id", "created_at"
    ):
        log.setdefault(row[0], []).append(row[1:])
    return log


def log_problems(before: dict[int, list[tuple[Any, ...]]]) -> list[str]:
    from tend.gardens.models import Relationship

    problems = []
    after = event_log()
    for relationship, events in before.items():
        if after.get(relationship, [])[: len(events)] != events:
            problems.append(f"relationship {relationship}: earlier events changed or vanished")
    for relationship, last in Relationship.objects.values_list("pk", "last_seq"):
        seqs = [event[0] for event in after.get(relationship, [])]
        if seqs != list(range(1, last + 1)):
            problems.append(f"relationship {relationship}: seqs not 1..{last}")
    return problems


def everything_loads() -> list[str]:
    """Every row of every model, every field read (those the server encrypts decrypt on
    load; sealed ones it cannot open, so their shape is checked: unsealed_values)."""
    from django.apps import apps

    problems = []
    for model in apps.get_models():
        try:
            for row in model._default_manager.all().iterator():
                for field in model._meta.concrete_fields:
                    getattr(row, field.attname)
        except Exception as error:
            problems.append(f"{model.__name__}: {error!r}"[:300])
    return problems


def unsealed_values() -> list[str]:
    """Every value in a field sealed on a device (EnvelopeField) that is not an envelope
    nor empty: "model.field: row, value". The server cannot decrypt them; what it can
    hold to is their shape, so no fuzzed plaintext or broken envelope may be stored."""
    from django.apps import apps

    from tend.core.e2e import EnvelopeField, is_envelope

    problems = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, EnvelopeField):
                continue
            rows = model._default_manager.exclude(**{field.attname: ""})
            for pk, value in rows.values_list("pk", field.attname).iterator():
                if not is_envelope(value):
                    problems.append(f"{model.__name__}.{field.name}: row {pk}, {value!r:.80}")
    return problems


# --- Requests -------------------------------------------------------------------------------


class Routes:
    """Every named route with its URL parameters, sorted by what it answers to."""

    def __init__(self) -> None:
        from django.urls import URLPattern, URLResolver, get_resolver

        self.all: list[tuple[str, list[tuple[str, str]]]] = []

        def walk(patterns: list[Any], converters: list[tuple[str, str]]) -> None:
            for entry in patterns:
                found = [
                    (name, type(conv).__name__) for name, conv in entry.pattern.converters.items()
                ]
                if isinstance(entry, URLResolver):
                    walk(entry.url_patterns, converters + found)
                elif isinstance(entry, URLPattern) and entry.name:
                    self.all.append((entry.name, converters + found))

        walk(get_resolver().url_patterns, [])
        self.post: list[tuple[str, list[tuple[str, str]]]] = []
        self.get: list[tuple[str, list[tuple[str, str]]]] = []


ID_WORDS = {
    "relationship_id",
    "repair_id",
    "need_id",
    "plan_id",
    "session_id",
    "commitment_id",
    "notification_id",
}


def url_value(world: World, name: str, kind: str, rng: random.Random) -> str:
    if name in world.targets and world.targets[name] and rng.random() < 0.85:
        return str(rng.choice(world.targets[name]))
    if name == "token" and rng.random() < 0.6:
        return world.token
    if name == "name":
        from tend.repairs.views.reengagement import MOVES

        return rng.choice([*MOVES, "nope", "x" * 50])
    if name == "key":
        from tend.repairs.views.personal import HONOR_KEYS, REFLECT_KEYS

        return rng.choice([*sorted(HONOR_KEYS | REFLECT_KEYS), "honor:nope", "x"])
    if kind == "IntConverter":
        return str(rng.choice([0, 10**6, 2**63, 10**30, 9_999_999]))
    if kind == "SlugConverter":
        return rng.choice(["x", "a-b", "9" * 40])
    return rng.choice(["x", "NaN", "%00", "é", "a" * 300, "MQ", "set-password"])


def envelopes() -> st.SearchStrategy[str]:
    """Well-formed envelopes of random bytes, as a device makes them (the server cannot
    tell them from real ones: it never opens them)."""

    def envelope(iv: bytes, body: bytes) -> str:
        return f"e2e1.{urlsafe_b64encode(iv).rstrip(b'=').decode()}." + (
            urlsafe_b64encode(body).rstrip(b"=").decode()
        )

    return st.builds(
        envelope, st.binary(min_size=12, max_size=12), st.binary(min_size=16, max_size=400)
    )


def legacy_items(ids: list[int]) -> st.SearchStrategy[Any]:
    """What private.js posts back to /me/private/legacy/, {"items": [{"id", "sealed":
    {part: envelope}}]}, with fuzzed ids (real ones, anyone's, and any value), parts
    and values (envelopes, malformed ones, anything)."""
    part = st.sampled_from(["text", "notice", "marks", "readiness", "considerations", "before"])
    item = st.fixed_dictionaries(
        {
            "id": st.one_of(st.sampled_from(ids or [0]), values()),
            "sealed": st.one_of(
                st.dictionaries(st.one_of(part, st.just("after")), values(), max_size=3),
                values(),
            ),
        }
    )
    return st.one_of(st.lists(item, max_size=4), values())


@st.composite
def values(draw: st.DrawFn) -> Any:
    kind = draw(st.integers(0, 99))
    if kind < 24:
        return draw(st.sampled_from(PLAUSIBLE))
    if kind < 32:  # for the sealed fields: one the server must store, or must refuse
        return draw(st.one_of(envelopes(), st.sampled_from(MALFORMED_ENVELOPES)))
    if kind < 45:
        return draw(st.sampled_from(NASTY_TEXT))
    if kind < 55:  # a valid start, then poison: gets past the first check
        return draw(st.sampled_from(PREFIXES)) + draw(st.sampled_from(NASTY_TEXT))
    if kind < 70:
        return draw(st.text(max_size=60))
    if kind < 82:
        return draw(
            st.one_of(
                st.integers(-(2**70), 2**70),
                st.floats(allow_nan=True, allow_infinity=True),
                st.booleans(),
                st.none(),
            )
        )
    if kind < 94:
        return draw(st.lists(st.sampled_from(PLAUSIBLE + NASTY_TEXT[:20]), max_size=4))
    if kind < 96:
        return draw(st.sampled_from(HUGE))  # slow to send and to check: now and then
    leaf = st.one_of(
        st.sampled_from(NASTY_TEXT),
        st.text(max_size=12),
        st.integers(),
        st.builds(lambda a, b: a + b, st.sampled_from(PREFIXES), st.sampled_from(NASTY_TEXT)),
    )
    return draw(st.dictionaries(st.sampled_from(["p256dh", "auth", "endpoint", "a"]), leaf))


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def urlencoded(data: dict[str, Any]) -> bytes:
    """A form body written by hand: lone surrogates go out as their (invalid) UTF-8."""
    pairs = []
    for key, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append(
                quote(key.encode("utf-8", "surrogatepass"))
                + "="
                + quote(as_text(one).encode("utf-8", "surrogatepass"))
            )
    return "&".join(pairs).encode()


def json_body(data: dict[str, Any], rng: random.Random) -> bytes:
    text = json.dumps(data, allow_nan=True)  # lone surrogates as \\ud800 escapes, NaN bare
    if rng.random() < 0.2:
        text = text.replace("1", "1e309", 1)
    if rng.random() < 0.1:
        text = text[: max(0, len(text) - 3)]  # cut short: not JSON at all
    if rng.random() < 0.05:
        # Nested deeper than Python recurses: 5,000 parses but is too deep to walk;
        # 50,000 is too deep to parse. Small bodies (100 kB at most).
        depth = rng.choice([5_000, 50_000])
        text = f'{{"a": {"[" * depth}{"]" * depth}, "b": {text}}}'
    return text.encode()


def run(database: str, cases: int, seed_value: int, result: Result) -> None:
    import django
    from django.core.management import call_command
    from django.db import close_old_connections
    from django.test import Client

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from tend.core import static

    static.collect()  # pages link hashed static names, as `tend serve` collects them at start

    class Errors(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.ERROR)
            self.records: list[logging.LogRecord] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.records.append(record)

    errors = Errors()
    logging.getLogger().addHandler(errors)

    world = World()
    routes = Routes()
    names = field_names()
    member = Client(SERVER_NAME="localhost")
    anonymous = Client(SERVER_NAME="localhost")

    def sign_in() -> None:
        member.force_login(world.ada, backend="django.contrib.auth.backends.ModelBackend")

    sign_in()
    # First, while the fuzzed relationships are as World.fresh() made them.
    result.counts["malformed_probes"] = probe_malformed(member, world, result, errors)
    rng = random.Random(seed_value)
    anonymous_routes = {
        "signup",
        "login",
        "password_reset",
        "password_reset_confirm",
        "invitation",
        "help",
        "landing",
    }
    # Find which routes take a POST: an empty one answers 405 where they do not.
    for name, params in routes.all:
        path = reverse_with(world, name, params, rng)
        if path is None:
            continue
        try:
            answer = member.post(path, {})
        except Exception:
            answer = None
        (routes.get if answer is not None and answer.status_code == 405 else routes.post).append(
            (name, params)
        )
        sign_in()
    route_fields = form_fields(member, world, routes, rng)
    sign_in()
    result.counts["post_routes"] = len(routes.post)
    result.counts["get_routes"] = len(routes.get)
    print(f"fuzzing {len(routes.post)} POST routes and {len(routes.get)} GET-only routes")

    state: dict[str, Any] = {
        "case": 0,
        "security_logged": 0,
        "snapshot": protected(world),
        "log": event_log(),
    }

    def check(where: str) -> None:
        now = protected(world)
        for key, rows in state["snapshot"].items():
            if now[key] != rows:
                changed = [r for r in now[key] if r not in rows][:2]
                result.fail(f"changed: {key}", f"{where}; e.g. {changed}"[:1200])
        state["snapshot"] = now
        for problem in log_problems(state["log"]):
            result.fail(f"event log: {problem.split(':', 1)[1].strip()}", f"{where}: {problem}")
        state["log"] = event_log()

    @st.composite
    def route_and_data(draw: st.DrawFn) -> tuple[Any, dict[str, Any]]:
        """A route, and data whose names are mostly the route's own form fields (from
        the forms found on the app's pages), else any field name of the app, else noise."""
        route = draw(st.sampled_from(routes.post + routes.get))
        own = sorted(route_fields.get(route[0], set()) | {"next"})
        name = st.one_of(
            st.sampled_from(own),
            st.sampled_from(own),
            st.sampled_from(names),
            st.text(min_size=1, max_size=12),
        )
        data = draw(st.dictionaries(name, values(), max_size=8))
        if route[0] == "private_legacy" and draw(st.booleans()):
            data["items"] = draw(legacy_items(world.targets["legacy_id"]))
        elif route[0] in JSON_ROUTES and draw(st.booleans()):
            # The shape the page's script posts, with fuzzed values in it.
            text = st.one_of(values(), st.sampled_from(PREFIXES).map(lambda p: p + "x"))
            poison = st.sampled_from(NASTY_TEXT).map(lambda n: "https://push.example/" + n)
            data["endpoint"] = draw(st.one_of(text, poison))
            data["keys"] = {"p256dh": draw(st.one_of(text, poison)), "auth": draw(text)}
        return route, data

    case_strategy = st.tuples(
        route_and_data(),
        st.sampled_from(["form", "form", "multipart", "json", "get"]),
        st.booleans(),
        st.integers(0, 2**32),
    )

    def fuzz_chunk(size: int, chunk_seed: int) -> None:
        seed(chunk_seed)(
            settings(
                max_examples=size,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )(given(case_strategy)(one_case))
        )()

    def one_case(case: tuple[Any, ...]) -> None:
        ((name, params), data), encoding, htmx, salt = case
        local = random.Random(salt)
        path = reverse_with(world, name, params, local)
        if path is None:
            return
        client = anonymous if name in anonymous_routes and local.random() < 0.5 else member
        headers = {"HX-Request": "true"} if htmx else {}
        if (name, params) in routes.get and encoding != "get" and local.random() < 0.8:
            encoding = "get"
        if name in JSON_ROUTES and local.random() < 0.7:
            encoding = "json"
        where = f"{name} {encoding}"
        state["case"] += 1
        before_errors = len(errors.records)
        try:
            if encoding == "get":
                query = urlencode(
                    {
                        k.encode("utf-8", "surrogatepass"): as_text(v).encode(
                            "utf-8", "surrogatepass"
                        )
                        for k, v in data.items()
                    }
                )
                response = client.get(f"{path}?{query}", headers=headers)
            elif encoding == "json":
                response = client.post(
                    path, json_body(data, local), content_type="application/json", headers=headers
                )
            elif encoding == "multipart":
                clean = {
                    k.encode("utf-8", "replace").decode(): [
                        as_text(x).encode("utf-8", "replace").decode()
                        for x in (v if isinstance(v, list) else [v])
                    ]
                    for k, v in data.items()
                }
                response = client.post(path, clean, headers=headers)
            else:
                response = client.post(
                    path,
                    urlencoded(data),
                    content_type="application/x-www-form-urlencoded",
                    headers=headers,
                )
            status = response.status_code
        except Exception as error:
            status = 500
            result.fail(
                f"exception {name}: {type(error).__name__}",
                f"{where} {path} data={repr(data)[:400]}\n{traceback.format_exc()[-1500:]}",
            )
        else:
            if status >= 500:
                result.fail(f"{status} {name}", f"{where} {path} data={repr(data)[:600]}")
        for record in errors.records[before_errors:]:
            message = record.getMessage()[:120]
            # django.request logs the 500 recorded just above: one finding, not two.
            # Django answers a suspicious request (a body over DATA_UPLOAD_MAX_MEMORY_SIZE,
            # a bad Host) with a 400 and logs it on django.security at ERROR, by design.
            if record.name.startswith("django.security.") and status < 500:
                state["security_logged"] += 1
            elif record.name != "django.request":
                result.fail(f"log error {name}: {message}", f"{where} {path}")
        close_old_connections()
        if "_auth_user_id" not in member.session:
            sign_in()  # a fuzzed log-out or "end this session" ended it: sign in again
        if state["case"] % CHECK_EVERY == 0:
            check(f"after case {state['case']}")

    began = time.monotonic()
    chunk = 0
    # A case whose made-up URL does not reverse is skipped: go on until `cases` were sent.
    while state["case"] < cases and chunk < 4 * cases // CHUNK + 4:
        if chunk:
            world.fresh()
            sign_in()
            state["snapshot"] = protected(world)  # ben's rows in the new relationships
            state["log"] = event_log()
        fuzz_chunk(min(CHUNK, cases - state["case"]), seed_value + chunk)
        chunk += 1
        check(f"end of chunk {chunk}")
        print(f"  {state['case']} cases, {time.monotonic() - began:.0f}s", flush=True)
    for problem in everything_loads():
        result.fail(f"row does not load: {problem.split(':', 1)[0]}", problem)
    for problem in unsealed_values():
        result.fail(f"not an envelope in {problem.split(':', 1)[0]}", problem)
    world.ada.refresh_from_db()
    if not world.ada.check_password(PASSWORD):
        result.fail("ada can no longer sign in with her password")
    result.counts.update(
        cases=state["case"],
        seconds=round(time.monotonic() - began, 1),
        errors=len(result.failures) + sum(result.known.values()),
        seed=seed_value,
        security_400s_logged=state["security_logged"],
    )


def envelope_fields(world: World) -> list[tuple[str, str, str, dict[str, str]]]:
    """Every form field that takes an envelope, as (route, path, field, the rest of a
    valid form), on ada's fuzzed relationships as World.fresh() made them."""
    from django.urls import reverse

    from tend.repairs.models import PracticeSession

    personal, together = world.repairs["personal"], world.repairs["together"]

    def at(name: str, repair: Any, *extra: object) -> str:
        return reverse(name, args=[repair.relationship_id, repair.pk, *extra])

    session = PracticeSession.objects.filter(
        participation__repair=personal, participation__user=world.ada
    ).latest("pk")
    return [
        ("repair_acknowledge", at("repair_acknowledge", personal), "notice", {"own_words": ""}),
        (
            "repair_acknowledge",
            at("repair_acknowledge", personal),
            "own_words",
            {"notice": ENVELOPE},
        ),
        ("repair_entry", at("repair_entry", personal, "honor:what_hurts"), "text", {}),
        (
            "repair_entry",
            at("repair_entry", personal, "reflect:responsibility"),
            "text",
            {"bring": "on", "shared": "My part, to bring."},
        ),
        ("repair_marks", at("repair_marks", personal), "marks", {}),
        ("repair_readiness", at("repair_readiness", personal), "readiness", {}),
        ("repair_practice", at("repair_practice", personal, "long_exhale"), "sealed", {}),
        ("repair_practice_done", at("repair_practice_done", personal, session.pk), "sealed", {}),
        (
            "repair_move",
            at("repair_move", together, "consider"),
            "considerations",
            {"phase": "considerations"},
        ),
        (
            "safety_check",
            reverse("safety_check", args=[personal.relationship_id]),
            "sealed",
            {"proceed": "on"},
        ),
    ]


def envelope_form_fields() -> set[str]:
    """The names of every form field of the app that takes an envelope."""
    import importlib

    from tend.core.e2e import EnvelopeFormField

    names = set()
    for module in ("tend.repairs.forms", "tend.care.forms", "tend.accounts.forms"):
        for value in vars(importlib.import_module(module)).values():
            for name, field in getattr(value, "base_fields", {}).items():
                if isinstance(field, EnvelopeFormField):
                    names.add(name)
    return names


def probe_malformed(client: Any, world: World, result: Result, errors: Any) -> int:
    """Each malformed envelope into each sealed field, the rest of its form valid: the
    page's clear refusal (400) every time, never a 5xx, nothing logged. That none was
    stored is checked at the end (unsealed_values). Returns the requests sent."""
    fields = envelope_fields(world)
    for name in sorted(envelope_form_fields() - {field for _r, _p, field, _d in fields}):
        result.fail(f"sealed form field {name} is not probed with malformed envelopes")
    sent = 0
    for route, path, field, rest in fields:
        for bad in MALFORMED_ENVELOPES:
            sent += 1
            headers = {"HX-Request": "true"} if sent % 2 else {}
            before = len(errors.records)
            where = f"{route} {field}={bad[:60]!r}"
            try:
                status = client.post(
                    path,
                    urlencoded({**rest, field: bad}),
                    content_type="application/x-www-form-urlencoded",
                    headers=headers,
                ).status_code
            except Exception as error:
                result.fail(f"exception {route}: {type(error).__name__}", traceback.format_exc())
                continue
            if status != 400:
                result.fail(f"malformed envelope in {route} {field}: {status}, not 400", where)
            for record in errors.records[before:]:
                result.fail(f"log error {route}: {record.getMessage()[:120]}", where)
    return sent


def form_fields(
    client: Any, world: World, routes: Routes, rng: random.Random
) -> dict[str, set[str]]:
    """The fields of every form on every page ada can open, by the route it posts to."""
    import re

    from django.urls import Resolver404, resolve

    found: dict[str, set[str]] = {}
    for name, params in routes.all:
        for _try in range(3):
            path = reverse_with(world, name, params, rng)
            if path is None:
                break
            page = client.get(path)
            if page.status_code != 200 or "html" not in page.get("content-type", ""):
                continue
            text = page.content.decode(errors="replace")
            for action, body in re.findall(
                r'<form[^>]*?action="([^"]*)"[^>]*>(.*?)</form>', text, re.S
            ):
                try:
                    target = resolve((action or path).split("?")[0]).url_name
                except Resolver404:
                    continue
                found.setdefault(target or "", set()).update(re.findall(r'name="([^"]+)"', body))
            break
    for fields in found.values():
        fields.discard("csrfmiddlewaretoken")
    return found


def reverse_with(
    world: World, name: str, params: list[tuple[str, str]], rng: random.Random
) -> str | None:
    from django.urls import NoReverseMatch, reverse

    kwargs = {param: url_value(world, param, kind, rng) for param, kind in params}
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--cases", type=int, default=env_int("STRESS_FUZZ_CASES", 5000))
    parser.add_argument("--seed", type=int, default=env_int("STRESS_SEED", random.randrange(2**31)))
    args = parser.parse_args()
    result = Result("fuzz", args.database)
    with tempfile.TemporaryDirectory(prefix="tend-fuzz-") as folder:
        for key in [k for k in os.environ if k.startswith(("TEND_", "DJANGO_"))]:
            del os.environ[key]
        os.environ.pop("DATABASE_URL", None)
        os.environ["TEND_DATA_DIR"] = folder
        os.environ["DJANGO_SETTINGS_MODULE"] = "tend.settings"
        os.environ["TEND_LOG_LEVEL"] = "ERROR"
        if args.database == "postgres":
            with fresh_database(postgres_base()) as url:
                os.environ["DATABASE_URL"] = url
                try:
                    run(args.database, args.cases, args.seed, result)
                finally:
                    from django.db import connections

                    connections.close_all()
        else:
            run(args.database, args.cases, args.seed, result)
    result.emit()
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
