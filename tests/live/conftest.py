import pytest

from tend.live import limits


@pytest.fixture(autouse=True)
def fresh_stream_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test counts its own open streams. (A test client that never reads a stream
    never closes it either, so earlier tests could leave places taken.)"""
    monkeypatch.setattr(limits, "streams", limits.Streams())
