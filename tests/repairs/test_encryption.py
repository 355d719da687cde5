"""What people write is encrypted at rest: the database holds Fernet tokens, never the
words; keys can be rotated; and without configured keys one is made, private, in the
data folder."""

import io
import os
import stat
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from tend import env
from tend.core import crypto
from tend.repairs import actions
from tend.repairs.models import (
    Entry,
    NeedRequest,
    Participation,
    ReconvenePlan,
    Repair,
    VoiceMessage,
)
from tests.conftest import Cast
from tests.sealed import sealed

KEYS = "TEND_ENCRYPTION_KEYS"
FERNET_PREFIX = "gAAAAA"  # version byte 0x80 and a timestamp's leading zero bytes, in base64


@pytest.fixture(autouse=True)
def forget_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts from the environment it sets, and leaves no key loaded behind it,
    so that the tests after it read their keys as usual."""
    monkeypatch.delenv(f"{KEYS}_FILE", raising=False)
    crypto.reset_keys()
    yield
    crypto.reset_keys()


def use_keys(monkeypatch: pytest.MonkeyPatch, *keys: bytes) -> None:
    monkeypatch.setenv(KEYS, ",".join(key.decode() for key in keys))
    crypto.reset_keys()


def marker() -> str:
    return f"private-marker-{uuid.uuid4().hex}"


def raw(model: type[Model], field: str, pk: int) -> str:
    """The value of one column exactly as the database holds it."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column = quote(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        (value,) = cursor.fetchone()
    return value


@pytest.fixture
def us(cast: Cast) -> tuple[Repair, Participation]:
    """A fresh repair in "Us" and ada's part in it."""
    Repair.objects.filter(relationship=cast.us).exclude(stage=Repair.Stage.CLOSED).update(
        stage=Repair.Stage.CLOSED, closed_at=timezone.now()
    )
    repair = actions.open_repair(cast.ada, cast.us, Repair.Opening.TRIGGERED)
    return repair, Participation.objects.get(repair=repair, user=cast.ada)


Write = Callable[[Repair, Participation, str], Model]

# Each private text field, and how an action writes it.
WRITERS: dict[str, tuple[type[Model], str, Write]] = {
    # A reflection brought to the conversation: the owner's deliberate shared copy (what
    # they keep to themselves is sealed on their device: tests/repairs/test_sealed_fields.py).
    "entry_shared": (
        Entry,
        "shared",
        lambda r, p, text: actions.write_entry(
            r, p, "reflect:one", sealed(), bring=True, shared=text
        ),
    ),
    "voice_message_text": (
        VoiceMessage,
        "text",
        lambda r, p, text: actions.send_message(r, p, text),
    ),
    "need_own_words": (
        NeedRequest,
        "own_words",
        lambda r, p, text: actions.ask_need(r, p, "other", text),
    ),
    "plan_place": (
        ReconvenePlan,
        "place",
        lambda r, p, text: actions.propose_plan(r, p, datetime(2030, 1, 1, tzinfo=UTC), text),
    ),
}


@pytest.mark.parametrize("name", WRITERS)
def test_the_database_row_holds_no_plain_text(name: str, us: tuple[Repair, Participation]) -> None:
    model, field, write = WRITERS[name]
    words = marker()

    obj = write(*us, words)

    stored = raw(model, field, obj.pk)
    assert words not in stored
    assert stored.startswith(FERNET_PREFIX)
    assert getattr(model.objects.get(pk=obj.pk), field) == words


def test_the_same_words_are_stored_differently_each_time(
    cast: Cast, us: tuple[Repair, Participation]
) -> None:
    repair, adas = us
    words = marker()
    first = actions.write_entry(repair, adas, "reflect:one", sealed(), bring=True, shared=words)
    second = actions.write_entry(repair, adas, "reflect:two", sealed(), bring=True, shared=words)

    # A fresh token each time: nobody can tell from the rows that two answers match.
    assert raw(Entry, "shared", first.pk) != raw(Entry, "shared", second.pk)


# --- Rotation ------------------------------------------------------------------------------


def test_after_rotation_old_rows_still_read_and_new_rows_use_the_new_key(
    monkeypatch: pytest.MonkeyPatch, us: tuple[Repair, Participation]
) -> None:
    repair, adas = us
    key_a, key_b = Fernet.generate_key(), Fernet.generate_key()
    use_keys(monkeypatch, key_a)
    old_words = marker()
    old = actions.send_message(repair, adas, old_words)

    use_keys(monkeypatch, key_b, key_a)

    assert VoiceMessage.objects.get(pk=old.pk).text == old_words
    new_words = marker()
    new = actions.send_message(repair, adas, new_words)
    new_token = raw(VoiceMessage, "text", new.pk).encode()
    assert Fernet(key_b).decrypt(new_token).decode() == new_words
    with pytest.raises(InvalidToken):
        Fernet(key_a).decrypt(new_token)
    old_token = raw(VoiceMessage, "text", old.pk).encode()
    assert Fernet(key_a).decrypt(old_token).decode() == old_words
    # `tend manage reencrypt` relies on this: an old token rewritten under the new key.
    assert Fernet(key_b).decrypt(crypto.rotate(old_token.decode()).encode()).decode() == (old_words)


