from django.apps import AppConfig


class CareConfig(AppConfig):
    """Care and safety around the process: quick exit, help lines, plain words, gentle words."""

    name = "tend.care"
    label = "care"

    def ready(self) -> None:
        from tend.care import checks  # noqa: F401  (registers the help-lines check)
        from tend.gardens import panels

        # The relationship's page offers the private safety question.
        panels.add("care/relationship_safety.html", lambda request, membership: {})
