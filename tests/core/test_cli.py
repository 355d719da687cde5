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


@pytest.mark.django_db(transaction=True)
def test_serve_loads_without_the_garbage_collector_then_freezes_what_it_loaded(
    monkeypatch,
) -> None:
    import gc
    from importlib import import_module

    import uvicorn

    from tend import cli
    from tend.core import static

    seen: dict[str, object] = {}
    collect = static.collect
    imported: list[str] = []

    def importing(name: str):  # type: ignore[no-untyped-def]
        imported.append(name)
        return import_module(name)

    def collecting() -> bool:
        seen["collector while loading"] = gc.isenabled()
        return collect()

    def run(server, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen["collector while serving"] = gc.isenabled()
        seen["frozen"] = gc.get_freeze_count()
        seen["app loaded"] = server.config.loaded
        seen["views loaded"] = imported == ["tend.urls"]
        server.started = True

    monkeypatch.setattr(static, "collect", collecting)
    monkeypatch.setattr(cli, "import_module", importing)
    monkeypatch.setattr(uvicorn.Server, "run", run)
    try:
        assert main(["serve", "--no-migrate", "--no-worker"]) == 0
    finally:
        gc.unfreeze()
    assert seen["collector while loading"] is False
    assert seen["collector while serving"] is True
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 10_000
    assert seen["app loaded"] and seen["views loaded"]


def test_a_start_that_fails_while_loading_leaves_the_collector_on(monkeypatch) -> None:
    import gc

    from tend.core import static

    def broken() -> bool:
        raise OSError("no room left on the disk")

    monkeypatch.setattr(static, "collect", broken)
    try:
        with pytest.raises(OSError):
            main(["serve", "--no-migrate", "--no-worker"])
    finally:
        gc.unfreeze()
    assert gc.isenabled()


def test_a_start_that_migrates_or_collects_clears_its_garbage_before_freezing(
    monkeypatch,
) -> None:
    import gc

    import uvicorn

    from tend import cli
    from tend.core import static

    order: list[str] = []
    collect, freeze = gc.collect, gc.freeze
    monkeypatch.setattr(cli, "_unapplied_migrations", lambda: True)
    monkeypatch.setattr(
        "django.core.management.call_command", lambda *a, **k: order.append("migrate")
    )
    monkeypatch.setattr(static, "collect", lambda: True)
    monkeypatch.setattr(gc, "collect", lambda *a: order.append("collect") or collect(*a))
    monkeypatch.setattr(gc, "freeze", lambda: order.append("freeze") or freeze())
    monkeypatch.setattr(uvicorn.Server, "run", lambda server: None)
    try:
        main(["serve", "--no-worker"])
    finally:
        gc.unfreeze()
    assert order[0] == "migrate"
    assert order.index("collect") < order.index("freeze")
