"""The `tend` command: demo, and what `tend serve` does before serving."""

import pytest

from tend.accounts.models import User
from tend.cli import main
from tend.gardens.access import current_members
from tend.gardens.models import Relationship
from tend.live.models import Event


@pytest.mark.django_db
def test_demo_makes_ada_and_ben_in_one_relationship_and_prints_their_logins(capsys) -> None:
    assert main(["demo"]) == 0

    out = capsys.readouterr().out
    relationship = Relationship.objects.get(name="Ada & Ben")
    members = list(current_members(relationship))
    assert [m.display_name for m in members] == ["Ada", "Ben"]
    for member in members:
        assert member.email in out
        assert member.check_password("tend-demo-garden")
    assert "tend-demo-garden" in out
    kinds = list(Event.objects.filter(relationship=relationship).values_list("kind", flat=True))
    assert kinds == ["member_joined", "member_joined"]


@pytest.mark.django_db
def test_demo_can_run_twice_without_duplicating_anything(capsys) -> None:
    main(["demo"])
    main(["demo", "--password", "another demo phrase"])

    assert User.objects.count() == 2
    relationship = Relationship.objects.get(name="Ada & Ben")
    assert len(current_members(relationship)) == 2
    assert Event.objects.filter(relationship=relationship).count() == 2
    assert User.objects.get(email="ben@demo.tend").check_password("another demo phrase")
    assert "another demo phrase" in capsys.readouterr().out


# The worker itself: tests/notify/test_worker.py.


@pytest.mark.django_db
def test_serve_migrates_only_when_a_migration_on_disk_is_not_applied() -> None:
    from django.db.migrations.recorder import MigrationRecorder

    from tend.cli import _unapplied_migrations

    assert not _unapplied_migrations()
    MigrationRecorder.Migration.objects.filter(app="notify").latest("id").delete()
    assert _unapplied_migrations()
