from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "tend.notify"
    label = "notify"

    def ready(self) -> None:
        from tend.live import events
        from tend.notify import fanout

        # Notifications hear of every event, in the transaction that records it.
        events.subscribe(fanout.event_recorded)
