"""Who may open what: every route, for every member of the cast.

The meta-test at the bottom fails when a route has no entry here, so a new view
cannot ship without saying who may and who may not reach it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import AsyncClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tend.accounts.models import Passkey
from tend.history.models import Theme
from tend.plans import actions as plan_actions
from tend.repairs import machine
from tend.repairs.models import (
    Commitment,
    CommitmentSuggestion,
    Participation,
    Proposal,
    Reflection,
    Repair,
    Request,
    Turn,
)
from tend.repairs.views.reengagement import MOVES
from tests.conftest import Cast, client_for
from tests.history.scenes import later_joiner, past_repair
from tests.repairs.test_screen_offers import STEP_FIVE_MOVES
from tests.sealed import sealed

PEOPLE = ("ada", "ben", "cy", "dee", "eli", "anonymous")
LOGIN = "/login/"

# Shorthands for the usual shapes of expectation.
PUBLIC = dict.fromkeys(PEOPLE, 200)
SIGNED_IN = {**dict.fromkeys(PEOPLE, 200), "anonymous": 302}
ANON_ONLY = {**dict.fromkeys(PEOPLE, 302), "anonymous": 200}
# "Us": ada and ben are members; cy is in another relationship with them; dee is an
# outsider; eli left.
US_MEMBERS = {"ada": 200, "ben": 200, "cy": 404, "dee": 404, "eli": 404, "anonymous": 302}
POST_ONLY = {**dict.fromkeys(PEOPLE, 405), "anonymous": 302}
NOT_US = {"cy": 404, "dee": 404, "eli": 404, "anonymous": 302}
# The repair in "Us": ada opened and joined it; ben was asked and has not answered.
# A refusal of the process sends the person back to the repair's overview (303).
JOINED_ONLY = {"ada": 200, "ben": 303, **NOT_US}
JOINED_ACTS = {"ada": 302, "ben": 303, **NOT_US}


@dataclass
class Route:
    url: Callable[[Cast], str]
    get: dict[str, int]
    post: dict[str, int] = field(default_factory=dict)
    # The form sent, or a function of the cast that makes what the form names.
    post_data: dict[str, str] | Callable[[Cast], dict[str, str]] = field(default_factory=dict)
    streaming: bool = False
    # False for what answers JSON, plain text or an icon rather than a page.
    html: bool = True


def repair_url(name: str, *extra: object) -> Callable[[Cast], str]:
    return lambda c: reverse(name, args=[c.us.pk, c.repair.pk, *extra])


def past_of_us(c: Cast) -> Repair:
    """A completed repair in "Us" that ada and ben took part in (made once per test)."""
    found = Repair.objects.filter(relationship=c.us, stage=Repair.Stage.COMPLETED).first()
    return found or past_repair(c.us, [c.ada, c.ben], days_ago=1)


def _theme(c: Cast) -> Theme:
    """A theme ada proposed for it, that ben has not agreed to yet."""
    repair = past_of_us(c)
    theme = repair.themes.first() or Theme.objects.create(
        repair=repair, text="money", proposed_by=c.ada
    )
    theme.accepted_by.add(c.ada)
    return theme


def history_url(name: str) -> Callable[[Cast], str]:
    return lambda c: reverse(name, args=[c.us.pk, past_of_us(c).pk])


def commitment_url(name: str) -> Callable[[Cast], str]:
    return lambda c: reverse(name, args=[c.us.pk, c.commitment.pk])


def suggestion_url(name: str) -> Callable[[Cast], str]:
    """A suggestion ada made to ben's commitment, waiting for his answer."""

    def url(c: Cast) -> str:
        made = CommitmentSuggestion.objects.create(
            commitment=c.commitment, suggested_by=c.ada, text="Say it kindly."
        )
        return reverse(name, args=[c.us.pk, c.commitment.pk, made.pk])

    return url


def _due_today(c: Cast) -> dict[str, str]:
    Commitment.objects.filter(pk=c.commitment.pk).update(review_on=timezone.localdate())
    return {}


