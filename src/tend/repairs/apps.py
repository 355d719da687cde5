from django.apps import AppConfig


class RepairsConfig(AppConfig):
    name = "tend.repairs"
    label = "repairs"

    def ready(self) -> None:
        from tend.live.events import register
        from tend.repairs.machine import EVENT_KINDS

        register(*EVENT_KINDS)
