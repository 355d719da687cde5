"""Signed-in sessions: their timeouts, the person's list of devices, and ending them.

The session itself carries the clock (when it signed in, when the person last did
something), so checking the timeouts costs no query. The `DeviceSession` rows exist
only for the "your devices" page and for ending sessions; they are written at sign-in
and then at most once a minute, not on every request.
"""

import contextlib
from datetime import UTC, datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase, UpdateError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from tend.accounts import devices, key_handover
from tend.accounts.models import DeviceSession, User
from tend.core.busy import Busy, briefly, is_busy

AUTH_AT = "tend_auth_at"  # when this session signed in, in epoch seconds
SEEN_AT = "tend_seen_at"  # the person's last action here, to the minute
ROW_KEY = "tend_row_key"  # the session key this session's DeviceSession row is under
OWN_PHONE = "tend_own_phone"  # "this is my own phone": signed in longer, locks when idle
LOCKED = "tend_locked"  # an own phone left idle: private pages wait for an unlock
# "Last used" is kept to the minute: one write a minute at most, never one per request.
TOUCH_EVERY = timedelta(minutes=1)


def _store(session_key: str | None = None) -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


type SessionData = SessionBase | dict[str, object]


def _moment(data: SessionData, name: str) -> datetime | None:
    value = data.get(name)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return datetime.fromtimestamp(value, tz=UTC)


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def is_own_phone(session: SessionData) -> bool:
    return session.get(OWN_PHONE) is True


def _lifetime(session: SessionData) -> timedelta:
    return (
        settings.OWN_PHONE_LIFETIME if is_own_phone(session) else settings.SESSION_ABSOLUTE_TIMEOUT
    )


def _idle(session: SessionData, now: datetime) -> bool:
    seen = _moment(session, SEEN_AT)
    return seen is not None and now - seen >= settings.SESSION_IDLE_TIMEOUT + TOUCH_EVERY


def timed_out(session: SessionData, now: datetime) -> bool:
    """Past the absolute lifetime, or idle too long (an own phone locks instead).

    Activity is only recorded once a minute, so the idle limit allows that minute
    on top: a session never ends before the configured idle time, at most a minute
    after it.
    """
    signed_in = _moment(session, AUTH_AT)
    if signed_in is not None and now - signed_in >= _lifetime(session):
        return True
    return not is_own_phone(session) and _idle(session, now)


def is_locked(session: SessionData, now: datetime) -> bool:
    """An own phone left idle past the idle timeout, until it is unlocked."""
    return is_own_phone(session) and (session.get(LOCKED) is True or _idle(session, now))


def lock(request: HttpRequest) -> None:
    """Locks an own phone (idle, or "Lock now"), and keeps the lock once it began: a
    quick repair from the lock screen, which counts as activity, must not open the
    private pages again."""
    if request.session.get(LOCKED) is not True:
        request.session[LOCKED] = True


def unlock(request: HttpRequest) -> None:
    """The person proved it is them (passkey or password): a new key, a fresh clock."""
    request.session.cycle_key()
    request.session.pop(LOCKED, None)
    request.session[SEEN_AT] = _stamp(timezone.now())
    follow_new_key(request)
    key_handover.left(request)


def set_own_phone(request: HttpRequest, on: bool) -> None:
    """Turns "this is my own phone" on or off for this session only."""
    session = request.session
    if on:
        session[OWN_PHONE] = True
        session.set_expiry(int(settings.OWN_PHONE_LIFETIME.total_seconds()))
    else:
        session.pop(OWN_PHONE, None)
        session.pop(LOCKED, None)
        session.set_expiry(None)  # back to the usual cookie lifetime
    DeviceSession.objects.filter(session_key=session.session_key).update(own_phone=on)


def signed_in(request: HttpRequest, user: User) -> None:
    """Starts the clocks of a new session and lists it (from `user_logged_in`).

    `login()` has already given the session a fresh key (against session fixation),
    and this signal is the last thing it does. The session is saved here, with the
    sign-in's other writes, in the transaction of the sign-up or log-in: saved with the
    response instead, after the view, a busy database would fail it where no busy page
    can be given any more (a 400, the account made and the person not signed in).
    """
    now = timezone.now()
    request.session[AUTH_AT] = request.session[SEEN_AT] = _stamp(now)
    key_handover.left(request)
    _keep_row(request, user, now)
    save_now(request)


def save_now(request: HttpRequest) -> None:
    """Saves the session in the view, in the transaction of the change that made it
    (a sign-in, a new password), rather than with the response after the view.

    It stays marked modified, so that the response sets the cookie; the response's
    save then finds nothing changed and writes nothing (tend.accounts.session_store).
    """
    try:
        request.session.save()
    except UpdateError as error:
        # Django's word for any database error on that save; a busy one is the busy page.
        if error.__context__ is not None and is_busy(error.__context__):
            raise error.__context__ from None
        raise


def touch(request: HttpRequest, now: datetime, *, active: bool) -> None:
    """Keeps this session's row and its "last used" current.

    `active` is false for what the page fetches by itself (live updates): a phone
    left open on a repair must still time out while the others carry on.
    """
    session = request.session
    if _moment(session, AUTH_AT) is None:
        # A session from before these rules: its clock starts now.
        session[AUTH_AT] = _stamp(now)
    seen = _moment(session, SEEN_AT)
    if seen is None:
        session[SEEN_AT] = _stamp(now)
    if session.get(ROW_KEY) != session.session_key:
        # Signed in before rows were kept, or the key changed (`cycle_key` after a
        # password change): follow the session under its new key.
        # Bookkeeping: when too busy, it waits for the next request rather than hold
        # this one up.
        with contextlib.suppress(Busy), briefly():
            _keep_row(request, request.user, now)  # type: ignore[arg-type]
    elif active and seen is not None and now - seen >= TOUCH_EVERY:
        _record_activity(session, seen, now)