SOON = (timezone.localdate() + timedelta(days=14)).isoformat()
MAKER_ONLY = {"ada": 403, "ben": 200, **NOT_US}

ROUTES: dict[str, Route] = {
    "landing": Route(lambda c: reverse("landing"), ANON_ONLY),
    "healthz": Route(lambda c: reverse("healthz"), PUBLIC, html=False),
    "security_txt": Route(lambda c: reverse("security_txt"), PUBLIC, html=False),
    "favicon": Route(lambda c: reverse("favicon"), PUBLIC, html=False),
    "signup": Route(lambda c: reverse("signup"), ANON_ONLY),
    "login": Route(lambda c: reverse("login"), ANON_ONLY),
    "logout": Route(
        lambda c: reverse("logout"),
        {**dict.fromkeys(PEOPLE, 405), "anonymous": 302},
        post=dict.fromkeys(PEOPLE, 302),
    ),
    "password_reset": Route(lambda c: reverse("password_reset"), PUBLIC),
    "password_reset_done": Route(lambda c: reverse("password_reset_done"), PUBLIC),
    "password_reset_confirm": Route(
        lambda c: reverse("password_reset_confirm", args=["MQ", "not-a-token"]), PUBLIC
    ),
    "password_reset_complete": Route(lambda c: reverse("password_reset_complete"), PUBLIC),
    "password_change": Route(lambda c: reverse("password_change"), SIGNED_IN),
    "profile": Route(lambda c: reverse("profile"), SIGNED_IN),
    "profile_time_zones": Route(
        lambda c: reverse("profile_time_zones") + "?region=Europe", SIGNED_IN
    ),
    "account_delete": Route(lambda c: reverse("account_delete"), SIGNED_IN),
    "home": Route(lambda c: reverse("home"), SIGNED_IN),
    "relationship_create": Route(lambda c: reverse("relationship_create"), SIGNED_IN),
    "relationship": Route(lambda c: reverse("relationship", args=[c.us.pk]), US_MEMBERS),
    "relationship_members": Route(
        lambda c: reverse("relationship_members", args=[c.us.pk]), US_MEMBERS
    ),
    "relationship_leave": Route(
        lambda c: reverse("relationship_leave", args=[c.us.pk]),
        US_MEMBERS,
        post={**US_MEMBERS, "ada": 302, "ben": 302},
    ),
    "relationship_events": Route(
        lambda c: reverse("relationship_events", args=[c.us.pk]), US_MEMBERS, streaming=True
    ),
    "invitation_create": Route(
        lambda c: reverse("invitation_create", args=[c.us.pk]), POST_ONLY, post=US_MEMBERS
    ),
    "invitation_revoke": Route(
        lambda c: reverse("invitation_revoke", args=[c.us.pk, c.invitation.pk]),
        POST_ONLY,
        # Only its creator sees it exists; ben, a fellow member, gets a 404 too.
        post={**US_MEMBERS, "ada": 302, "ben": 404},
    ),
    "relationship_repair": Route(
        lambda c: reverse("relationship_repair", args=[c.us.pk]), US_MEMBERS
    ),
    "repair_open": Route(
        lambda c: reverse("repair_open", args=[c.us.pk]),
        POST_ONLY,
        # ada is taken to her open repair; ben joins it.
        post={"ada": 302, "ben": 302, **NOT_US},
        post_data={"opening": "hurt"},
    ),
    "repair": Route(repair_url("repair"), US_MEMBERS),
    "repair_join": Route(
        repair_url("repair_join"), POST_ONLY, post={"ada": 303, "ben": 302, **NOT_US}
    ),
    "repair_not_yet": Route(
        repair_url("repair_not_yet"), POST_ONLY, post={"ada": 303, "ben": 302, **NOT_US}
    ),
    "repair_pause": Route(repair_url("repair_pause"), POST_ONLY, post=JOINED_ACTS),
    "repair_resume": Route(
        repair_url("repair_resume"), POST_ONLY, post={"ada": 302, "ben": 302, **NOT_US}
    ),
    "repair_close": Route(repair_url("repair_close"), JOINED_ONLY, post=JOINED_ACTS),
    "repair_acknowledge": Route(repair_url("repair_acknowledge"), JOINED_ONLY, post=JOINED_ACTS),
    "repair_voice": Route(
        repair_url("repair_voice"),
        JOINED_ONLY,
        post=JOINED_ACTS,
        post_data={"text": "Something in me is stirred up."},
    ),
    "repair_skip_voice": Route(repair_url("repair_skip_voice"), POST_ONLY, post=JOINED_ACTS),
    "repair_needs": Route(
        repair_url("repair_needs"),
        JOINED_ONLY,
        post=JOINED_ACTS,
        post_data={"need": "assurance"},
    ),
    "repair_acknowledge_need": Route(
        lambda c: reverse("repair_acknowledge_need", args=[c.us.pk, c.repair.pk, c.need.pk]),
        POST_ONLY,
        # Anyone asked may say "I hear you"; not to their own need.
        post={"ada": 303, "ben": 302, **NOT_US},
    ),
    "relationship_plan": Route(
        lambda c: reverse("relationship_plan", args=[c.us.pk]),
        US_MEMBERS,
        post={"ada": 302, "ben": 302, **NOT_US},
        post_data={"flooded_word": "pineapple", "places": "the bench"},
    ),
    "relationship_plan_answer": Route(
        # A change ada proposed: ben agrees, and ada's agreeing again changes nothing.
        lambda c: reverse(
            "relationship_plan_answer",
            args=[c.us.pk, plan_actions.propose(c.ada, c.us, plan_actions.Draft()).pk],
        ),
        POST_ONLY,
        post={"ada": 302, "ben": 302, **NOT_US},
        post_data={"answer": "agree"},
    ),
    "relationship_plan_not_now": Route(
        lambda c: reverse("relationship_plan_not_now", args=[c.us.pk]),
        POST_ONLY,
        post={"ada": 302, "ben": 302, **NOT_US},
    ),
    "relationship_plan_panel": Route(
        lambda c: reverse("relationship_plan_panel", args=[c.us.pk]), US_MEMBERS
    ),
    "repair_plan": Route(repair_url("repair_plan"), US_MEMBERS),
    "repair_accept_plan": Route(
        lambda c: reverse("repair_accept_plan", args=[c.us.pk, c.repair.pk, c.plan.pk]),
        POST_ONLY,
        post={"ada": 303, "ben": 302, **NOT_US},
    ),
    "repair_stabilize": Route(repair_url("repair_stabilize"), JOINED_ONLY),
    "repair_practice": Route(
        repair_url("repair_practice", "long_exhale"),
        JOINED_ONLY,
        post=JOINED_ACTS | {"ada": 200},  # the practice itself, with the pacer
        post_data=lambda c: {"sealed": sealed()},
    ),
    "repair_practice_done": Route(
        lambda c: reverse("repair_practice_done", args=[c.us.pk, c.repair.pk, c.practice.pk]),
        POST_ONLY,
        # It is ada's practice: nobody else learns it exists.
        post={"ada": 302, "ben": 404, **NOT_US},
        post_data=lambda c: {"sealed": sealed()},
    ),
    "repair_honor": Route(repair_url("repair_honor"), JOINED_ONLY),
    "repair_marks": Route(
        repair_url("repair_marks"),
        POST_ONLY,
        post=JOINED_ACTS,
        post_data=lambda c: {"marks": sealed()},
    ),
    "repair_reflect": Route(repair_url("repair_reflect"), JOINED_ONLY),
    "repair_readiness": Route(
        repair_url("repair_readiness"),
        POST_ONLY,
        post=JOINED_ACTS,
        post_data=lambda c: {"readiness": sealed()},
    ),
    "repair_ready": Route(
        repair_url("repair_ready"), POST_ONLY, post=JOINED_ACTS, post_data={"ready": "yes"}
    ),
    "repair_entry": Route(
        repair_url("repair_entry", "honor:what_hurts"),
        POST_ONLY,
        post=JOINED_ACTS,
        post_data=lambda c: {"text": sealed()},  # "It stung.", sealed on the device
    ),
    "repair_stage": Route(repair_url("repair_stage"), US_MEMBERS),
    "repair_one_screen": Route(
        repair_url("repair_one_screen"),
        JOINED_ONLY,
        post=JOINED_ACTS,
        post_data={"guest-name": "Sam"},
    ),
    "repair_leave_one_screen": Route(
        repair_url("repair_leave_one_screen"), POST_ONLY, post={"ada": 302, "ben": 302, **NOT_US}
    ),
    "relationship_commitments": Route(
        lambda c: reverse("relationship_commitments", args=[c.us.pk]), US_MEMBERS
    ),
    # ben made the cast's commitment: only he changes it; ada may suggest a change (403
    # the other way round, with the words of the refusal).
    "commitment_edit": Route(
        commitment_url("commitment_edit"),
        MAKER_ONLY,
        post={"ada": 403, "ben": 302, **NOT_US},
        post_data={"text": "Say when I need space.", "review_on": "2027-06-01", "status": "kept"},
    ),
    # History: the past repair both took part in (tests/history for later members).
    "history": Route(lambda c: reverse("history", args=[c.us.pk]), US_MEMBERS),
    "history_panel": Route(lambda c: reverse("history_panel", args=[c.us.pk]), US_MEMBERS),
    "history_record": Route(history_url("history_record"), US_MEMBERS),
    "history_note": Route(
        history_url("history_note"),
        US_MEMBERS,
        post={**US_MEMBERS, "ada": 302, "ben": 302},
        post_data={"helped": "Slowing down.", "next_time": "Ask sooner."},
    ),
    "history_theme": Route(
        history_url("history_theme"),
        POST_ONLY,
        post={**US_MEMBERS, "ada": 302, "ben": 302},
        post_data={"text": "plans changing"},
    ),
    "history_theme_agree": Route(
        lambda c: reverse("history_theme_agree", args=[c.us.pk, past_of_us(c).pk, _theme(c).pk]),
        POST_ONLY,
        post={**US_MEMBERS, "ada": 302, "ben": 302},
    ),
    "history_share": Route(
        history_url("history_share"),
        POST_ONLY,
        post={**US_MEMBERS, "ada": 302, "ben": 302},
        post_data=lambda c: {"member": str(later_joiner(c.us, c.ada).pk)},
    ),
    "history_share_withdraw": Route(
        history_url("history_share_withdraw"),
        POST_ONLY,
        post={**US_MEMBERS, "ada": 302, "ben": 302},
        post_data=lambda c: {"member": str(later_joiner(c.us, c.ada).pk)},
    ),
    "commitment_next": Route(
        commitment_url("commitment_next"),
        MAKER_ONLY,
        post={"ada": 403, "ben": 302, **NOT_US},
        post_data={"review_on": SOON},
    ),
    "commitment_suggest": Route(
        commitment_url("commitment_suggest"),
        {"ada": 200, "ben": 403, **NOT_US},
        post={"ada": 302, "ben": 403, **NOT_US},
        post_data={"text": "Say it when I need space, kindly.", "note": "just a thought"},
    ),
    # Not time yet (its review date is ahead): a 409 for both; on the day, both check in.
    "commitment_check_in": Route(
        commitment_url("commitment_check_in"),
        {"ada": 409, "ben": 409, **NOT_US},
        post={"ada": 302, "ben": 302, **NOT_US},
        post_data=lambda c: _due_today(c) | {"answer": "partly", "note": "mostly"},
    ),
    "commitment_suggestion_accept": Route(
        suggestion_url("commitment_suggestion_accept"),
        POST_ONLY,
        post={"ada": 403, "ben": 302, **NOT_US},
    ),
    "commitment_suggestion_decline": Route(
        suggestion_url("commitment_suggestion_decline"),
        POST_ONLY,
        post={"ada": 403, "ben": 302, **NOT_US},
    ),
    "commitment_suggestion_withdraw": Route(
        suggestion_url("commitment_suggestion_withdraw"),
        POST_ONLY,
        post={"ada": 302, "ben": 403, **NOT_US},
    ),
    "relationship_garden": Route(
        lambda c: reverse("relationship_garden", args=[c.us.pk]), US_MEMBERS
    ),
    # Each person's own page: there is no id in it, so nobody can ask for another's.
    "my_patterns": Route(lambda c: reverse("my_patterns"), SIGNED_IN),
    # One's own practices, sealed, for one's own device to open and draw.
    "my_sealed_practices": Route(lambda c: reverse("my_sealed_practices"), SIGNED_IN, html=False),
    "safety_check": Route(
        lambda c: reverse("safety_check", args=[c.us.pk]),
        US_MEMBERS,
        post={**US_MEMBERS, "ada": 302, "ben": 302},
        # "Yes", sealed on the device, which says the person goes on.
        post_data=lambda c: {"sealed": sealed(), "proceed": "on"},
    ),
    # One's own sealed safety answer, for one's own device.
    "safety_sealed": Route(
        lambda c: reverse("safety_sealed", args=[c.us.pk]), US_MEMBERS, html=False
    ),
    # One's own old private rows, to seal on one's device; one's own sealed notes.
    "private_legacy": Route(
        lambda c: reverse("private_legacy"),
        SIGNED_IN,
        html=False,
        post={**dict.fromkeys(PEOPLE, 400), "anonymous": 302},  # not the JSON it takes
    ),
    "private_export": Route(lambda c: reverse("private_export"), SIGNED_IN),
    # Notifications: each person's own. ben has some (ada opened a repair, asked, and
    # proposed a time); nobody else may open his.
    "notifications": Route(lambda c: reverse("notifications"), SIGNED_IN),
    "notification_nav": Route(lambda c: reverse("notification_nav"), SIGNED_IN),
    "notifications_seen": Route(
        lambda c: reverse("notifications_seen"), POST_ONLY, post=dict.fromkeys(PEOPLE, 302)
    ),
    "notification_open": Route(
        lambda c: reverse(
            "notification_open", args=[c.ben.notifications.order_by("pk").first().pk]
        ),
        {**dict.fromkeys(PEOPLE, 404), "ben": 302, "anonymous": 302},
    ),
    "notify_preferences": Route(
        lambda c: reverse("notify_preferences"),
        SIGNED_IN,
        post=dict.fromkeys(PEOPLE, 302),
        post_data={"detail": "neutral", "reconvene_lead_minutes": "15", "inapp:plan_agreed": "on"},
    ),
    "notify_test": Route(
        lambda c: reverse("notify_test"), POST_ONLY, post=dict.fromkeys(PEOPLE, 302)
    ),
    # A form post is not a subscription: refused (400); the JSON ones: tests/notify.
    "push_subscribe": Route(
        lambda c: reverse("push_subscribe"),
        POST_ONLY,
        post={**dict.fromkeys(PEOPLE, 400), "anonymous": 302},
    ),
    "push_unsubscribe": Route(
        lambda c: reverse("push_unsubscribe"),
        POST_ONLY,
        post={**dict.fromkeys(PEOPLE, 400), "anonymous": 302},
    ),
    # Two files rather than pages, a calendar file and the service worker (a script like
    # any static file, served from the root): `streaming` keeps them out of the crawls
    # of HTML pages; tests/notify checks what is in them.
    "plan_calendar": Route(
        lambda c: reverse("plan_calendar", args=[c.us.pk, c.repair.pk, c.plan.pk]),
        US_MEMBERS,
        streaming=True,
    ),
    "service_worker": Route(lambda c: reverse("service_worker"), PUBLIC, streaming=True),
    "invitation": Route(
        lambda c: reverse("invitation", args=[c.invitation.token]),
        PUBLIC,
        # Anyone signed in may accept; the anonymous visitor is sent to log in first.
        post={**dict.fromkeys(PEOPLE, 302)},
    ),
    # Care: help is open to everyone, signed in or not (and to anyone at all, whatever
    # their relationships); the gentle check answers only the signed-in writer.
    "help": Route(lambda c: reverse("help"), PUBLIC),
    # The walk through the five steps: anyone signed in; seeing it through marks it seen.
    "walk": Route(
        lambda c: reverse("walk"),
        SIGNED_IN,
        post=dict.fromkeys(PEOPLE, 302),
        post_data={"next": "/"},
    ),
    # The footer's language chooser: anyone, signed in or not; a POST only. (Sent back
    # to the login page here, where the matrix expects anonymous redirects to go.)
    "choose_language": Route(
        lambda c: reverse("choose_language"),
        dict.fromkeys(PEOPLE, 405),
        post=dict.fromkeys(PEOPLE, 302),
        post_data={"language": "en", "next": LOGIN},
    ),
    "gentle_check": Route(
        lambda c: reverse("gentle_check"),
        POST_ONLY,
        post=SIGNED_IN,
        post_data={"text": "You never listen."},
    ),
    # Your account: each person reaches only their own email, devices and data. Without
    # the current password a change or an export is refused with the form (400).
    "account_email": Route(
        lambda c: reverse("account_email"),
        SIGNED_IN,
        post={**dict.fromkeys(PEOPLE, 400), "anonymous": 302},
    ),
    "account_sessions": Route(lambda c: reverse("account_sessions"), SIGNED_IN),
    "account_session_end": Route(
        lambda c: reverse(
            "account_session_end",
            args=[c.ada.device_sessions.get_or_create(session_key="ada-other-phone")[0].pk],
        ),
        POST_ONLY,
        # ada's other phone: only she may sign it out; to anyone else it does not exist.
        post={**dict.fromkeys(PEOPLE, 404), "ada": 302, "anonymous": 302},
    ),
    "account_sessions_end_others": Route(
        lambda c: reverse("account_sessions_end_others"),
        POST_ONLY,
        post=dict.fromkeys(PEOPLE, 302),
    ),
    "account_export": Route(
        lambda c: reverse("account_export"),
        SIGNED_IN,
        post={**dict.fromkeys(PEOPLE, 400), "anonymous": 302},
    ),
    "account_lock": Route(
        lambda c: reverse("account_lock"), POST_ONLY, post=dict.fromkeys(PEOPLE, 302)
    ),
    "account_own_phone": Route(
        lambda c: reverse("account_own_phone"), POST_ONLY, post=dict.fromkeys(PEOPLE, 302)
    ),
    # The private-data key: each person's own; a POST without keys in tend's form is a 4xx.
    "account_vault": Route(
        lambda c: reverse("account_vault"),
        SIGNED_IN,
        post={**dict.fromkeys(PEOPLE, 409), "anonymous": 302},
    ),
    "vault_create": Route(
        lambda c: reverse("vault_create"),
        POST_ONLY,
        post={**dict.fromkeys(PEOPLE, 400), "anonymous": 302},
    ),
    "vault_panel": Route(lambda c: reverse("vault_panel"), SIGNED_IN),
    # Passkeys: each person's own; a ceremony's answer that is not JSON is a 400.
    "account_passkeys": Route(lambda c: reverse("account_passkeys"), SIGNED_IN),
    "passkey_add_options": Route(
        lambda c: reverse("passkey_add_options"), POST_ONLY, post=SIGNED_IN
    ),
    "passkey_add": Route(
        lambda c: reverse("passkey_add"),
        POST_ONLY,
        post={**dict.fromkeys(PEOPLE, 400), "anonymous": 302},
    ),
    "passkey_rename": Route(
        lambda c: reverse("passkey_rename", args=[_adas_passkey(c)]),
        POST_ONLY,
        post={**dict.fromkeys(PEOPLE, 404), "ada": 302, "anonymous": 302},
        post_data={"name": "Old phone"},
    ),
    "passkey_remove": Route(
        lambda c: reverse("passkey_remove", args=[_adas_passkey(c)]),
        POST_ONLY,
        post={**dict.fromkeys(PEOPLE, 404), "ada": 302, "anonymous": 302},
    ),
    "passkey_sign_in_options": Route(
        lambda c: reverse("passkey_sign_in_options"),
        dict.fromkeys(PEOPLE, 405),
        post=PUBLIC,
    ),
    "passkey_sign_in": Route(
        lambda c: reverse("passkey_sign_in"),
        dict.fromkeys(PEOPLE, 405),
        post=dict.fromkeys(PEOPLE, 400),
    ),
    # Unlocking: a session that is not locked goes straight on (tests/accounts/test_own_phone.py).
    "unlock": Route(
        lambda c: reverse("unlock"), dict.fromkeys(PEOPLE, 302), post=dict.fromkeys(PEOPLE, 302)
    ),
    "unlock_options": Route(lambda c: reverse("unlock_options"), POST_ONLY, post=SIGNED_IN),
    "unlock_passkey": Route(
        lambda c: reverse("unlock_passkey"),
        POST_ONLY,
        post={**dict.fromkeys(PEOPLE, 400), "anonymous": 302},
    ),
    # Straight into a repair: the shortcuts' page lists one's own relationships only.
    "repair_go": Route(
        lambda c: reverse("repair_go", args=["triggered"]),
        SIGNED_IN,
        post={"ada": 302, "ben": 302, **NOT_US},
        post_data=lambda c: {"relationship": str(c.us.pk)},
    ),
    "repair_quick": Route(
        repair_url("repair_quick"),
        US_MEMBERS,
        # ben has not joined: the process refuses his message (303 to the overview).
        post={"ada": 302, "ben": 303, **NOT_US},
        post_data={"template": "need_a_moment"},
    ),
}


