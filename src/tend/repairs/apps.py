from django.apps import AppConfig


class RepairsConfig(AppConfig):
    name = "tend.repairs"
    label = "repairs"

    def ready(self) -> None:
        from tend.care import safety
        from tend.gardens import panels
        from tend.live.events import register
        from tend.repairs.machine import EVENT_KINDS
        from tend.repairs.views import kept, relationship

        register(*EVENT_KINDS)
        # A shared move the safety question interrupted is carried out after "safe".
        safety.after_answer(kept.after_safety_answer)
        # The relationship's page shows the repair call-out and the commitments.
        panels.add(relationship.REPAIR_PANEL, relationship.repair_panel, above=True)
        panels.add(relationship.COMMITMENTS_PANEL, relationship.commitments_panel)
