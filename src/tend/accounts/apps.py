from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AccountsConfig(AppConfig):
    name = "tend.accounts"
    label = "accounts"

    def ready(self) -> None:
        from tend.accounts import signals  # noqa: F401  (connects the receivers)

        # Each app's part of the export and of deletion (tend.accounts.contributions),
        # found by name so that accounts imports no app above it.
        autodiscover_modules("account_data")
