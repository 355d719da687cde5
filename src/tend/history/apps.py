from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "tend.history"
    label = "history"

    def ready(self) -> None:
        from tend.gardens import panels
        from tend.history import events as history_events  # noqa: F401  (declares its kinds)
        from tend.history import views

        # The relationship's page shows the latest past repairs.
        panels.add(views.PANEL, views.panel)
