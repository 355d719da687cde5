from django.db import transaction

from tend.accounts.models import User
from tend.gardens.access import relationships_of
from tend.gardens.actions import leave_relationship


@transaction.atomic
def delete_account(user: User) -> None:
    # Leave first, so the others' pages update live as for any departure.
    for relationship in relationships_of(user):
        leave_relationship(user, relationship)
    user.delete()
