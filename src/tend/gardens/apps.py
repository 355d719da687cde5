from django.apps import AppConfig


class GardensConfig(AppConfig):
    name = "tend.gardens"
    label = "gardens"

    def ready(self) -> None:
        from tend.gardens import (
            events,  # noqa: F401  (declares its event kinds)
            streaming,
        )
        from tend.live import access

        # `live` serves the event stream; who may hold one is decided here.
        access.register(streaming.admit)
