from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tend.accounts"
    label = "accounts"

    def ready(self) -> None:
        from tend.accounts import signals  # noqa: F401  (connects the receivers)
