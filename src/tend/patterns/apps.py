from django.apps import AppConfig


class PatternsConfig(AppConfig):
    """Patterns people can see: a relationship's garden of shared charts, and each
    person's own patterns from their private data."""

    name = "tend.patterns"
    label = "patterns"

    def ready(self) -> None:
        from tend.gardens import panels
        from tend.patterns import views

        # The relationship's page links to its garden.
        panels.add(views.PANEL, views.panel)
