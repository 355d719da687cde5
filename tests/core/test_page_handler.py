"""Pages' database connections (tend.core.handler): kept by a pool thread while other
pages wait, all closed once no page is being answered."""

from typing import Any

import pytest

from tend.core import handler
from tend.core.handler import PageHandler


class Connection:
    """What the handler touches of a thread's database connection."""

    def __init__(self, vendor: str = "sqlite") -> None:
        self.vendor = vendor
        self.connection: Any = object()
        self.close_at: float | None = 0.0  # as CONN_MAX_AGE=0 sets it: closed at the end
        self.shared = 0

    def inc_thread_sharing(self) -> None:
        self.shared += 1

    def dec_thread_sharing(self) -> None:
        self.shared -= 1

    def close(self) -> None:
        assert self.shared, "closed from another thread without allowing it"
        self.connection = None


@pytest.fixture
def pool() -> PageHandler:
    return PageHandler(threads=2)


def end_of_page(pool: PageHandler, monkeypatch: pytest.MonkeyPatch, mine: Connection) -> None:
    """A pool thread finishing a page, with `mine` as its connection."""
    monkeypatch.setattr(handler, "connections", {"default": mine})
    pool._keep_connection_while_busy()
    pool._give_back_connections()


def test_a_page_while_others_wait_keeps_its_connection_until_the_last_one_ends(
    pool: PageHandler, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, last = Connection(), Connection()
    pool._handed, pool._answering = 2, 2

    end_of_page(pool, monkeypatch, first)
    assert first.close_at is None  # the request's end leaves it open
    assert first.connection is not None

    pool._handed = 1  # the first one's answer went back to the event loop
    end_of_page(pool, monkeypatch, last)
    assert last.close_at == 0.0  # alone: closed by its request's end, as ever
    assert first.connection is None  # and the kept one with it
    assert not pool._kept


def test_a_page_alone_keeps_nothing(pool: PageHandler, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = Connection()
    pool._handed, pool._answering = 1, 1
    end_of_page(pool, monkeypatch, alone)
    assert alone.close_at == 0.0
    assert not pool._kept


def test_postgresql_connections_go_back_to_their_pool(
    pool: PageHandler, monkeypatch: pytest.MonkeyPatch
) -> None:
    pooled = Connection(vendor="postgresql")
    pool._handed, pool._answering = 2, 2
    end_of_page(pool, monkeypatch, pooled)
    assert pooled.close_at == 0.0
    assert not pool._kept
