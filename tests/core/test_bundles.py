"""Scripts that always load together, collected as one file (tend.core.bundles)."""

import re
from pathlib import Path

import pytest
from calmjs.parse import es5
from django.contrib.staticfiles import finders

from tend.core import bundles, static
from tests.conftest import Cast, client_for
from tests.core.test_static import assets_of

REPAIR_SCREEN = "tend/js/repair-screen.js"


def test_a_repair_screen_loads_its_four_scripts_as_one_file(cast: Cast) -> None:
    ada = client_for(cast.ada)
    page = ada.get(f"/r/{cast.us.pk}/repairs/{cast.repair.pk}/")
    scripts = assets_of(page.content).urls
    assert [url for url in scripts if "/repair-screen." in url]
    for part in bundles.BUNDLES[REPAIR_SCREEN]:
        stem = Path(part).stem
        assert not [url for url in scripts if f"/{stem}." in url], part


def test_the_bundle_holds_each_part_in_order_each_in_its_own_try() -> None:
    text = bundles.bundled(REPAIR_SCREEN)
    parts = bundles.BUNDLES[REPAIR_SCREEN]
    where = [text.index(Path(str(finders.find(part))).read_text().strip()) for part in parts]
    assert where == sorted(where)
    assert text.count("\ntry {\n") == len(parts)
    es5(text)  # still ES5 throughout, so it is collected with short local names


def _parts(tmp_path: Path, monkeypatch, settings) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    source = tmp_path / "source" / "tend"
    source.mkdir(parents=True)
    (source / "one.js").write_text("window.one = 1;\n")
    (source / "two.js").write_text("window.two = 2;\n")
    settings.STATICFILES_DIRS = [tmp_path / "source"]
    settings.STATICFILES_FINDERS = [
        "django.contrib.staticfiles.finders.FileSystemFinder",
        "tend.core.bundles.BundleFinder",
    ]
    settings.STATIC_ROOT = tmp_path / "collected"
    monkeypatch.setattr(bundles, "BUNDLES", {"tend/both.js": ("tend/one.js", "tend/two.js")})
    return source / "two.js", tmp_path / "collected.bundles" / "tend" / "both.js"


def test_the_bundle_is_written_again_only_when_a_part_changes(
    tmp_path, monkeypatch, settings
) -> None:
    part, bundle = _parts(tmp_path, monkeypatch, settings)
    fingerprint = static._sources_fingerprint()
    written = bundle.stat().st_mtime_ns
    assert "window.two = 2;" in bundle.read_text()

    assert static._sources_fingerprint() == fingerprint  # nothing changed: not rewritten
    assert bundle.stat().st_mtime_ns == written

    part.write_text("window.two = 33;\n")  # a new size: a file's time may not move so soon
    assert static._sources_fingerprint() != fingerprint  # so the files are collected again
    assert "window.two = 33;" in bundle.read_text()


def test_a_bundle_is_collected_minified_hashed_and_compressed(
    tmp_path, monkeypatch, settings
) -> None:
    _parts(tmp_path, monkeypatch, settings)
    assert static.collect()
    collected = {path.name for path in (tmp_path / "collected" / "tend").iterdir()}
    hashed = next(name for name in collected if re.fullmatch(r"both\.[0-9a-f]{12}\.js", name))
    assert {f"{hashed}.gz", f"{hashed}.br"} <= collected
    text = (tmp_path / "collected" / "tend" / hashed).read_text()
    assert "window.one=1" in text and "window.two=2" in text


def test_a_missing_part_is_an_error_not_a_bundle_without_it(
    tmp_path, monkeypatch, settings
) -> None:
    _parts(tmp_path, monkeypatch, settings)
    monkeypatch.setattr(bundles, "BUNDLES", {"tend/both.js": ("tend/one.js", "tend/gone.js")})
    with pytest.raises(FileNotFoundError, match=r"tend/gone\.js"):
        static.collect()
