"""The fixed cast every view test uses.

- ada and ben: a couple ("Us"); cy: a third member, in "Family" with ada and ben;
- dee: an outsider with a relationship of her own; eli: a former member of "Us";
- and the anonymous visitor (the plain `client`).
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import handlers as staticfiles_handlers
from django.test import Client, testcases
from django.utils import timezone

from tend.accounts.models import User
from tend.care import safety
from tend.core import messages, static
from tend.gardens import actions
from tend.gardens.models import Invitation, Relationship
from tend.repairs import actions as repair_actions
from tend.repairs.models import (
    Commitment,
    CommitmentRevision,
    NeedRequest,
    PracticeSession,
    ReconvenePlan,
    Repair,
)
from tests.sealed import sealed

PASSWORD = "a calm long walk"


@dataclass
class Cast:
    ada: User
    ben: User
    cy: User
    dee: User
    eli: User
    us: Relationship
    family: Relationship
    dees: Relationship
    invitation: Invitation  # ada's open invitation into "Us"
    # A repair in "Us" that ada opened ("I'm triggered"); ben has not answered yet.
    repair: Repair
    need: NeedRequest  # ada asked for space ...
    plan: ReconvenePlan  # ... and proposed a time, which ben has not answered
    practice: PracticeSession  # ada's first practice
    commitment: Commitment  # ben's, in "Us", from an earlier repair

    def people(self) -> dict[str, User | None]:
        return {
            "ada": self.ada,
            "ben": self.ben,
            "cy": self.cy,
            "dee": self.dee,
            "eli": self.eli,
            "anonymous": None,
        }


def make_user(name: str) -> User:
    return User.objects.create_user(
        email=f"{name}@example.test", password=PASSWORD, display_name=name.title()
    )


def feel_safe(relationship: Relationship, *users: User) -> None:
    """Answers the private safety check (sealed on the device, as "yes"), as people do
    before a shared step."""
    for user in users:
        safety.record(user, relationship, sealed())


def join(user: User, relationship: Relationship, inviter: User) -> None:
    actions.accept_invitation(user, actions.create_invitation(inviter, relationship))


def pytest_sessionstart(session: pytest.Session) -> None:
    """Pages name hashed static files, so they must be collected (once: it is skipped
    while the sources are unchanged). Before collection, because some test modules
    import the ASGI application, whose static files handler reads the folder then."""
    static.collect()
    messages.compile_all()  # the translations, as `make install` and `tend serve` do


@pytest.fixture(scope="session", autouse=True)
def collected_static_files() -> Iterator[None]:
    """The servers the tests start serve the files collected at the session's start."""
    previous = os.environ.get("TEND_STATIC_ROOT")
    os.environ["TEND_STATIC_ROOT"] = str(django_settings.STATIC_ROOT)
    # pytest-django's in-process live server answers /static/ from the source folders,
    # where no hashed name exists: have it serve what was collected instead.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(staticfiles_handlers, "StaticFilesHandler", testcases._StaticFilesHandler)
        yield
    if previous is None:
        del os.environ["TEND_STATIC_ROOT"]
    else:
        os.environ["TEND_STATIC_ROOT"] = previous


@pytest.fixture
def cast(db: None) -> Cast:
    ada, ben, cy, dee, eli = (make_user(n) for n in ("ada", "ben", "cy", "dee", "eli"))
    us = actions.create_relationship(ada, name="Us", kind="partner")
    join(ben, us, ada)
    join(eli, us, ada)
    actions.leave_relationship(eli, us)
    family = actions.create_relationship(ada, name="Family", kind="family")
    join(ben, family, ada)
    join(cy, family, ada)
    dees = actions.create_relationship(dee, name="Dee's", kind="friend")
    invitation = actions.create_invitation(ada, us)
    feel_safe(us, ada, ben)
    feel_safe(family, ada, ben, cy)
    feel_safe(dees, dee)
    repair = repair_actions.open_repair(ada, us, Repair.Opening.TRIGGERED)
    mine = repair_actions.participation_of(repair, ada)
    need = repair_actions.ask_need(repair, mine, "space")
    plan = repair_actions.propose_plan(
        repair, mine, timezone.now() + timedelta(hours=3), "the bench outside"
    )
    practice = repair_actions.start_practice(repair, mine, sealed())
    commitment = Commitment.objects.create(
        relationship=us,
        owner=ben,
        owner_name=ben.display_name,
        text="Say when I need space.",
        review_on=timezone.localdate() + timedelta(days=14),
    )
    CommitmentRevision.objects.create(
        commitment=commitment,
        text=commitment.text,
        review_on=commitment.review_on,
        status=commitment.status,
        edited_by=ben,
    )
    for obj in (us, family, dees, repair):
        obj.refresh_from_db()
    return Cast(
        ada,
        ben,
        cy,
        dee,
        eli,
        us,
        family,
        dees,
        invitation,
        repair,
        need,
        plan,
        practice,
        commitment,
    )


def people_panel(client: Client, repair_url: str) -> str:
    """The "Together" panel (who is there, ready, paused; what was sent) of a repair's
    page as that client sees it."""
    page = client.get(repair_url).content.decode()
    panel = re.search(r'<section id="together".*?</section>', page, re.S)
    assert panel, "no people panel on the page"
    return panel.group()


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens' values: 64 random letters hold a name such as
    "Ben" about once in a thousand pages, which a test that a name is absent must not
    read as the name."""
    return re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]*"', r'\1""', page)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def as_user():
    return client_for


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # Argon2 is deliberately slow; tests that are not about hashing need not pay for it
    # (tests/accounts checks that the real setting is Argon2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
