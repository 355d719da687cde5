"""A bare Django project: the floor tend is measured against (bench/run.py).

The least a Django page with a session needs, on the same uvicorn as `tend serve`:
database sessions (SQLite in BARE_DATA_DIR, or PostgreSQL at DATABASE_URL), CSRF
checks, one table for its action to write, and an event stream that waits on an
asyncio event (woken across processes by PostgreSQL LISTEN/NOTIFY when there is one).
"""

import os
from pathlib import Path

import dj_database_url

DATA_DIR = Path(os.environ.get("BARE_DATA_DIR", "/tmp/bare")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = "bench-only, never deployed"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.sessions", "fired"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "urls"
DATABASES = {
    "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=0)
    if os.environ.get("DATABASE_URL")
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "bare.sqlite3",
        # As tend's: the journal and write lock a site that writes would choose.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}
if os.environ.get("DATABASE_URL"):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": 10}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
KEEPALIVE_SECONDS = int(os.environ.get("BARE_KEEPALIVE_SECONDS", "20"))
LOGGING = {"version": 1, "root": {"level": "WARNING"}}
