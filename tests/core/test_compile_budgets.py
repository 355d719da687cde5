"""Compile budgets of the hot pages: how many queries a page still has the ORM build
and compile to SQL, beyond those prepared once (tend.core.prepared).

Building and compiling a query is most of its cost in Python, and the same pages run
the same queries for everyone: those are prepared. A page read twice compiles, the
second time, only what cannot be prepared (the signed-in person, whom Django reads;
a query with a time in it; what the prefetches read). Each budget
is the count measured when it was set, on SQLite and PostgreSQL alike; raise one only
with a reason."""

from collections.abc import Callable, Iterator

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast, client_for


class Compiles:
    def __init__(self) -> None:
        self.sql: list[str] = []


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> Iterator[Compiles]:
    seen = Compiles()
    compile_ = SQLCompiler.as_sql

    def counted(self: SQLCompiler, *args: object, **kwargs: object) -> tuple[str, tuple]:
        sql, params = compile_(self, *args, **kwargs)  # type: ignore[arg-type]
        seen.sql.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    yield seen


def read_twice(client: Client, url: str, compiles: Compiles) -> list[str]:
    assert client.get(url).status_code == 200  # prepares what it prepares
    compiles.sql.clear()
    assert client.get(url).status_code == 200
    return compiles.sql


@pytest.mark.parametrize(
    ("name", "args", "budget"),
    [
        # The person, on every page (Django reads them; the session is prepared).
        ("home", lambda cast: [], 1),
        # And the person's own open invitation links (they compare with the time).
        ("relationship", lambda cast: [cast.us.pk], 2),
        # And who accepted each plan and acknowledged each need (the prefetches).
        ("repair", lambda cast: [cast.us.pk, cast.repair.pk], 3),
        # The fragments a live update re-fetches.
        ("relationship_members", lambda cast: [cast.us.pk], 1),
        ("relationship_repair", lambda cast: [cast.us.pk], 1),
    ],
    ids=["home", "relationship", "repair", "members", "repair-call-out"],
)
def test_a_hot_page_compiles_little_the_second_time(
    cast: Cast,
    compiles: Compiles,
    name: str,
    args: Callable[[Cast], list[int]],
    budget: int,
) -> None:
    compiled = read_twice(client_for(cast.ada), reverse(name, args=args(cast)), compiles)
    assert len(compiled) <= budget, "\n".join(compiled)