def _adas_passkey(c: Cast) -> int:
    return Passkey.objects.get_or_create(
        credential_id="adas-passkey", defaults={"user": c.ada, "public_key": b"", "name": "x"}
    )[0].pk


# --- Step 5: every move of `…/together/<move>/` -------------------------------------------
# Step 5 has not begun in the cast's repair: each move, sent whole (its form valid, the
# thing it names in this repair), is refused by the machine with the current stage (409)
# for both members; everyone else meets the 404 (or the log-in page) before anything.


def _part(c: Cast, name: str) -> Participation:
    return c.repair.participations.get(user=getattr(c, name))


def _proposal(c: Cast) -> dict[str, str]:
    made = Proposal.objects.create(
        repair=c.repair, kind=Proposal.Kind.SPACE, proposed_by=_part(c, "ben"), text="here"
    )
    return {"phase": "space", "proposal": str(made.pk)}


def _turn(c: Cast) -> Turn:
    return Turn.objects.create(
        repair=c.repair, round=1, position=0, speaker=_part(c, "ada"), listener=_part(c, "ben")
    )


def _reflection(c: Cast) -> dict[str, str]:
    made = Reflection.objects.create(turn=_turn(c), heard="You felt alone.")
    return {"phase": "listening", "reflection": str(made.pk), "heard": "yes"}


