from django.apps import AppConfig


class GardensConfig(AppConfig):
    name = "tend.gardens"
    label = "gardens"
