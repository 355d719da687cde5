from datetime import date
from typing import Any

from django.core import checks

from tend.care import helplines


@checks.register()
def help_lines_are_whole_and_fresh(**kwargs: Any) -> list[checks.CheckMessage]:
    """A warning at start-up when the help lines are incomplete or out of date.

    A warning, not an error: stale numbers are a reason to verify them, not to take the
    help page (and the whole site) down.
    """
    try:
        found = helplines.problems(helplines.raw(), date.today())
    except (OSError, ValueError) as exc:
        return [checks.Error(f"cannot read {helplines.PATH}: {exc}", id="care.E001")]
    return [
        checks.Warning(f"help lines: {problem}", obj=str(helplines.PATH), id="care.W001")
        for problem in found
    ]
