from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "tend.notify"
    label = "notify"

    def ready(self) -> None:
        from tend.live import events
        from tend.notify import fanout, kinds

        # Notifications hear of the events they word, in the transaction that records them.
        events.subscribe(fanout.event_recorded, kinds.EVENT_KINDS)
