from pathlib import Path

import polib
import pytest

from tests.i18n import catalogue


@pytest.fixture(scope="session")
def source_catalogue(tmp_path_factory: pytest.TempPathFactory) -> polib.POFile:
    """What makemessages extracts from the current source (made once per run)."""
    return catalogue.extract(tmp_path_factory.mktemp("extract"))


@pytest.fixture(scope="session")
def pseudo_locale_path(
    tmp_path_factory: pytest.TempPathFactory, source_catalogue: polib.POFile
) -> Path:
    return catalogue.pseudo_locale(tmp_path_factory.mktemp("pseudo"), source_catalogue)
