"""Django settings for tend, read from the environment (see README, "Configuration")."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from tend import env

BASE_DIR = Path(__file__).resolve().parent

TEND_ENV = env.choice("TEND_ENV", "development", {"development", "production"})
PRODUCTION = TEND_ENV == "production"
DEBUG = env.flag("TEND_DEBUG", default=False)

DATA_DIR = Path(env.text("TEND_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.kept_secret("TEND_SECRET_KEY", DATA_DIR, "secret_key")

ALLOWED_HOSTS = env.listed("TEND_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env.listed("TEND_TRUSTED_ORIGINS")
# The address people reach tend at, used in links that leave the site (emails, invitations
# copied from a page use the request's own host instead).
SITE_ORIGIN = env.text("TEND_ORIGIN", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "tend.core",
    "tend.accounts",
    "tend.gardens",
    "tend.live",
    "tend.plans",
    "tend.repairs",
    "tend.history",
    "tend.patterns",
    "tend.care",
    "django_tasks_db",
    "tend.notify",
]

MIDDLEWARE = [
    # First, so that every response has it: static files, redirects, errors.
    "tend.core.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tend.core.static.StaticFilesMiddleware",  # WhiteNoise, without file streams
    # Pages compressed with gzip and random padding against BREACH; never an event
    # stream (docs/operations.md, "Compression").
    "tend.core.compression.PageCompressionMiddleware",
    # After the static files (WhiteNoise answers HEAD for them itself), before the rest, so
    # that every view sees GET and CommonMiddleware sets the GET's Content-Length.
    "tend.core.middleware.HeadMiddleware",
    # Subresource Integrity on every script and stylesheet of a page; after compression
    # in this list, so that it sees the page before it is compressed.
    "tend.core.static.IntegrityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After authentication: a signed-in person's own language, kept on their account,
    # wins over the browser's and the cookie's (the footer's chooser saves it there).
    "tend.accounts.middleware.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: it signs out timed-out sessions with a kind
    # message, and keeps the person's list of their signed-in devices.
    "tend.accounts.middleware.SessionSafetyMiddleware",
    # The page after a sign-in or an unlock takes the private-data key over (its cookie).
    "tend.accounts.key_handover.KeyHandoverMiddleware",
    # Turns a password tried during its account's wait into the 429 "please wait" page.
    "tend.accounts.middleware.PasswordWaitMiddleware",
    # Turns a write that found the database too busy into a 503 that keeps the form.
    "tend.core.busy.BusyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tend.core.middleware.PersonalPagesMiddleware",
    # Last, so that it sees the authenticated user (django-axes' rule).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tend.urls"
ASGI_APPLICATION = "tend.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "tend.care.context_processors.care",
            ],
        },
    },
]


def _database() -> dict:
    url = env.text("DATABASE_URL")
    if not url:
        return {
            # Django's SQLite, with the server's writers waiting in one fair line.
            "ENGINE": "tend.core.sqlite",
            "NAME": DATA_DIR / "tend.sqlite3",
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
                # failing with "database is locked" half-way through a transaction.
                "transaction_mode": "IMMEDIATE",
                # The longest wait for a turn to write; past it the request answers 503
                # (tend.core.busy) and nothing is saved.
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": str(DATA_DIR / "test-tend.sqlite3")},
        }
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL")
    # Pooled connections: an open event stream borrows one only while it reads.
    config.setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env.integer("TEND_DB_POOL_SIZE", 10, minimum=2, maximum=500),
        "timeout": 10,
    }
    return config


DATABASES = {"default": _database()}
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# OWASP ASVS 5.0 §6.2: at least 8 characters, at least 64 allowed, no composition
# rules, and common or breached passwords refused.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "tend.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Session timeouts, OWASP ASVS 5.0 §7.3 (enforced in tend.accounts.middleware). tend holds
# what people write while hurt, and the likeliest misuser picks up their phone: after 30
# minutes without a tap the session ends (long enough to read, to do a practice, or to
# talk aloud in step 5), and after 12 hours it ends whatever happens (a day's use; a lost
# or shared device does not stay signed in for good).
SESSION_IDLE_TIMEOUT = timedelta(
    minutes=env.integer("TEND_SESSION_IDLE_MINUTES", 30, minimum=1, maximum=24 * 60)
)
SESSION_ABSOLUTE_TIMEOUT = timedelta(
    hours=env.integer("TEND_SESSION_MAX_HOURS", 12, minimum=1, maximum=30 * 24)
)
# "This is my own phone" (opt-in, per session): signed in this many days, while private
# pages still lock after the idle timeout above (tend.accounts.sessions).
OWN_PHONE_LIFETIME = timedelta(days=env.integer("TEND_OWN_PHONE_DAYS", 30, minimum=1, maximum=365))
# The cookie lives no longer than the session may.
# Database sessions that also close a session's open event streams when it ends.
SESSION_ENGINE = "tend.accounts.session_store"
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-axes: five wrong passwords for one account from one address lock that pair
# out for fifteen minutes.
AXES_FAILURE_LIMIT = env.integer("TEND_LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=1000)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# Failed attempts are still counted for the lockout, but no log of every login with its
# full address and browser is kept: tend stores networks only in coarse form.
AXES_DISABLE_ACCESS_LOG = True

# tend.accounts.throttle: wrong passwords for one account counted over every address.
# After this many, each further attempt waits 1 second, doubling with each failure, up
# to the cap (15 minutes): a delay an attacker cannot turn into a lock-out.
PASSWORD_SLOWDOWN_AFTER = env.integer("TEND_PASSWORD_SLOWDOWN_AFTER", 10, minimum=1, maximum=1000)
PASSWORD_SLOWDOWN_MAX_SECONDS = env.integer(
    "TEND_PASSWORD_SLOWDOWN_MAX_SECONDS", 900, minimum=1, maximum=24 * 60 * 60
)

INVITATION_MAX_AGE = timedelta(days=7)

LANGUAGE_CODE = "en"
# Each language by its own name: the footer's chooser shows them so, to people who may
# not read the page's current language. Adding one: README, "Adding a language".
LANGUAGES = [("en", "English"), ("es", "Español"), ("de", "Deutsch")]
# The catalogues (.po) are kept here; their compiled .mo files are built by `make install`
# (tend compilemessages), never committed.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Also scripts that always load together, as one file (tend.core.bundles).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "tend.core.bundles.BundleFinder",
]
# Collected by `tend serve` at start (tend.core.static.collect, only when the sources
# changed): content-hashed names, served with a year's immutable caching, each with a
# gzip and a Brotli copy that WhiteNoise picks by the browser's Accept-Encoding.
STATIC_ROOT = Path(env.text("TEND_STATIC_ROOT") or DATA_DIR / "static").resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "tend.core.static.MinifiedStorage"},
}

if env.text("TEND_SMTP_HOST"):
    _smtp_port = env.integer("TEND_SMTP_PORT", 587, minimum=1, maximum=65535)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env.text("TEND_SMTP_HOST"),
                "port": _smtp_port,
                "username": env.text("TEND_SMTP_USER"),
                "password": env.text("TEND_SMTP_PASSWORD"),
                "use_tls": env.flag("TEND_SMTP_STARTTLS", default=_smtp_port == 587),
                "use_ssl": env.flag("TEND_SMTP_SSL", default=_smtp_port == 465),
                "timeout": 20,
            },
        }
    }
else:
    # Development: emails (password resets) are printed where `make serve` runs.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env.text("TEND_FROM_EMAIL", "tend <tend@localhost>")

# Live event streams.
LIVE_KEEPALIVE_SECONDS = env.integer("TEND_KEEPALIVE_SECONDS", 20, minimum=1, maximum=300)
# Open event streams: past a session's or an account's limit the oldest closes; past
# the process's, new ones get a 503. Each holds an open connection (a file): keep the
# process's limit well under its open-file limit (`ulimit -n`).
LIVE_MAX_STREAMS_PER_SESSION = env.integer("TEND_STREAMS_PER_SESSION", 8, minimum=1, maximum=1000)
LIVE_MAX_STREAMS_PER_ACCOUNT = env.integer("TEND_STREAMS_PER_ACCOUNT", 20, minimum=1, maximum=1000)
LIVE_MAX_STREAMS = env.integer("TEND_MAX_STREAMS", 5000, minimum=1, maximum=1_000_000)
# `tend serve`: how long a request's headers may take to arrive, and how long a
# kept-alive connection may sit idle between requests, before it is closed.
SERVER_HEADER_TIMEOUT_SECONDS = env.integer(
    "TEND_HEADER_TIMEOUT_SECONDS", 10, minimum=1, maximum=300
)
SERVER_IDLE_TIMEOUT_SECONDS = env.integer("TEND_IDLE_CONNECTION_SECONDS", 5, minimum=1, maximum=300)
# `tend serve`: how many requests (pages, not event streams) are worked on at once; more
# wait their turn. Threads are made as needed and kept; each opens a database
# connection for a request and closes it after (on PostgreSQL, borrowed from the pool).
# On SQLite a page never waits for a database server: its threads only take turns at
# Python's one interpreter lock, and past a few they cost more than they give (the
# bench's page mix: 4 threads answer ~15 % more than 16, with a lower p99). On
# PostgreSQL a thread waits for each query's answer, and more threads keep the CPU busy.
SERVER_THREADS = env.integer(
    "TEND_SERVER_THREADS", 16 if DATABASE_IS_POSTGRES else 4, minimum=1, maximum=1000
)

# Background work (tend.notify): Django's tasks API on a database-backed queue, run by
# `tend worker` (and by a thread beside `tend serve` on the embedded default).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# How often an idle worker looks for due reminders and queued tasks.
NOTIFY_WORKER_INTERVAL = env.integer("TEND_WORKER_INTERVAL", 5, minimum=1, maximum=3600)
# Web Push: the VAPID key pair is made on first run and kept in the data folder, unless
# given here (the private key as PEM, e.g. TEND_VAPID_PRIVATE_KEY_FILE=/run/secrets/vapid).
NOTIFY_VAPID_PRIVATE_KEY = env.text("TEND_VAPID_PRIVATE_KEY")
# Who push services may contact about this server (a mailto: or https: address).
NOTIFY_VAPID_CONTACT = env.text("TEND_VAPID_CONTACT", "mailto:tend@localhost")

# /.well-known/security.txt (RFC 9116): where to report a security problem. By default
# the address push services are given, since both reach whoever runs this server.
SECURITY_CONTACT = env.text("TEND_SECURITY_CONTACT", NOTIFY_VAPID_CONTACT)
if not SECURITY_CONTACT.startswith(("mailto:", "https://", "tel:")) or " " in SECURITY_CONTACT:
    raise ImproperlyConfigured(
        f"TEND_SECURITY_CONTACT must be a mailto:, https: or tel: address, not {SECURITY_CONTACT!r}"
    )

# Quick exit: the neutral site the "Quick exit" button and Esc-three-times go to. The
# browser leaves for it with location.replace, so Back does not return to tend.
QUICK_EXIT_URL = env.text("TEND_QUICK_EXIT_URL", "https://www.bbc.com/weather")
if not QUICK_EXIT_URL.startswith(("https://", "http://")) or " " in QUICK_EXIT_URL:
    raise ImproperlyConfigured(
        f"TEND_QUICK_EXIT_URL must be a full http(s) address, not {QUICK_EXIT_URL!r}"
    )

# Security headers. Every page is same-origin only: no inline script or style, no CDN.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Powerful browser features tend does not use are refused to every page (and to anything
# that might ever be injected into one). Kept: copying an invitation link
# (clipboard-write), and passkeys (publickey-credentials-*) for later. Notifications
# and push are not governed by this header. Only names Chromium knows: an unknown one
# is a console error on every page.
PERMISSIONS_POLICY = {
    "accelerometer": "()",
    "autoplay": "()",
    "bluetooth": "()",
    "camera": "()",
    "clipboard-read": "()",
    "clipboard-write": "(self)",
    "display-capture": "()",
    "encrypted-media": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "hid": "()",
    "idle-detection": "()",
    "magnetometer": "()",
    "microphone": "()",
    "midi": "()",
    "payment": "()",
    "picture-in-picture": "()",
    "publickey-credentials-create": "(self)",
    "publickey-credentials-get": "(self)",
    "screen-wake-lock": "()",
    "serial": "()",
    "usb": "()",
    "xr-spatial-tracking": "()",
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("TEND_DEBUG cannot be on when TEND_ENV=production")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env.flag("TEND_SSL_REDIRECT", default=True)
    # Health checks from a load balancer often speak plain HTTP on the inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.integer("TEND_HSTS_SECONDS", 31536000, maximum=63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.flag("TEND_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.flag("TEND_HSTS_PRELOAD", default=True)
    if env.flag("TEND_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.text("TEND_LOG_LEVEL", "INFO")},
    # django.tasks logs every task it runs; tend.notify logs what matters, without text.
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
