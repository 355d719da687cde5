from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "tend.history"
    label = "history"

    def ready(self) -> None:
        from tend.gardens import panels
        from tend.gardens.events import GardenEvent
        from tend.history import actions, views
        from tend.history import events as history_events  # noqa: F401  (declares its kinds)
        from tend.live import events

        events.subscribe(actions.member_left, [GardenEvent.MEMBER_LEFT])

        # The relationship's page shows the latest past repairs.
        panels.add(views.PANEL, views.panel)
