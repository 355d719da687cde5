"""Hot queries of a fixed shape, compiled to SQL once per process and database.

Most of what a simple query costs tend is Python: building the queryset and compiling
it to SQL (0.1 to 1 ms each on this project's small server, against some 0.05 ms for
SQLite to answer), again for the same few queries on every page. `Prepared` builds
its queryset once with stand-in ids, compiles it, and from then on runs that SQL with
the real ids, the rows turned into models (or dicts, for `values()`) by the ORM's own
iterables, converters and `select_related` as before. The ids are numbers or, for a
text key (a session's), strings.

It refuses, when it compiles, a queryset whose SQL is not the same whatever the ids:
built twice with different stand-ins, the two must differ only where the stand-ins
are. So a value read when the query is built (`timezone.now()`), a stand-in changed
on its way into SQL, or a shape that depends on an id raises at once (`NotPrepared`)
rather than running stale SQL.
"""

import copy
import threading
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler

# Two sets of stand-ins, unlike any id a test or a person makes (as text, for text keys).
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
        self.slots: list[tuple[int, int]] = []  # (position in params, which id)

    def compiler_for(self, query: Query, ids: tuple[int | str, ...]) -> SQLCompiler:
        params = list(self.params)
        for position, which in self.slots:
            params[position] = ids[which]
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
    with this query's ids. Anything that changes it (a filter, a count, a limit) works
    on a clone: that is the query built again with the real ids, compiled by the ORM as
    ever, never the template's with its stand-ins."""

    prepared: tuple[str, _Compiled, tuple[int | str, ...], Callable[..., QuerySet[Any]]]

    def get_compiler(
        self, using: str | None = None, connection: Any = None, elide_empty: bool = True
    ) -> SQLCompiler:
        alias, compiled, ids, _ = self.prepared
        if (connection.alias if connection is not None else using) == alias:
            return compiled.compiler_for(self, ids)
        return super().get_compiler(using, connection, elide_empty)

    def clone(self) -> Query:
        _, _, ids, build = self.prepared
        return build(*ids).query


class Prepared[R]:
    """`Prepared(lambda user_id, relationship_id: Model.objects.filter(...))`, then
    `prepared(ada.pk, 3)`: that queryset, with its SQL compiled once. Every argument is
    an id that only goes into the SQL as a value: an int, or with `key=str` a string
    (a text primary key). Reading the queryset (iterate, `list()`, `one()`) runs the
    prepared SQL; any change to it (a filter, a count) builds and compiles it anew, as
    the ORM would have."""

    def __init__(
        self, build: Callable[..., QuerySet[Any, R]], *, key: type[int] | type[str] = int
    ) -> None:
        self._build = build
        self._key = key
        self._compiled: dict[str, tuple[QuerySet[Any, R], _Compiled]] = {}
        self._lock = threading.Lock()

    def __call__(self, *ids: int | str, using: str = DEFAULT_DB_ALIAS) -> QuerySet[Any, R]:
        for id_ in ids:
            if type(id_) is not self._key:
                raise TypeError(f"this prepared query takes {self._key.__name__} ids, not {id_!r}")
        template, compiled = self._compiled.get(using) or self._compile(using, len(ids))
        if self._key is int and not all(id_ in _KEYS for id_ in ids):
            return template.none()
        queryset = template._chain()  # its own query, a clone of the template's
        queryset.query.__class__ = _PreparedQuery
        queryset.query.prepared = (using, compiled, ids, self._build)  # type: ignore[attr-defined]
        return queryset

    def one(self, *ids: int | str, using: str = DEFAULT_DB_ALIAS) -> R | None:
        """The one row (a model, or what `values()` makes of it), or None."""
        queryset = self(*ids, using=using)
        rows = list(queryset)
        if len(rows) > 1:
            raise queryset.model.MultipleObjectsReturned
        return rows[0] if rows else None

    def _compile(self, using: str, arity: int) -> tuple[QuerySet[Any, R], _Compiled]:
        with self._lock:
            if using in self._compiled:
                return self._compiled[using]
            first = [self._key(_FIRST + i) for i in range(arity)]
            second = [self._key(_SECOND + i) for i in range(arity)]
            template = self._build(*first).using(using)
            compiler = template.query.get_compiler(using)
            sql, params = compiler.as_sql()
            other = self._build(*second).using(using).query.get_compiler(using)
            other_sql, other_params = other.as_sql()
            if other_sql != sql or len(other_params) != len(params):
                raise NotPrepared("its SQL changes with the ids")
            compiled = _Compiled(compiler, sql, tuple(params))
            for position, (one, two) in enumerate(zip(params, other_params, strict=True)):
                if one == two:
                    continue
                if one in first and two == second[first.index(one)]:
                    compiled.slots.append((position, first.index(one)))
                else:
                    raise NotPrepared(f"parameter {position} is not one of its ids: {one!r}")
            if {which for _, which in compiled.slots} != set(range(arity)):
                raise NotPrepared("an id does not reach its SQL")
            self._compiled[using] = (template, compiled)
            return template, compiled
