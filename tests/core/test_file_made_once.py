import stat
from pathlib import Path

from tend import env


def test_the_value_is_the_same_when_made_and_when_read_again(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    made = env.file_made_once(path, lambda: "-----BEGIN-----\nabc\n-----END-----\n")
    assert made == env.file_made_once(path, lambda: "something else")
    assert made == "-----BEGIN-----\nabc\n-----END-----"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["key.pem"]  # no temporary file left
