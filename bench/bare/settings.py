"""A bare Django project: the floor tend is measured against (bench/run.py).

The least a Django page with a session needs, on the same uvicorn as `tend serve`:
database sessions (SQLite in BARE_DATA_DIR, or PostgreSQL at DATABASE_URL), and an
event stream that waits on an asyncio event (woken across processes by PostgreSQL
LISTEN/NOTIFY when there is one).
"""

import os
from pathlib import Path

import dj_database_url

DATA_DIR = Path(os.environ.get("BARE_DATA_DIR", "/tmp/bare")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = "bench-only, never deployed"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
]
ROOT_URLCONF = "urls"
DATABASES = {
    "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=0)
    if os.environ.get("DATABASE_URL")
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "bare.sqlite3"}
}
if os.environ.get("DATABASE_URL"):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": 10}
USE_TZ = True
KEEPALIVE_SECONDS = int(os.environ.get("BARE_KEEPALIVE_SECONDS", "20"))
LOGGING = {"version": 1, "root": {"level": "WARNING"}}
