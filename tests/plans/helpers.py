from tend.accounts.models import User
from tend.gardens.models import Relationship
from tend.plans import actions
from tend.plans.actions import Draft
from tend.plans.models import PlanVersion

DRAFT = Draft(
    flooded_word="pineapple",
    places=["the bench outside", "the kitchen table"],
    agreements=["No phones on the table."],
    rebond_ways=["playful_moment"],
    needs=["space", "assurance"],
    minutes=60,
)


def agreed_plan(relationship: Relationship, proposer: User, *others: User) -> PlanVersion:
    """A plan the proposer made and the others agreed to."""
    version = actions.propose(proposer, relationship, DRAFT)
    for other in others:
        version = actions.answer(other, relationship, version.pk, True)
    assert version.status == PlanVersion.Status.AGREED
    return version
