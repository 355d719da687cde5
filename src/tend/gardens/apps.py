from django.apps import AppConfig


class GardensConfig(AppConfig):
    name = "tend.gardens"
    label = "gardens"

    def ready(self) -> None:
        # `live` serves the event stream; who may hold one is decided here.
        from tend.gardens import streaming
        from tend.live import access

        access.register(streaming.admit)
