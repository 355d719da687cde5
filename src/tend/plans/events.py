"""The event kinds the plans app records (see `tend.live.events`)."""

from tend.live.events import Kind


class PlanEvent(Kind):
    REPAIR_PLAN_PROPOSED = "repair_plan_proposed"
    REPAIR_PLAN_AGREED = "repair_plan_agreed"  # someone agreed (everyone, perhaps)
    REPAIR_PLAN_DECLINED = "repair_plan_declined"
