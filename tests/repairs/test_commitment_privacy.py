"""What is said about a commitment (suggestions, check-ins) stays among the current
members of its relationship: on every page, in notifications, events and exports."""

from tend.accounts import contributions
from tend.gardens import actions as garden_actions
from tend.live.models import Event
from tend.notify.models import Notification
from tend.repairs import account_data, commitments
from tend.repairs.models import Commitment, CommitmentCheckIn, CommitmentSuggestion
from tests.accounts.test_export import export_of
from tests.conftest import Cast
from tests.repairs.test_privacy import _pages_seen_by

ADA_SAYS = "COMMITMENT-MARKER-ada-5e1"
BEN_SAYS = "COMMITMENT-MARKER-ben-8c2"


def _say_things(cast: Cast) -> None:
    from django.utils import timezone

    commitments.suggest(
        cast.ada, cast.commitment, text=f"{ADA_SAYS} wording", review_on=None, note=ADA_SAYS
    )
    Commitment.objects.filter(pk=cast.commitment.pk).update(review_on=timezone.localdate())
    cast.commitment.refresh_from_db()
    commitments.check_in(cast.ada, cast.commitment, answer="partly", note=ADA_SAYS)
    commitments.check_in(cast.ben, cast.commitment, answer="kept", note=BEN_SAYS)


def test_members_see_it_and_nobody_else_does(cast: Cast) -> None:
    _say_things(cast)
    ben_pages = _pages_seen_by(cast, "ben")
    assert ADA_SAYS.encode() in ben_pages["relationship_commitments"]
    for person in ("cy", "dee", "eli", "anonymous"):
        for name, page in _pages_seen_by(cast, person).items():
            assert ADA_SAYS.encode() not in page, f"{person} sees ada's words on {name}"
            assert BEN_SAYS.encode() not in page, f"{person} sees ben's words on {name}"
    for row in (*Notification.objects.all(), *Event.objects.all()):
        assert ADA_SAYS not in str(row.__dict__) and BEN_SAYS not in str(row.__dict__)


def test_the_export_holds_it_for_members_only(cast: Cast) -> None:
    _say_things(cast)
    _, as_json, as_html = export_of(cast.ben)
    assert ADA_SAYS in as_json and BEN_SAYS in as_json and ADA_SAYS in as_html
    for outsider in (cast.cy, cast.dee, cast.eli):
        _, as_json, as_html = export_of(outsider)
        assert ADA_SAYS not in as_json + as_html and BEN_SAYS not in as_json + as_html


def test_after_leaving_one_keeps_only_ones_own_words(cast: Cast) -> None:
    _say_things(cast)
    garden_actions.leave_relationship(cast.ada, cast.us)
    data, as_json, _ = export_of(cast.ada)
    assert ADA_SAYS in as_json
    assert BEN_SAYS not in as_json  # ben's check-in note on his own commitment
    (us,) = [r for r in data["relationships"] if r["name"] == "Us"]
    assert [s["note"] for s in us["your_suggestions"]] == [ADA_SAYS]
    assert [c["note"] for c in us["your_check_ins"]] == [ADA_SAYS]


def test_deleting_an_account_removes_what_they_said_about_commitments(cast: Cast) -> None:
    _say_things(cast)
    (part,) = [p for p in contributions.parts() if p.owner == account_data.__name__]
    part.delete(cast.ada)  # type: ignore[misc]
    assert not CommitmentSuggestion.objects.filter(suggested_by=cast.ada).exists()
    assert not CommitmentCheckIn.objects.filter(person=cast.ada).exists()
    assert CommitmentCheckIn.objects.filter(person=cast.ben).exists()
