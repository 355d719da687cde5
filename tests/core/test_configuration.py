"""Configuration from the environment: strict parsing, kept secrets, production checks."""

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tend import env

ROOT = Path(__file__).resolve().parents[2]


def run_tend(args: list[str], tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """Runs `python -m tend.cli ...` with a clean tend environment and its own data folder."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TEND_") and key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment |= {"TEND_DATA_DIR": str(tmp_path / "data"), **variables}
    return subprocess.run(
        [sys.executable, "-m", "tend.cli", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


# The real start-up, in a subprocess.


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = run_tend(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        TEND_ENV="production",
        TEND_SECRET_KEY=secrets.token_urlsafe(64),
        # Production sends real email; without SMTP Django rightly fails the check.
        TEND_SMTP_HOST="smtp.example.test",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_with_debug_on(tmp_path: Path) -> None:
    result = run_tend(
        ["manage", "check"],
        tmp_path,
        TEND_ENV="production",
        TEND_DEBUG="1",
        TEND_SECRET_KEY=secrets.token_urlsafe(64),
    )

    assert result.returncode != 0
    assert "TEND_DEBUG cannot be on when TEND_ENV=production" in result.stderr


def test_a_bad_number_stops_start_up_naming_the_variable(tmp_path: Path) -> None:
    result = run_tend(["manage", "check"], tmp_path, TEND_KEEPALIVE_SECONDS="abc")

    assert result.returncode != 0
    assert "TEND_KEEPALIVE_SECONDS must be a whole number, not 'abc'" in result.stderr


def test_an_unknown_environment_name_stops_start_up(tmp_path: Path) -> None:
    result = run_tend(["manage", "check"], tmp_path, TEND_ENV="staging")

    assert result.returncode != 0
    assert "TEND_ENV must be one of" in result.stderr


def test_a_first_start_makes_a_private_secret_key_and_keeps_it(tmp_path: Path) -> None:
    first = run_tend(["manage", "check"], tmp_path)
    key_file = tmp_path / "data" / "secret_key"
    key = key_file.read_text()
    second = run_tend(["manage", "check"], tmp_path)

    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text() == key
    assert len(key.strip()) >= 50


# The parsers themselves.


def test_integer_reads_a_whole_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEND_TEST_NUMBER", "42")

    assert env.integer("TEND_TEST_NUMBER", 7) == 42


def test_integer_uses_the_default_when_unset_or_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEND_TEST_NUMBER", raising=False)
    assert env.integer("TEND_TEST_NUMBER", 7) == 7
    monkeypatch.setenv("TEND_TEST_NUMBER", "")
    assert env.integer("TEND_TEST_NUMBER", 7) == 7


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "TEND_TEST_NUMBER must be a whole number, not 'abc'"),
        ("1.5", "TEND_TEST_NUMBER must be a whole number"),
        ("0", "TEND_TEST_NUMBER must be between 1 and 300"),
        ("301", "TEND_TEST_NUMBER must be between 1 and 300"),
    ],
)
def test_integer_refuses_bad_values_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, raw: str, message: str
) -> None:
    monkeypatch.setenv("TEND_TEST_NUMBER", raw)

    with pytest.raises(ImproperlyConfigured, match=message):
        env.integer("TEND_TEST_NUMBER", 20, minimum=1, maximum=300)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[("1", True), ("true", True), ("Yes", True), ("on", True)],
        *[("0", False), ("false", False), ("NO", False), ("off", False)],
    ],
)
def test_flag_reads_the_usual_spellings(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv("TEND_TEST_FLAG", raw)

    assert env.flag("TEND_TEST_FLAG", default=not expected) is expected


def test_flag_refuses_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEND_TEST_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="TEND_TEST_FLAG must be true or false"):
        env.flag("TEND_TEST_FLAG")


def test_choice_refuses_an_unknown_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEND_TEST_CHOICE", "staging")

    with pytest.raises(ImproperlyConfigured, match="TEND_TEST_CHOICE must be one of"):
        env.choice("TEND_TEST_CHOICE", "development", {"development", "production"})


def test_listed_splits_and_trims(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEND_TEST_LIST", " a.example , b.example,, ")

    assert env.listed("TEND_TEST_LIST") == ["a.example", "b.example"]


def test_a_secret_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret_file = tmp_path / "password"
    secret_file.write_text("from-a-file\n")
    monkeypatch.setenv("TEND_TEST_SECRET", "from-the-variable")
    monkeypatch.setenv("TEND_TEST_SECRET_FILE", str(secret_file))

    assert env.text("TEND_TEST_SECRET") == "from-a-file"


def test_an_unreadable_secret_file_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TEND_TEST_SECRET_FILE", str(tmp_path / "missing"))

    with pytest.raises(ImproperlyConfigured, match="TEND_TEST_SECRET_FILE: cannot read"):
        env.text("TEND_TEST_SECRET")


def test_kept_secret_is_generated_once_private_and_reused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TEND_TEST_KEY", raising=False)
    monkeypatch.delenv("TEND_TEST_KEY_FILE", raising=False)

    first = env.kept_secret("TEND_TEST_KEY", tmp_path, "secret_key")
    second = env.kept_secret("TEND_TEST_KEY", tmp_path, "secret_key")

    path = tmp_path / "secret_key"
    assert first == second
    assert len(first) >= 50
    assert path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_kept_secret_from_the_environment_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TEND_TEST_KEY", "given-by-the-operator")

    assert env.kept_secret("TEND_TEST_KEY", tmp_path, "secret_key") == "given-by-the-operator"
    assert not (tmp_path / "secret_key").exists()


def documented_production_environment(tmp_path: Path) -> dict[str, str]:
    """The variables docs/operations.md lists for production, files made for the *_FILE ones."""
    import shlex

    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    docs = (ROOT / "docs" / "operations.md").read_text()
    block = docs.split("For\nproduction, at least:\n\n```sh\n", 1)[1].split("```", 1)[0]
    vapid = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    contents = {
        "TEND_SECRET_KEY_FILE": secrets.token_urlsafe(64),
        "TEND_ENCRYPTION_KEYS_FILE": Fernet.generate_key().decode(),
        "TEND_SMTP_PASSWORD_FILE": "a password",
        "TEND_VAPID_PRIVATE_KEY_FILE": vapid.decode(),
    }
    variables = {}
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        name, value = words[0].split("=", 1)
        if name in contents:
            value = str(tmp_path / name.lower())
            Path(value).write_text(contents.pop(name))
        variables[name] = value
    variables["TEND_DATA_DIR"] = str(tmp_path / "data")
    assert not contents, f"the docs no longer list {sorted(contents)}"
    return variables


def test_the_documented_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    variables = documented_production_environment(tmp_path)
    assert variables["TEND_ENV"] == "production"

    result = run_tend(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **variables
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr
