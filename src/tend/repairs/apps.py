from django.apps import AppConfig


class RepairsConfig(AppConfig):
    name = "tend.repairs"
    label = "repairs"

    def ready(self) -> None:
        from tend.care import safety
        from tend.gardens import panels
        from tend.live import events
        from tend.notify import reminders as notify_reminders
        from tend.notify.models import Reminder
        from tend.repairs import events as repair_events  # noqa: F401  (declares its kinds)
        from tend.repairs import from_plan, reminders
        from tend.repairs.views import kept, relationship

        # Agreed times and commitments ask notify for their reminders, in each change's
        # transaction; notify asks again when one falls due.
        events.subscribe(reminders.event_recorded, reminders.CHANGES)
        notify_reminders.on_due(Reminder.Kind.RECONVENE, reminders.reconvene_still_wanted)
        notify_reminders.on_due(Reminder.Kind.COMMITMENT_REVIEW, reminders.review_still_wanted)
        # A shared move the safety question interrupted is carried out after "safe".
        safety.after_answer(kept.after_safety_answer)
        # The relationship's page shows the repair call-out and the commitments.
        panels.add(relationship.REPAIR_PANEL, relationship.repair_panel, above=True)
        panels.add(relationship.COMMITMENTS_PANEL, relationship.commitments_panel)
        # A relationship's plan chooses from these needs and ways, after a first repair.
        from_plan.offer_choices()
