"""What a PostgreSQL NOTIFY payload of the bus is taken to say: the topic, and the
event it carries only when it is plainly one (anything else is a bare wake-up, and
the room reads the log)."""

from tend.live.bus import _heard, relationship_topic, session_topic


def test_an_event_travels_with_its_relationship() -> None:
    topic, event = _heard('7 {"kind":"pause_changed","seq":42,"actor":5,"repair":3}')
    assert topic == relationship_topic(7)
    assert event == {"kind": "pause_changed", "seq": 42, "actor": 5, "repair": 3}


def test_a_bare_or_unreadable_payload_only_wakes() -> None:
    assert _heard("7") == (relationship_topic(7), None)
    assert _heard("7 {not json") == (relationship_topic(7), None)
    assert _heard("7 [1, 2]") == (relationship_topic(7), None)


def test_a_session_payload_names_its_session_only() -> None:
    digest = session_topic("abc")[1]
    assert _heard(f"s:{digest}") == (("s", digest), None)
    assert _heard("nonsense")[1] is None
