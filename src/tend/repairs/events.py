"""The event kinds the repairs app records (see `tend.live.events`)."""

from tend.live.events import Kind


class RepairEvent(Kind):
    REPAIR_OPENED = "repair_opened"
    REPAIR_CLOSED = "repair_closed"
    PARTICIPANT_JOINED = "participant_joined"
    PARTICIPANT_NOT_YET = "participant_not_yet"
    MESSAGE_SENT = "message_sent"
    NEED_ASKED = "need_asked"
    NEED_ACKNOWLEDGED = "need_acknowledged"
    PLAN_PROPOSED = "plan_proposed"
    PLAN_AGREED = "plan_agreed"
    READY_CHANGED = "ready_changed"
    PAUSE_CHANGED = "pause_changed"
    # Step 5: one kind for every change of the shared screen; clients re-read it.
    TOGETHER_CHANGED = "together_changed"
    REPAIR_COMPLETED = "repair_completed"
    # Step 5 apart: where the people are said or changed; the speaker's typed words.
    PRESENCE_CHANGED = "presence_changed"
    TURN_SHARED = "turn_shared"
    COMMITMENT_CHANGED = "commitment_changed"
    # Commitments kept together: suggestions to a commitment's maker, and check-ins.
    COMMITMENT_SUGGESTED = "commitment_suggested"
    SUGGESTION_DECLINED = "commitment_suggestion_declined"
    SUGGESTION_WITHDRAWN = "commitment_suggestion_withdrawn"
    COMMITMENT_CHECKED_IN = "commitment_checked_in"
