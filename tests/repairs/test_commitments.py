"""Commitments kept together: the ledger, the maker's changes, suggestions from the
others, check-ins on review dates; each move once however often it is sent."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tend.live.models import Event
from tend.notify.models import Notification, Reminder
from tend.repairs import commitments
from tend.repairs.machine.commitments import NotYours
from tend.repairs.models import Commitment, CommitmentCheckIn, CommitmentSuggestion
from tests.conftest import Cast, client_for

NEW = "Say it when I need space, kindly."


def ledger(cast: Cast, user) -> str:  # type: ignore[no-untyped-def]
    response = client_for(user).get(reverse("relationship_commitments", args=[cast.us.pk]))
    assert response.status_code == 200
    return response.content.decode()


def url(name: str, cast: Cast, *extra: object) -> str:
    return reverse(name, args=[cast.us.pk, cast.commitment.pk, *extra])


def events(kind: str) -> int:
    return Event.objects.filter(kind=kind).count()


def make_due(cast: Cast) -> None:
    Commitment.objects.filter(pk=cast.commitment.pk).update(review_on=timezone.localdate())
    cast.commitment.refresh_from_db()


def test_members_see_commitments_on_the_relationship_page(cast: Cast) -> None:
    page = client_for(cast.ada).get(reverse("relationship", args=[cast.us.pk])).content.decode()
    assert "Say when I need space." in page


def test_the_ledger_groups_by_status_with_who_made_each_and_its_history(cast: Cast) -> None:
    Commitment.objects.create(
        relationship=cast.us,
        owner=cast.ada,
        owner_name="Ada",
        text="Walk together on Sundays.",
        review_on=timezone.localdate(),
        status=Commitment.Status.KEPT,
    )
    page = ledger(cast, cast.ada)
    working, done = page.index("We are working on it"), page.index("Done</h2>")
    assert working < page.index("Say when I need space.") < done
    assert done < page.index("Walk together on Sundays.") < page.index("Let go of, for now")
    assert "Ben</span>: Say when I need space." in page
    assert "Look at it together on" in page
    assert "<details><summary>Its history</summary>" in page
    assert f'{url("commitment_suggest", cast)}">Suggest a change' in page
    assert f'{url("commitment_edit", cast)}">Change it' not in page
    # The ledger redraws itself on every change of commitments, live.
    for kind in (
        "commitment_changed",
        "commitment_suggested",
        "commitment_suggestion_declined",
        "commitment_suggestion_withdrawn",
        "commitment_checked_in",
    ):
        assert f"tend:{kind} from:body" in page
    assert f'{url("commitment_edit", cast)}">Change it' in ledger(cast, cast.ben)


def test_the_maker_edits_keeping_the_history_once_however_often_sent(cast: Cast) -> None:
    data = {"text": "Say it in a few words.", "review_on": "2027-03-01", "status": "active"}
    for _ in range(2):  # a double submit adds nothing
        assert client_for(cast.ben).post(url("commitment_edit", cast), data).status_code == 302
    cast.commitment.refresh_from_db()
    assert cast.commitment.text == "Say it in a few words."
    assert [r.text for r in cast.commitment.revisions.all()] == [
        "Say when I need space.",
        "Say it in a few words.",
    ]
    assert events("commitment_changed") == 1
    assert "Say when I need space." in ledger(cast, cast.ada)  # the earlier wording


def test_only_the_maker_changes_it_others_are_told_to_suggest(cast: Cast) -> None:
    data = {"text": "Changed by ada.", "review_on": "2027-03-01", "status": "kept"}
    for response in (
        client_for(cast.ada).get(url("commitment_edit", cast)),
        client_for(cast.ada).post(url("commitment_edit", cast), data),
        client_for(cast.ada).post(url("commitment_next", cast), {"review_on": "2027-03-01"}),
    ):
        assert response.status_code == 403
        assert "Only Ben changes this commitment" in response.content.decode()
    with pytest.raises(NotYours):
        commitments.edit(
            cast.ada, cast.commitment, text="x", review_on=timezone.localdate(), status="kept"
        )
    cast.commitment.refresh_from_db()
    assert (cast.commitment.text, cast.commitment.status) == ("Say when I need space.", "active")
    assert events("commitment_changed") == 0


def test_when_the_maker_has_gone_any_member_may_change_it(cast: Cast) -> None:
    Commitment.objects.filter(pk=cast.commitment.pk).update(
        owner=None, owner_name="Someone who left"
    )
    data = {"text": "We say it, both.", "review_on": "2027-03-01", "status": "active"}
    assert client_for(cast.ada).post(url("commitment_edit", cast), data).status_code == 302
    assert client_for(cast.ada).get(url("commitment_suggest", cast)).status_code == 403


def test_bad_edits_get_a_message_and_change_nothing(cast: Cast) -> None:
    for data in (
        {"text": "", "review_on": "2027-03-01", "status": "active"},
        {"text": "x" * 301, "review_on": "2027-03-01", "status": "active"},
        {"text": "ok", "review_on": "someday", "status": "active"},
        {"text": "ok", "review_on": "2027-03-01", "status": "forgotten"},
    ):
        response = client_for(cast.ben).post(url("commitment_edit", cast), data)
        assert response.status_code == 400
        assert 'class="errorlist' in response.content.decode()
    cast.commitment.refresh_from_db()
    assert cast.commitment.text == "Say when I need space."


def test_a_commitment_of_another_relationship_is_404(cast: Cast) -> None:
    for name in ("commitment_edit", "commitment_suggest", "commitment_check_in"):
        other = reverse(name, args=[cast.family.pk, cast.commitment.pk])
        assert client_for(cast.ada).get(other).status_code == 404


def suggest(cast: Cast, **data: str):  # type: ignore[no-untyped-def]
    return client_for(cast.ada).post(url("commitment_suggest", cast), data)


def test_ada_suggests_ben_takes_it_up_each_once(cast: Cast) -> None:
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    for _ in range(2):
        response = suggest(cast, text=NEW, review_on=later, note="I think it helps")
        assert response.status_code == 302
    (suggestion,) = CommitmentSuggestion.objects.all()
    assert (suggestion.text, suggestion.note, suggestion.status) == (
        NEW,
        "I think it helps",
        "open",
    )
    assert events("commitment_suggested") == 1
    assert Notification.objects.filter(user=cast.ben, kind="commitment_suggested").count() == 1
    page = ledger(cast, cast.ben)
    assert NEW in page and "Take it up" in page and "Keep it as it is" in page
    assert "Take my suggestion back" in ledger(cast, cast.ada)

    accept = url("commitment_suggestion_accept", cast, suggestion.pk)
    assert client_for(cast.ada).post(accept).status_code == 403  # not hers to take up
    for _ in range(2):
        assert client_for(cast.ben).post(accept).status_code == 302
    cast.commitment.refresh_from_db()
    assert (cast.commitment.text, cast.commitment.review_on.isoformat()) == (NEW, later)
    assert [r.edited_by for r in cast.commitment.revisions.all()] == [cast.ben, cast.ben]
    assert events("commitment_changed") == 1
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    assert "Taken up" in ledger(cast, cast.ada)
    # Already answered: nothing more to decline or take back.
    decline = url("commitment_suggestion_decline", cast, suggestion.pk)
    assert client_for(cast.ben).post(decline).status_code == 409


def test_a_second_suggestion_changes_the_first_and_can_be_taken_back(cast: Cast) -> None:
    suggest(cast, text=NEW)
    suggest(cast, text="Another way to say it.")
    (suggestion,) = CommitmentSuggestion.objects.all()
    assert suggestion.text == "Another way to say it."
    assert events("commitment_suggested") == 2
    withdraw = url("commitment_suggestion_withdraw", cast, suggestion.pk)
    assert client_for(cast.ben).post(withdraw).status_code == 403
    for _ in range(2):
        assert client_for(cast.ada).post(withdraw).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "withdrawn"
    assert events("commitment_suggestion_withdrawn") == 1


def test_ben_may_decline_and_ada_hears_it_without_words(cast: Cast) -> None:
    suggest(cast, text=NEW)
    suggestion = CommitmentSuggestion.objects.get()
    decline = url("commitment_suggestion_decline", cast, suggestion.pk)
    for _ in range(2):
        assert client_for(cast.ben).post(decline).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "declined"
    assert events("commitment_suggestion_declined") == 1
    cast.commitment.refresh_from_db()
    assert cast.commitment.text == "Say when I need space."
    assert Notification.objects.filter(
        user=cast.ada, kind="commitment_suggestion_declined"
    ).exists()
    assert "Not taken up" in ledger(cast, cast.ada)


def test_bad_suggestions_get_a_message_and_record_nothing(cast: Cast) -> None:
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    for data in (
        {},  # nothing to change
        {"text": "Say when I need space."},  # the same wording
        {"text": "x" * 301},
        {"text": NEW, "note": "y" * 301},
        {"review_on": yesterday},
        {"review_on": "2099-01-01"},
        {"review_on": "soon"},
    ):
        response = suggest(cast, **data)
        assert response.status_code == 400, data
        assert 'class="form-errors"' in response.content.decode()
    assert not CommitmentSuggestion.objects.exists()
    assert client_for(cast.ben).get(url("commitment_suggest", cast)).status_code == 403


def test_check_ins_open_on_the_review_date_for_everyone(cast: Cast) -> None:
    check_in = url("commitment_check_in", cast)
    response = client_for(cast.ada).post(check_in, {"answer": "kept"})
    assert response.status_code == 409
    assert "not time to look at this one together yet" in response.content.decode()

    review_on = cast.commitment.review_on
    with time_machine.travel(timezone.now() + timedelta(days=14), tick=False):
        assert timezone.localdate() == review_on
        page = ledger(cast, cast.ada)
        assert "Time for a short check-in" in page and 'id="check-in-form-' in page
        for _ in range(2):  # a double submit records one check-in
            response = client_for(cast.ada).post(check_in, {"answer": "kept", "note": "Yes!"})
            assert response.status_code == 302
        assert client_for(cast.ben).post(check_in, {"answer": "partly"}).status_code == 302
        assert events("commitment_checked_in") == 2
        assert list(
            CommitmentCheckIn.objects.values_list("person__display_name", "answer", "note")
        ) == [("Ada", "kept", "Yes!"), ("Ben", "partly", "")]
        # Said again, differently: one's own check-in changes.
        client_for(cast.ada).post(check_in, {"answer": "partly", "note": "Mostly."})
        assert CommitmentCheckIn.objects.get(person=cast.ada).answer == "partly"
        page = client_for(cast.ada).get(check_in).content.decode()
        assert 'value="partly" required id="id_answer_1" checked' in page  # what she said
        assert 'value="Mostly."' in page
        page = ledger(cast, cast.ben)
        assert "Ada: Partly — “Mostly.”" in page and "You: Partly" in page
        assert "Set the next day" in page and "Set the next day" not in ledger(cast, cast.ada)

        # The maker sets the next day: the round is over, its check-ins are history.
        later = (review_on + timedelta(days=21)).isoformat()
        assert (
            client_for(cast.ben)
            .post(url("commitment_next", cast), {"review_on": later})
            .status_code
            == 302
        )
        cast.commitment.refresh_from_db()
        assert cast.commitment.review_on.isoformat() == later
        page = ledger(cast, cast.ada)
        assert "Time for a short check-in" not in page
        assert "— Ada: Partly — “Mostly.”" in page  # in its history
        assert client_for(cast.ada).post(check_in, {"answer": "kept"}).status_code == 409


def test_lets_change_it_leads_to_the_change(cast: Cast) -> None:
    make_due(cast)
    check_in = url("commitment_check_in", cast)
    response = client_for(cast.ada).post(check_in, {"answer": "change"})
    assert response["Location"] == url("commitment_suggest", cast)
    response = client_for(cast.ben).post(check_in, {"answer": "change"})
    assert response["Location"] == url("commitment_edit", cast)


def test_bad_check_ins_get_a_message_and_record_nothing(cast: Cast) -> None:
    make_due(cast)
    for data in ({}, {"answer": "great"}, {"answer": "kept", "note": "z" * 301}):
        response = client_for(cast.ada).post(url("commitment_check_in", cast), data)
        assert response.status_code == 400
        assert 'class="form-errors"' in response.content.decode()
    for day in ("", "yesterday", timezone.localdate().isoformat(), "2099-01-01"):
        response = client_for(cast.ben).post(url("commitment_next", cast), {"review_on": day})
        assert response.status_code == 400, day
    assert not CommitmentCheckIn.objects.exists()
    assert events("commitment_changed") == 0


def test_the_review_reminder_invites_to_the_check_in_until_one_has(cast: Cast) -> None:
    from tend.notify import kinds
    from tend.repairs import reminders

    assert "check-in" in str(kinds.BY_KEY["commitment_review"].says)
    made = {r.user_id: r for r in Reminder.objects.filter(kind="commitment_review")}
    commitments.edit(
        cast.ben,
        cast.commitment,
        text="Say it.",
        review_on=cast.commitment.review_on + timedelta(days=1),
        status="active",
    )
    made = {
        r.user_id: r
        for r in Reminder.objects.filter(kind="commitment_review", cancelled_at__isnull=True)
    }
    assert set(made) == {cast.ada.pk, cast.ben.pk}
    cast.commitment.refresh_from_db()
    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        commitments.check_in(cast.ada, cast.commitment, answer="kept", note="")
        assert not reminders.review_still_wanted(made[cast.ada.pk])
        assert reminders.review_still_wanted(made[cast.ben.pk])
