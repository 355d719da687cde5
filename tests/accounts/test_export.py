"""Export: all one wrote and what was shared with one, never another person's private text."""

import io
import json
import re
import zipfile

import pytest
from django.test import Client

from tend.accounts.models import User
from tend.care import safety
from tend.care.models import SafetyAnswer
from tend.repairs.models import Entry, VoiceMessage
from tests.accounts.helpers import signed_in
from tests.accounts.scenes import PRIVATE, SHARED, STEP5, mark, written_repair
from tests.conftest import PASSWORD, Cast, client_for
from tests.sealed import sealed

EXPORT = "/account/export/"


def export(client: Client) -> tuple[dict, str, str]:  # type: ignore[type-arg]
    """The export's data, its JSON text and its HTML text."""
    response = client.post(EXPORT, {"password": PASSWORD})
    assert response.status_code == 200, response.content[:500]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        as_json = archive.read("tend-export.json").decode()
        as_html = archive.read("tend-export.html").decode()
    return json.loads(as_json), as_json, as_html


def export_of(user: User) -> tuple[dict, str, str]:  # type: ignore[type-arg]
    return export(client_for(user))


def test_the_page_says_what_is_in_it_and_asks_for_the_password(cast: Cast) -> None:
    page = client_for(cast.ada).get(EXPORT).content.decode()

    assert "It never holds what another person kept private." in page
    assert 'autocomplete="current-password"' in page
    assert "Download my data" in page


def test_the_download_is_a_zip_attachment_that_no_cache_keeps(cast: Cast) -> None:
    response = client_for(cast.ada).post(EXPORT, {"password": PASSWORD})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="tend-export-')
    assert response["Content-Disposition"].endswith('.zip"')
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["tend-export.html", "tend-export.json"]
        assert archive.testzip() is None


@pytest.mark.parametrize("data", [{}, {"password": "not it"}, {"password": "x" * 5000}])
def test_without_the_right_password_there_is_no_file(cast: Cast, data: dict[str, str]) -> None:
    response = client_for(cast.ada).post(EXPORT, data)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert 'role="alert"' in response.content.decode()


def test_ada_takes_every_text_she_wrote_private_or_shared(cast: Cast) -> None:
    written_repair(cast.us, [cast.ada, cast.ben])
    written_repair(cast.us, [cast.ada, cast.ben], tag="-early", together=False)

    _, as_json, as_html = export_of(cast.ada)

    for text in (as_json, as_html):
        # What she kept to herself is sealed on her device: the server cannot put it
        # here, and the export says so (her device downloads it: /me/private/).
        for field in SHARED:
            assert mark("ada", field) in text, field
        for field in tuple(f for f in SHARED if f not in STEP5):
            assert mark("ada", field, "-early") in text, field
        assert "sealed on your" in text
        # From the cast: her need, her proposed place, her practice.
        assert "the bench outside" in text
        assert "Say when I need space." in text  # ben's commitment in "Us"


def test_privacy_markers_ada_gets_what_ben_shared_and_never_what_he_kept(cast: Cast) -> None:
    """ben writes a marker into every field; ada's export holds exactly his shared ones."""
    written_repair(cast.us, [cast.ada, cast.ben])  # went through step 5, both joined
    written_repair(cast.us, [cast.ada, cast.ben], tag="-early", together=False)
    written_repair(cast.us, [cast.ada, cast.ben], tag="-apart", joined=("ben",))

    _, as_json, as_html = export_of(cast.ada)

    for text in (as_json, as_html):
        for tag in ("", "-early", "-apart"):
            for field in PRIVATE:
                assert mark("ben", field, tag) not in text, (field, tag)
        for field in SHARED:
            assert mark("ben", field) in text, field
        # Before step 5, or in a step 5 ada did not join: only his step 1-4 messages.
        for tag in ("-early", "-apart"):
            for field in SHARED:
                assert (mark("ben", field, tag) in text) == (field not in STEP5), (field, tag)
        # And nothing else of his: every marker of ben's found is one he shared.
        allowed = {mark("ben", f) for f in SHARED} | {
            mark("ben", f, tag) for tag in ("-early", "-apart") for f in SHARED if f not in STEP5
        }
        assert set(re.findall(r"ben-[a-z-]+?-q7z", text)) == allowed


def test_only_brought_reflections_of_others_are_in_the_conversation(cast: Cast) -> None:
    written_repair(cast.us, [cast.ada, cast.ben])

    data, _, _ = export_of(cast.ada)

    (repair,) = [r for r in data["repairs"] if r["shared_with_you"].get("brought")]
    assert [b["text"] for b in repair["shared_with_you"]["brought"]] == [mark("ben", "brought")]
    assert repair["shared_with_you"]["brought"][0]["from"] == "Ben"


