"""The event kinds the history app records (see `tend.live.events`)."""

from tend.live.events import Kind


class HistoryEvent(Kind):
    LEARNED_CHANGED = "learned_changed"  # a "what we learned" note added, changed or removed
    THEME_CHANGED = "theme_changed"  # a theme proposed or agreed
    SHARE_CHANGED = "share_changed"  # a consent to share a past repair given or withdrawn