def _request(c: Cast) -> dict[str, str]:
    made = Request.objects.create(
        repair=c.repair,
        requester=_part(c, "ben"),
        text="Say when.",
        review_on=timezone.localdate() + timedelta(days=14),
    )
    return {"phase": "requests", "request": str(made.pk), "answer": "yes"}


MOVE_DATA: dict[str, dict[str, str] | Callable[[Cast], dict[str, str]]] = {
    "begin": {},
    "start-early": {},
    "consider": {"phase": "considerations", "considerations": sealed()},
    "done": {"phase": "considerations"},
    "propose": {"phase": "intention", "text": "Find our way back."},
    "accept": _proposal,
    "agreement": {"phase": "agreements", "text": "No phones on the table."},
    "first-speaker": lambda c: {"phase": "listening", "speaker": str(_part(c, "ada").pk)},
    "reflect": lambda c: {"phase": "listening", "turn": str(_turn(c).pk), "heard": "Alone."},
    "answer-reflection": _reflection,
    "request": {"phase": "requests", "text": "Tell me when you need space.", "review_on": SOON},
    "answer-request": _request,
    "clear": {"phase": "clearing", "clear": "yes"},
    "next": {"phase": "clearing", "next": "listen"},
    "affirm": {"phase": "rebond", "text": "I love how you listened."},
    "rebonded": {"phase": "rebond"},
    "presence": {"phase": "considerations", "presence": "apart"},
    "share": lambda c: {"phase": "listening", "turn": str(_turn(c).pk), "text": "I felt alone."},
}
for _move, _data in MOVE_DATA.items():
    ROUTES[f"repair_move:{_move}"] = Route(
        repair_url("repair_move", _move),
        POST_ONLY,
        post={"ada": 409, "ben": 409, **NOT_US},
        post_data=_data,
    )


