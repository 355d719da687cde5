from django.urls import reverse

from tend.live.models import Event
from tests.conftest import Cast, client_for


def test_members_see_commitments_on_the_relationship_page(cast: Cast) -> None:
    page = client_for(cast.ada).get(reverse("relationship", args=[cast.us.pk])).content.decode()
    assert "Say when I need space." in page


def test_an_edit_keeps_the_history_and_is_announced(cast: Cast) -> None:
    url = reverse("commitment_edit", args=[cast.us.pk, cast.commitment.pk])
    data = {"text": "Say it in a few words.", "review_on": "2027-03-01", "status": "active"}
    client_for(cast.ada).post(url, data)
    client_for(cast.ada).post(url, data)  # a double submit adds nothing
    cast.commitment.refresh_from_db()
    assert cast.commitment.text == "Say it in a few words."
    assert [r.text for r in cast.commitment.revisions.all()] == [
        "Say when I need space.",
        "Say it in a few words.",
    ]
    assert (
        Event.objects.filter(kind="commitment_changed", subject_id=cast.commitment.pk).count() == 1
    )
    page = client_for(cast.ben).get(reverse("relationship_commitments", args=[cast.us.pk]))
    assert "Say when I need space." in page.content.decode()  # the earlier wording


def test_bad_edits_get_a_message_and_change_nothing(cast: Cast) -> None:
    url = reverse("commitment_edit", args=[cast.us.pk, cast.commitment.pk])
    for data in (
        {"text": "", "review_on": "2027-03-01", "status": "active"},
        {"text": "x" * 301, "review_on": "2027-03-01", "status": "active"},
        {"text": "ok", "review_on": "someday", "status": "active"},
        {"text": "ok", "review_on": "2027-03-01", "status": "forgotten"},
    ):
        response = client_for(cast.ada).post(url, data)
        assert response.status_code == 400
        assert 'class="errorlist' in response.content.decode()
    cast.commitment.refresh_from_db()
    assert cast.commitment.text == "Say when I need space."


def test_a_commitment_of_another_relationship_is_404(cast: Cast) -> None:
    url = reverse("commitment_edit", args=[cast.family.pk, cast.commitment.pk])
    assert client_for(cast.ada).get(url).status_code == 404
