"""Scripts that always load together, collected as one file.

A repair screen needs four of tend's scripts: its pacers and timers, the key, the key's
panel and the private entries. As one file they are one request instead of four on a
first visit, and Brotli packs them about 1 KB smaller than apart (their words repeat
from one to the next). The sources stay four small files with names that say what they
hold; the bundle is made from them whenever they change, beside STATIC_ROOT, and
`BundleFinder` hands it to collectstatic like any other source file (so it is minified,
hashed, compressed and given its integrity the same way).

Each part runs inside its own `try`: as separate files, a script that failed did not
stop the next one, and in one file it still does not (the error is thrown again
afterwards, so it is still reported).
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage
from django.core.files.storage import FileSystemStorage

BUNDLES: dict[str, tuple[str, ...]] = {
    "tend/js/repair-screen.js": (
        "tend/js/guides.js",
        "tend/js/vault.js",
        "tend/js/vault-panel.js",
        "tend/js/private.js",
    ),
}

_PART = """// {name}
try {{
{source}
}} catch (error) {{ setTimeout(function () {{ throw error; }}); }}
"""


def bundled(name: str) -> str:
    """The bundle's text: each part, in order, in its own try."""
    parts = []
    for part in BUNDLES[name]:
        found = finders.find(part)
        if not isinstance(found, str):
            raise FileNotFoundError(f"{name}: no static file {part}")
        parts.append(_PART.format(name=part, source=Path(found).read_text().strip()))
    return "".join(parts)


class BundleFinder(BaseFinder):
    """The bundles, as collectstatic and the static-files fingerprint find source files."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        root = Path(settings.STATIC_ROOT)
        # Beside STATIC_ROOT, not in it: WhiteNoise serves every file in there.
        self.storage = FileSystemStorage(location=root.with_name(root.name + ".bundles"))

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return []

    def find(self, path: str, find_all: bool = False) -> str | list[str] | None:
        if path not in BUNDLES:
            return [] if find_all else None
        made = self._make(path)
        return [made] if find_all else made

    def list(self, ignore_patterns: list[str] | None) -> Iterator[tuple[str, FileSystemStorage]]:
        for name in BUNDLES:
            self._make(name)
            yield name, self.storage

    def _make(self, name: str) -> str:
        """Writes the bundle only when its text changed, so that its time, which the
        fingerprint reads, changes only with its parts."""
        path = Path(self.storage.path(name))
        text = bundled(name)
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            spare = path.with_name(f".{path.name}.{os.getpid()}")
            spare.write_text(text)
            spare.replace(path)  # whole: another process may be reading it
        return str(path)
