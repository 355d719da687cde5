"""The compiled catalogues (.mo) gettext reads, built from the committed .po files.

Built by `make install`, at `tend serve`'s start and at the start of a test run, only
for catalogues newer than their .mo; never committed (.gitignore). Compiled with polib
(pure Python), so that serving needs no gettext binaries; `make test` also runs GNU
`msgfmt --check` over every catalogue (tests/core/test_catalogues.py), which is stricter.
"""

from pathlib import Path

from django.conf import settings


def catalogues() -> list[Path]:
    return sorted(
        po for folder in settings.LOCALE_PATHS for po in Path(folder).glob("*/LC_MESSAGES/*.po")
    )


def compile_all() -> list[Path]:
    """Compiles each catalogue whose .mo is missing or older; returns those compiled."""
    made = []
    for po in catalogues():
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        import polib  # here: most starts compile nothing, and need not load it

        # Written aside and renamed: a server reading the old file never sees half of one.
        partial = mo.with_suffix(".mo.partial")
        polib.pofile(str(po)).save_as_mofile(str(partial))
        partial.replace(mo)
        made.append(mo)
    return made
