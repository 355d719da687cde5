"""The `tend` command: demo and worker."""

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


def test_worker_help_says_there_is_no_work_yet(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["worker", "--help"])

    assert exit_info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    # It is a stub: the help must not promise work it does not do.
    assert "stub" in out
    assert "exits cleanly at once" in out
    assert "no background work" in out


def test_the_command_list_calls_the_worker_a_stub(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])

    assert "a stub for now" in " ".join(capsys.readouterr().out.split())


def test_worker_exits_cleanly(capsys) -> None:
    assert main(["worker"]) == 0
    assert "no background work yet" in capsys.readouterr().out
