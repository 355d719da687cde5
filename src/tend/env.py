"""Strict readers for configuration from the environment.

A bad value stops start-up with a message that names the variable, rather
than running with a surprise. Secrets may also come from `NAME_FILE`.
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def text(name: str, default: str = "") -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_path}: {exc}") from exc
    return os.environ.get(name, default)


def flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def integer(name: str, default: int, *, minimum: int = 0, maximum: int = 2**31) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}")
    return value


def choice(name: str, default: str, allowed: set[str]) -> str:
    value = os.environ.get(name) or default
    if value not in allowed:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(allowed)}, not {value!r}")
    return value


def listed(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in text(name, default).split(",") if item.strip()]


def kept_secret(name: str, data_dir: Path, filename: str) -> str:
    """A secret from the environment, else one generated once and kept in the data folder."""
    value = text(name)
    if value:
        return value
    return file_made_once(data_dir / filename, lambda: secrets.token_urlsafe(50))


def file_made_once(path: Path, make: Callable[[], str]) -> str:
    """The content of `path`, writing `make()` there first if it does not exist yet.

    Two processes starting at once (the server and its worker) must agree on one
    value: the new file is written in full under a temporary name, then linked into
    place, which fails for the slower one, who then reads the winner's file.
    """
    if path.exists():
        return path.read_text().strip()
    value = make().strip()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    # Created with 0600 so other local users cannot read it.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        value = path.read_text().strip()
    finally:
        temporary.unlink()
    return value
