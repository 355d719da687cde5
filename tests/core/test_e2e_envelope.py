"""The server's refusal to store plaintext where a value sealed on the device belongs."""

import pytest
from django.db import connection, transaction

from tend.core.e2e import EnvelopeFormField, is_envelope, validate_envelope
from tests.sealed import sealed

IV = "A" * 16
TAG = "B" * 22  # 16 bytes: an empty plaintext with its tag


@pytest.mark.parametrize(
    "value",
    [
        f"e2e1.{IV}.{TAG}",
        f"e2e1.{IV}.{'x' * 24}",
        f"e2e1.{'-_' * 8}.{'a_b-' * 40}",
        sealed(),
        sealed(5000),
    ],
)
def test_envelopes_are_recognised(value: str) -> None:
    assert is_envelope(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "my chest is tight",
        "e2e1.",
        f"e2e2.{IV}.{TAG}",  # another version
        f"E2E1.{IV}.{TAG}",
        f"e2e1.{'A' * 15}.{TAG}",  # IV one short
        f"e2e1.{'A' * 17}.{TAG}",
        f"e2e1.{IV}.{'B' * 21}",  # shorter than a tag
        f"e2e1.{IV}.{'B' * 25}",  # 25 base64 characters hold no whole last byte
        f"e2e1.{IV}.{TAG}=",  # padding
        f"e2e1.{IV}.{TAG}\n",
        f" e2e1.{IV}.{TAG}",
        f"e2e1.{IV}.{'B/' * 12}",  # base64, not base64url
        f"e2e1.{IV}.{TAG}.extra",
        f"e2e1.{IV}.{TAG} my chest is tight",
        f"e2e1.{IV}.{'B' * 40_000}",  # beyond any answer
        None,
        42,
    ],
)
def test_anything_else_is_not(value: object) -> None:
    assert not is_envelope(value)


def test_the_form_field_refuses_plaintext_with_a_clear_message() -> None:
    field = EnvelopeFormField()
    assert field.clean("") == ""
    envelope = sealed()
    assert field.clean(envelope) == envelope
    with pytest.raises(Exception) as refused:
        field.clean("my chest is tight")
    assert "did not arrive sealed on your device" in " ".join(refused.value.messages)  # type: ignore[attr-defined]


def test_the_validator_allows_nothing_written() -> None:
    validate_envelope("")
    validate_envelope(None)


@pytest.mark.django_db
def test_the_model_field_refuses_plaintext_on_any_save(cast: object) -> None:
    from tend.repairs.models import Entry, Participation

    participation = Participation.objects.first()
    assert participation is not None
    with pytest.raises(ValueError, match="refuses plaintext"), transaction.atomic():
        Entry.objects.create(participation=participation, key="honor:what_hurts", text="plain")
    with pytest.raises(ValueError, match="refuses plaintext"), transaction.atomic():
        Participation.objects.filter(pk=participation.pk).update(notice='{"signals": []}')
    envelope = sealed()
    Entry.objects.create(participation=participation, key="honor:what_hurts", text=envelope)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM repairs_entry WHERE key = %s", ["honor:what_hurts"])
        assert cursor.fetchone()[0] == envelope  # stored as sent: ciphertext only
