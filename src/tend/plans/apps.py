from django.apps import AppConfig


class PlansConfig(AppConfig):
    """A relationship's repair plan, made in calm times, that every member agrees to."""

    name = "tend.plans"
    label = "plans"

    def ready(self) -> None:
        from tend.gardens import panels
        from tend.gardens.events import GardenEvent
        from tend.live import events
        from tend.plans import actions, views
        from tend.plans import events as plan_events  # noqa: F401  (declares its kinds)

        # A change waiting for answers needs the members there are now.
        events.subscribe(
            actions.members_changed, [GardenEvent.MEMBER_LEFT, GardenEvent.MEMBER_JOINED]
        )
        panels.add(views.PANEL, views.panel_context)
