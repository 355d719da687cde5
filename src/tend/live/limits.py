"""How many event streams may be open at once, in this process.

A page holds one stream, so a person needs a few: a phone, a laptop, a second tab.
Past the limit of a session or of an account, the oldest of its streams closes (its
page is told it was replaced, and stops until it is looked at again). Past the limit
of the process the new stream is refused with a 503, rather than the server running
out of threads or open files for everyone.
"""

import threading
from dataclasses import dataclass, field

from django.conf import settings

from tend.live.bus import Entry, new_entry, set_entry


@dataclass(eq=False)
class Slot:
    user_id: int
    session_key: str
    # The stream's wake-up, shared with the bus: being replaced wakes it too.
    entry: Entry = field(default_factory=new_entry)
    replaced: bool = False


class Full(Exception):
    """The process holds as many streams as it may."""


class Streams:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: list[Slot] = []  # oldest first

    def take(self, user_id: int, session_key: str) -> Slot:
        slot = Slot(user_id, session_key)
        with self._lock:
            if len(self._open) >= settings.LIVE_MAX_STREAMS:
                raise Full
            self._open.append(slot)
            replaced = self._oldest_over(
                [s for s in self._open if s.session_key == session_key],
                settings.LIVE_MAX_STREAMS_PER_SESSION,
            )
            replaced |= self._oldest_over(
                [s for s in self._open if s.user_id == user_id and s not in replaced],
                settings.LIVE_MAX_STREAMS_PER_ACCOUNT,
            )
            for old in replaced:
                old.replaced = True
                self._open.remove(old)
        for old in replaced:
            set_entry(old.entry)
        return slot

    @staticmethod
    def _oldest_over(slots: list[Slot], limit: int) -> set[Slot]:
        return set(slots[: max(0, len(slots) - limit)])

    def give_back(self, slot: Slot) -> None:
        with self._lock:
            if slot in self._open:
                self._open.remove(slot)

    def count(self) -> int:
        with self._lock:
            return len(self._open)


streams = Streams()
