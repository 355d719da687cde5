"""The event kinds the gardens app records (see `tend.live.events`)."""

from tend.live.events import Kind


class GardenEvent(Kind):
    MEMBER_JOINED = "member_joined"
    MEMBER_LEFT = "member_left"
