from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "tend.live"
    label = "live"