def _record_activity(session: SessionBase, seen: datetime, now: datetime) -> None:
    """Writes the minute's "last used" to the device's row and to the session, in one
    turn to write, here rather than with the response: a busy moment then skips it (the
    next request tries again) instead of failing the person's request at its end."""
    was_modified = session.modified
    # Skipping a busy minute costs nothing; skipping for half the idle limit would
    # start to sign an active person out: then it waits its full turn, as any write.
    patience = (
        briefly() if now - seen < settings.SESSION_IDLE_TIMEOUT / 2 else contextlib.nullcontext()
    )
    try:
        with patience, transaction.atomic():
            DeviceSession.objects.filter(session_key=session.session_key).update(last_seen_at=now)
            session[SEEN_AT] = _stamp(now)
            session.save()
    except (Busy, UpdateError):
        # Too busy, or the session ended meanwhile (its next request is then anonymous).
        session[SEEN_AT] = _stamp(seen)
        session.modified = was_modified
    else:
        session.modified = False  # saved whole: nothing left for the response to write


def _keep_row(request: HttpRequest, user: User, now: datetime) -> None:
    session = request.session
    key = session.session_key
    if key is None:
        return
    previous = session.get(ROW_KEY)
    device, network = devices.of_request(request)
    try:
        with transaction.atomic():
            moved = (
                previous
                and previous != key
                and DeviceSession.objects.filter(user=user, session_key=previous).update(
                    session_key=key, last_seen_at=now
                )
            )
            if not moved:
                DeviceSession.objects.get_or_create(
                    session_key=key,
                    defaults={
                        "user": user,
                        "device": device,
                        "network": network,
                        "created_at": _moment(session, AUTH_AT) or now,
                        "last_seen_at": now,
                    },
                )
    except IntegrityError:
        pass  # a second request of this session wrote its row a moment before
    session[ROW_KEY] = key


def follow_new_key(request: HttpRequest) -> None:
    """Moves this session's row to its new key, after Django cycled it."""
    _keep_row(request, request.user, timezone.now())  # type: ignore[arg-type]


def forget(session_key: str | None) -> None:
    """Drops the row of a session that is ending anyway (from `user_logged_out`)."""
    if session_key:
        DeviceSession.objects.filter(session_key=session_key).delete()


def end(row: DeviceSession) -> None:
    """Signs that device out: its session is deleted, so its next request is anonymous."""
    _store(row.session_key).delete()
    row.delete()


def end_others(user: User, current_key: str | None) -> int:
    rows = list(DeviceSession.objects.filter(user=user).exclude(session_key=current_key or ""))
    for row in rows:
        end(row)
    return len(rows)


def end_all(user: User) -> None:
    end_others(user, None)


def _still_valid(row: DeviceSession, user: User, now: datetime) -> bool:
    """Whether that session would still be signed in on its next request (a locked
    own phone is: it stays listed, to be signed out from here)."""
    data = load(row.session_key)
    return _holds(data, user) and not timed_out(data, now)


def signed_in_until(session_key: str, user: User, now: datetime) -> datetime | None:
    """When that session of this person times out unless they act meanwhile, or None
    when it has already ended: signed out, ended elsewhere, timed out, or holding the
    password before a change. An open event stream re-checks at that time."""
    return until_of(load(session_key), user, now)


def load(session_key: str) -> dict[str, object]:
    """The session's data: {} when it is gone or past its expiry date."""
    return _store(session_key).load()


def until_of(data: SessionData, user: User, now: datetime) -> datetime | None:
    """`signed_in_until` for session data already read. A locked own phone counts as
    ended here: its streams close, and the page they reload asks for the unlock."""
    if not _holds(data, user) or timed_out(data, now) or is_locked(data, now):
        return None
    signed_in, seen = _moment(data, AUTH_AT), _moment(data, SEEN_AT)
    lifetime = _lifetime(data)
    ends = [now + lifetime]  # no clock yet: its first request sets it
    if signed_in is not None:
        ends.append(signed_in + lifetime)
    if seen is not None:
        ends.append(seen + settings.SESSION_IDLE_TIMEOUT + TOUCH_EVERY)
    return min(ends)


def _holds(data: SessionData, user: User) -> bool:
    if data.get(SESSION_KEY) != str(user.pk):
        return False
    stored = str(data.get(HASH_SESSION_KEY, ""))
    # A new password (here, by email reset, anywhere) changes the hash and so ends
    # every session that still holds the old one.
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return any(constant_time_compare(stored, h) for h in hashes)


def listed(request: HttpRequest) -> list[DeviceSession]:
    """This person's signed-in devices, this one first. Rows of sessions that ended by
    themselves (timed out, expired, a new password) are cleared away on the way."""
    user: User = request.user  # type: ignore[assignment]
    now = timezone.now()
    current = request.session.session_key
    _keep_row(request, user, now)  # this device is always listed, whatever became of its row
    rows = []
    for row in DeviceSession.objects.filter(user=user):
        if row.session_key == current or _still_valid(row, user, now):
            rows.append(row)
        else:
            end(row)
    rows.sort(key=lambda row: row.session_key != current)
    return rows