def test_an_old_row_cannot_be_read_once_its_key_is_dropped(
    monkeypatch: pytest.MonkeyPatch, us: tuple[Repair, Participation]
) -> None:
    repair, adas = us
    key_a, key_b = Fernet.generate_key(), Fernet.generate_key()
    use_keys(monkeypatch, key_a)
    old = actions.send_message(repair, adas, marker())
    use_keys(monkeypatch, key_b, key_a)
    new_words = marker()
    new = actions.send_message(repair, adas, new_words)

    use_keys(monkeypatch, key_b)

    assert VoiceMessage.objects.get(pk=new.pk).text == new_words
    with pytest.raises(ImproperlyConfigured, match="old key is missing"):
        VoiceMessage.objects.get(pk=old.pk)


@pytest.mark.parametrize("value", ["not-a-key", ",", " , "])
def test_unusable_keys_stop_with_a_message_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(KEYS, value)
    crypto.reset_keys()

    with pytest.raises(ImproperlyConfigured, match=KEYS):
        crypto.encrypt("anything")


def test_keys_can_come_from_a_file_named_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key = Fernet.generate_key()
    secret = tmp_path / "keys"
    secret.write_text(key.decode() + "\n")
    monkeypatch.setenv(KEYS, Fernet.generate_key().decode())
    monkeypatch.setenv(f"{KEYS}_FILE", str(secret))
    crypto.reset_keys()

    token = crypto.encrypt("words")

    assert Fernet(key).decrypt(token.encode()) == b"words"


# --- The key file ----------------------------------------------------------------------------


def test_without_configured_keys_a_private_key_file_is_made_in_the_data_folder(
    monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path
) -> None:
    monkeypatch.delenv(KEYS, raising=False)
    settings.DATA_DIR = tmp_path
    crypto.reset_keys()
    path = tmp_path / crypto.KEYS_FILE
    assert not path.exists()

    token = crypto.encrypt("words")

    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_text().strip().encode()
    assert Fernet(key).decrypt(token.encode()) == b"words"


def test_the_key_file_is_kept_across_restarts(
    monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path
) -> None:
    monkeypatch.delenv(KEYS, raising=False)
    settings.DATA_DIR = tmp_path
    crypto.reset_keys()
    token = crypto.encrypt("words")
    made = (tmp_path / crypto.KEYS_FILE).read_text()

    crypto.reset_keys()

    assert crypto.decrypt(token) == "words"
    assert (tmp_path / crypto.KEYS_FILE).read_text() == made


def test_a_key_file_with_several_keys_rotates_like_the_variable(
    monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path
) -> None:
    monkeypatch.delenv(KEYS, raising=False)
    settings.DATA_DIR = tmp_path
    key_a, key_b = Fernet.generate_key(), Fernet.generate_key()
    old = Fernet(key_a).encrypt(b"old words").decode()
    (tmp_path / crypto.KEYS_FILE).write_text(f"{key_b.decode()}\n{key_a.decode()}\n")
    crypto.reset_keys()

    assert crypto.decrypt(old) == "old words"
    assert Fernet(key_b).decrypt(crypto.encrypt("new").encode()) == b"new"


def test_a_key_file_made_by_another_process_at_the_same_moment_is_used(
    monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path
) -> None:
    monkeypatch.delenv(KEYS, raising=False)
    settings.DATA_DIR = tmp_path
    path = tmp_path / crypto.KEYS_FILE
    theirs = Fernet.generate_key()
    real_link = os.link

    def link_after_the_other_process(source: str | Path, target: str | Path) -> None:
        # The other process wins the race just before this one puts its file in place.
        if Path(target) == path and not path.exists():
            path.write_text(theirs.decode() + "\n")
            path.chmod(0o600)
        real_link(source, target)

    monkeypatch.setattr(env.os, "link", link_after_the_other_process)
    crypto.reset_keys()

    token = crypto.encrypt("words")

    assert Fernet(theirs).decrypt(token.encode()) == b"words"


def test_reencrypt_rewrites_old_rows_with_the_newest_key(
    monkeypatch: pytest.MonkeyPatch, db: None
) -> None:
    from django.core.management import call_command

    from tend.gardens import actions as gardens
    from tests.conftest import make_user

    old, new = Fernet.generate_key(), Fernet.generate_key()
    monkeypatch.setenv(KEYS, old.decode())
    crypto.reset_keys()
    person = make_user("ida")
    repair = actions.open_repair(
        person, gardens.create_relationship(person, name="Me", kind="other"), "hurt"
    )
    ada = actions.participation_of(repair, person)
    actions.write_entry(repair, ada, "reflect:one", sealed(), bring=True, shared="kept safe")
    monkeypatch.setenv(KEYS, f"{new.decode()},{old.decode()}")
    call_command("reencrypt", stdout=io.StringIO())
    monkeypatch.setenv(KEYS, new.decode())  # the old key can go now
    crypto.reset_keys()
    assert Entry.objects.get(key="reflect:one").shared == "kept safe"