def _cases(method: str) -> list[tuple[str, str]]:
    return [
        (name, person)
        for name, route in ROUTES.items()
        for person in PEOPLE
        if person in getattr(route, method)
    ]


@pytest.mark.parametrize(("route_name", "person"), _cases("get"))
def test_get(cast: Cast, route_name: str, person: str) -> None:
    route = ROUTES[route_name]
    url = route.url(cast)
    user = cast.people()[person]
    response = _get_stream_status(user, url) if route.streaming else client_for(user).get(url)
    expected = route.get[person]
    assert response.status_code == expected, f"{person} GET {url}"
    if expected == 302 and person == "anonymous":
        assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize(("route_name", "person"), _cases("post"))
def test_post(cast: Cast, route_name: str, person: str) -> None:
    route = ROUTES[route_name]
    url = route.url(cast)
    data = route.post_data(cast) if callable(route.post_data) else route.post_data
    response = client_for(cast.people()[person]).post(url, data)
    assert response.status_code == route.post[person], f"{person} POST {url}"
    if person == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("route_name", sorted(ROUTES))
def test_wrong_method_is_405(cast: Cast, route_name: str) -> None:
    route = ROUTES[route_name]
    # Someone who may use the route: a wrong method must not get further than that.
    person = next((p for p in PEOPLE if 200 in (route.get.get(p), route.post.get(p))), "ada")
    response = client_for(cast.people()[person]).generic("PUT", route.url(cast))
    assert response.status_code == 405