def test_a_former_member_takes_only_what_they_wrote(cast: Cast) -> None:
    # eli took part in a repair in "Us" before leaving it.
    written_repair(cast.us, [cast.ben, cast.eli], tag="-past")

    data, as_json, as_html = export_of(cast.eli)

    for text in (as_json, as_html):
        for field in SHARED:
            assert mark("eli", field, "-past") in text, field
        assert "ben-" not in text
        assert "Say when I need space." not in text  # ben's commitment in "Us"
    (us,) = data["relationships"]
    assert us["left_at"] is not None
    assert us["members"] == []


def test_others_outside_the_relationship_get_nothing_of_it(cast: Cast) -> None:
    written_repair(cast.us, [cast.ada, cast.ben])

    for outsider in (cast.cy, cast.dee):
        _, as_json, as_html = export_of(outsider)
        for text in (as_json, as_html):
            assert "ada-" not in text and "ben-" not in text
            assert "the bench outside" not in text


def test_the_readable_file_shows_what_people_wrote_as_text_never_as_markup(
    cast: Cast,
) -> None:
    written_repair(cast.us, [cast.ada, cast.ben])
    cast.ben.display_name = "<img src=x onerror=alert(1)>"
    cast.ben.save()
    # Her private words are sealed (not in the file); what she brought is, as she wrote it.
    Entry.objects.filter(participation__user=cast.ada, bring=True).exclude(shared="").update(
        shared='<script>alert("ada")</script>'
    )
    message = VoiceMessage.objects.filter(author=cast.ben).first()
    assert message is not None
    message.text = "</blockquote><script>alert('ben')</script>"
    message.save()

    _, as_json, as_html = export_of(cast.ada)

    assert "<script" not in as_html
    assert "<img" not in as_html
    assert "&lt;script&gt;alert(&quot;ada&quot;)&lt;/script&gt;" in as_html
    assert "&lt;/blockquote&gt;&lt;script&gt;" in as_html
    assert "&lt;img src=x onerror=alert(1)&gt;" in as_html
    # The JSON is data: the text exactly as written.
    assert '<script>alert(\\"ada\\")</script>' in as_json


def test_the_export_lists_devices_relationships_and_commitments(cast: Cast) -> None:
    client = signed_in(cast.ada)

    data, _, as_html = export(client)

    assert data["format"] == "tend-export"
    assert data["account"]["email"] == "ada@example.test"
    assert [d["device"] for d in data["devices"]] == ["Chrome on Android"]
    assert [d["network"] for d in data["devices"]] == ["192.0.2.x"]
    names = {r["name"]: r for r in data["relationships"]}
    assert set(names) == {"Us", "Family"}
    assert names["Us"]["members"] == ["Ada", "Ben"]
    (commitment,) = names["Us"]["commitments"]
    assert commitment["owner"] == "Ben"
    assert commitment["text"] == "Say when I need space."
    assert [h["edited_by"] for h in commitment["history"]] == ["Ben"]
    assert "Chrome on Android" in as_html


@pytest.mark.parametrize("person", ["ada", "ben", "cy", "dee", "eli"])
def test_everyone_in_the_cast_can_export(cast: Cast, person: str) -> None:
    written_repair(cast.us, [cast.ada, cast.ben])
    written_repair(cast.family, [cast.ada, cast.ben, cast.cy], tag="-family")

    data, _, as_html = export_of(cast.people()[person])  # type: ignore[arg-type]

    assert data["account"]["email"] == f"{person}@example.test"
    assert as_html.startswith("<!doctype html>")


def test_ones_own_safety_answer_is_in_it_and_nobody_elses(cast: Cast) -> None:
    SafetyAnswer.objects.all().delete()  # the cast has answered "yes" everywhere
    safety.record(cast.ben, cast.us, sealed())  # "no", sealed on ben's phone
    safety.record(cast.ada, cast.family, sealed())  # "yes", on ada's

    data, as_json, _ = export_of(cast.ada)
    bens, _, bens_html = export_of(cast.ben)

    answers = {r["name"]: r["your_safety_answer"] for r in data["relationships"]}
    assert answers["Us"] is None  # ben's answer about "Us" is his alone
    # The answer itself is sealed on the device: the export says only that it was given.
    assert answers["Family"]["answered"] is True
    assert "feels_safe" not in as_json
    (us,) = [r for r in bens["relationships"] if r["name"] == "Us"]
    assert us["your_safety_answer"]["answered"] is True
    assert "Do you feel safe with the people in this relationship?" in bens_html
