"""Hot queries of a fixed shape, compiled to SQL once per process and database.

Most of what a simple query costs tend is Python: building the queryset and compiling
it to SQL (0.1 to 1 ms each on this project's small server, against some 0.05 ms for
SQLite to answer), again for the same few queries on every page. `Prepared` builds
its queryset once with stand-in numbers, compiles it, and from then on runs that SQL
with the real numbers, the rows turned into models (or dicts, for `values()`) by the
ORM's own iterables, converters and `select_related` as before.

It refuses, when it compiles, a queryset whose SQL is not the same whatever the
numbers: built twice with different stand-ins, the two must differ only where the
stand-ins are. So a value read when the query is built (`timezone.now()`), a stand-in
changed on its way into SQL, or a shape that depends on a number raises at once
(`NotPrepared`) rather than running stale SQL.
"""

import copy
import threading
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler

# Two sets of stand-ins, unlike any id a test or a person makes.
_FIRST = 7_340_031_000
_SECOND = 5_170_029_001  # odd where the first is even: a branch on parity shows
# Every key is a 64-bit integer (BigAutoField). Past that, the ORM finds no row rather
# than sending a number the database would refuse: so here.
_KEYS = range(-(2**63), 2**63)


class NotPrepared(ValueError):
    """The queryset's SQL depends on more than its numbers."""


class _Compiled:
    def __init__(self, compiler: SQLCompiler, sql: str, params: tuple[Any, ...]) -> None:
        self.compiler = compiler  # set up by as_sql(): select, converters, related models
        self.sql = sql
        self.params = params
        self.slots: list[tuple[int, int]] = []  # (position in params, which number)

    def compiler_for(self, query: Query, numbers: tuple[int, ...]) -> SQLCompiler:
        params = list(self.params)
        for position, which in self.slots:
            params[position] = numbers[which]
        compiler = copy.copy(self.compiler)
        compiler.query = query
        # This thread's own connection: the first compile ran in another thread.
        compiler.connection = connections[compiler.using]
        answer = (self.sql, tuple(params))
        # Nothing to set up again: the copy keeps what the first compile worked out.
        compiler.as_sql = lambda *args, **kwargs: answer  # type: ignore[method-assign]
        return compiler


class _PreparedQuery(Query):
    """The template's query (built with the stand-ins), compiling to the prepared SQL
    with this query's numbers. Anything that changes it (a filter, a count, a limit)
    works on a clone: that is the query built again with the real numbers, compiled by
    the ORM as ever, never the template's with its stand-ins."""

    prepared: tuple[str, _Compiled, tuple[int, ...], Callable[..., QuerySet[Any]]]

    def get_compiler(
        self, using: str | None = None, connection: Any = None, elide_empty: bool = True
    ) -> SQLCompiler:
        alias, compiled, numbers, _ = self.prepared
        if (connection.alias if connection is not None else using) == alias:
            return compiled.compiler_for(self, numbers)
        return super().get_compiler(using, connection, elide_empty)

    def clone(self) -> Query:
        _, _, numbers, build = self.prepared
        return build(*numbers).query


class Prepared[R]:
    """`Prepared(lambda user_id, relationship_id: Model.objects.filter(...))`, then
    `prepared(ada.pk, 3)`: that queryset, with its SQL compiled once. Every argument is
    an id (an int) that only goes into the SQL as a value. Reading the queryset
    (iterate, `list()`, `one()`) runs the prepared SQL; any change to it (a filter, a
    count) builds and compiles it anew, as the ORM would have."""

    def __init__(self, build: Callable[..., QuerySet[Any, R]]) -> None:
        self._build = build
        self._compiled: dict[str, tuple[QuerySet[Any, R], _Compiled]] = {}
        self._lock = threading.Lock()

    def __call__(self, *numbers: int, using: str = DEFAULT_DB_ALIAS) -> QuerySet[Any, R]:
        for number in numbers:
            if type(number) is not int:
                raise TypeError(f"a prepared query takes ids, not {number!r}")
        template, compiled = self._compiled.get(using) or self._compile(using, len(numbers))
        if not all(number in _KEYS for number in numbers):
            return template.none()
        queryset = template._chain()  # its own query, a clone of the template's
        queryset.query.__class__ = _PreparedQuery
        queryset.query.prepared = (using, compiled, numbers, self._build)  # type: ignore[attr-defined]
        return queryset

    def one(self, *numbers: int, using: str = DEFAULT_DB_ALIAS) -> R | None:
        """The one row (a model, or what `values()` makes of it), or None."""
        queryset = self(*numbers, using=using)
        rows = list(queryset)
        if len(rows) > 1:
            raise queryset.model.MultipleObjectsReturned
        return rows[0] if rows else None

    def _compile(self, using: str, arity: int) -> tuple[QuerySet[Any, R], _Compiled]:
        with self._lock:
            if using in self._compiled:
                return self._compiled[using]
            first = [_FIRST + i for i in range(arity)]
            second = [_SECOND + i for i in range(arity)]
            template = self._build(*first).using(using)
            compiler = template.query.get_compiler(using)
            sql, params = compiler.as_sql()
            other = self._build(*second).using(using).query.get_compiler(using)
            other_sql, other_params = other.as_sql()
            if other_sql != sql or len(other_params) != len(params):
                raise NotPrepared("its SQL changes with the numbers")
            compiled = _Compiled(compiler, sql, tuple(params))
            for position, (one, two) in enumerate(zip(params, other_params, strict=True)):
                if one == two:
                    continue
                if one in first and two == second[first.index(one)]:
                    compiled.slots.append((position, first.index(one)))
                else:
                    raise NotPrepared(f"parameter {position} is not one of its numbers: {one!r}")
            if {which for _, which in compiled.slots} != set(range(arity)):
                raise NotPrepared("a number does not reach its SQL")
            self._compiled[using] = (template, compiled)
            return template, compiled