@pytest.mark.parametrize(("route_name", "person"), _cases("get"))
def test_head_answers_as_get_without_a_body(cast: Cast, route_name: str, person: str) -> None:
    """HEAD on every GET route: the GET's status (never a 405 of its own), no body."""
    route = ROUTES[route_name]
    url = route.url(cast)
    response = client_for(cast.people()[person]).head(url)
    assert response.status_code == route.get[person], f"{person} HEAD {url}"
    assert not response.streaming
    assert response.content == b""


def _get_stream_status(user, url):  # type: ignore[no-untyped-def]
    """Opens the stream and closes it after the headers: it never ends by itself."""
    from asgiref.sync import async_to_sync

    async def fetch():  # type: ignore[no-untyped-def]
        client = AsyncClient()
        if user is not None:
            await client.aforce_login(user, backend="django.contrib.auth.backends.ModelBackend")
        response = await client.get(url)
        if response.streaming:
            await response.streaming_content.aclose()
        return response

    return async_to_sync(fetch)()


def _route_names(patterns: list[URLPattern | URLResolver]) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _route_names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
        else:
            names.add(f"<unnamed {pattern.pattern}>")
    return names


def test_every_route_and_every_move_has_an_access_test() -> None:
    """Each route by name, and `repair_move` once per move it dispatches to: a new move
    is a new way in, and needs its own line above."""
    moves = {f"repair_move:{name}" for name in MOVES}
    expected = (_route_names(get_resolver().url_patterns) - {"repair_move"}) | moves
    missing = expected - set(ROUTES)
    assert not missing, f"routes without access tests: {sorted(missing)}"
    assert not set(ROUTES) - expected, "access tests of routes or moves that do not exist"


def test_every_step_five_action_is_a_move() -> None:
    """The machine's step-5 actions and the moves are the same set, so a new action
    cannot be made without a move (and so without an access test)."""
    assert set(MOVES) == set(STEP_FIVE_MOVES)
    assert set(STEP_FIVE_MOVES.values()) == machine.TOGETHER
