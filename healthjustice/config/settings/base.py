"""Settings shared by every environment. Environment variables override; defaults are safe."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from healthjustice.audit.client_address import parse_trusted_proxies

BASE_DIR = Path(__file__).resolve().parents[3]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
SERVICE_NAME = os.environ.get("HJ_SERVICE_NAME", "Health and Justice Service")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "healthjustice.accounts",
    "healthjustice.organisations",
    "healthjustice.people",
    "healthjustice.audit",
    # Above every app in the layers, but listed here so its subject-access section follows the
    # person record's and precedes the pathway apps' (apps are made ready in this order).
    "healthjustice.governance",
    "healthjustice.feedback",
    "healthjustice.journeys",
    "healthjustice.matching",
    "healthjustice.screening",
    "healthjustice.assessments",
    "healthjustice.interventions",
    "healthjustice.mhtr",
    "healthjustice.reconnect",
    "healthjustice.imports",
    "healthjustice.worklist",
    "healthjustice.reporting",
    "healthjustice.equity",
    "healthjustice.pcref",
    "healthjustice.carers",
    "healthjustice.demo",
    "healthjustice.web",
]

MIDDLEWARE = [
    # Outermost, so static files and redirects carry the header too.
    "healthjustice.web.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "healthjustice.accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "healthjustice.web.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "healthjustice.config.urls"
WSGI_APPLICATION = "healthjustice.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "healthjustice" / "web" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "healthjustice.web.jinja.environment"},
    },
    {
        # Only Django's own admin (system administrators' reference data) uses these.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Behind a pooler in transaction mode (PgBouncer's pool_mode = transaction), consecutive
    # transactions may run on different server connections, so a server-side cursor (what
    # QuerySet.iterator() opens) would be lost between fetches.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
        "DATABASE_TRANSACTION_POOLING", False
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with writers from the same process queued on a lock rather
    # than polling for SQLite's (healthjustice/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "healthjustice.core.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL: readers never wait for the one writer, nor the writer for readers.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Write transactions take the write lock when they begin, so a transaction
            # that read first never fails to upgrade its lock half-way through.
            "transaction_mode": "IMMEDIATE",
            # How long a writer waits for the lock before "database is locked". SQLite
            # has one writer at a time; under a burst of requests the queue can be long.
            "timeout": env_int("HJ_SQLITE_BUSY_TIMEOUT_SECONDS", 30),
        }
    )
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
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # NCSC: refuse the current password and guessable words dressed up (`Passw0rd1234`).
    {"NAME": "healthjustice.accounts.password_validation.GuessablePasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 15 minutes of inactivity ends a session; 12 hours ends it whatever happens.
# The session row is written when the session changes, and otherwise at most once every
# HJ_SESSION_REFRESH_SECONDS to push its idle expiry on (SessionLifetimeMiddleware), not on
# every request: a write per page view made every reader queue for SQLite's one write lock.
SESSION_COOKIE_AGE = env_int("HJ_SESSION_IDLE_SECONDS", 15 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("HJ_SESSION_REFRESH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("HJ_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "healthjustice.web.errors.csrf_failure"

# Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges); none: REMOTE_ADDR only.
HJ_TRUSTED_PROXIES = parse_trusted_proxies(os.environ.get("HJ_TRUSTED_PROXIES", ""))

# django-axes: lock a username after repeated failures from any address, and an address after
# repeated failures for any usernames. The address is the one the audit trail records.
AXES_FAILURE_LIMIT = env_int("HJ_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HJ_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "healthjustice.audit.client_address.axes_client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        # The NHS.UK frontend's stylesheet takes the NHS font (Frutiger) from NHS England's CDN.
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The NHS.UK frontend and htmx come from npm at set-up; Django serves them from node_modules.
STATICFILES_DIRS = [
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Access rules
BREAK_GLASS_MINUTES = env_int("HJ_BREAK_GLASS_MINUTES", 60)

# Public feedback: forms one client address may send per window, and the PCREF contact address.
HJ_FEEDBACK_LIMIT = env_int("HJ_FEEDBACK_LIMIT", 5)
HJ_FEEDBACK_WINDOW_MINUTES = env_int("HJ_FEEDBACK_WINDOW_MINUTES", 60)
HJ_PCREF_CONTACT_EMAIL = os.environ.get("HJ_PCREF_CONTACT_EMAIL", "pcref@example.nhs.uk")
# The address the public reach the service on, for printed QR codes (blank: the page's own).
HJ_PUBLIC_BASE_URL = os.environ.get("HJ_PUBLIC_BASE_URL", "")
# Render every table with the design system's macro as well and fail when the kept pieces
# (healthjustice.web.tables) give other HTML: on in the tests, off where speed matters.
HJ_CHECK_KEPT_TABLES = False
# The same for summary lists (healthjustice.web.summary_lists).
HJ_CHECK_KEPT_SUMMARY_LISTS = False

# Worklist: a court hearing this many hours away or less puts an episode at the top.
HJ_WORKLIST_HEARING_HOURS = env_int("HJ_WORKLIST_HEARING_HOURS", 4)

# Carers: the number carers call when no named contact is set, invitation links, attachments.
HJ_SWITCHBOARD = os.environ.get("HJ_SWITCHBOARD", "0300 790 7000")
HJ_CARER_INVITATION_DAYS = env_int("HJ_CARER_INVITATION_DAYS", 7)
HJ_CARER_ATTACHMENT_MAX_BYTES = env_int("HJ_CARER_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
# Custody, court and release lists (docs/imports.md): the largest file taken, and how long rows
# of people never taken on are kept.
HJ_LIST_MAX_BYTES = env_int("HJ_LIST_MAX_BYTES", 10 * 1024 * 1024)
HJ_LIST_RETENTION_DAYS = env_int("HJ_LIST_RETENTION_DAYS", 30)
# Uploaded files (carers' message attachments) go to default storage, kept out of the code tree.
MEDIA_ROOT = os.environ.get("HJ_MEDIA_ROOT", str(BASE_DIR / "media"))

# Audit: the IG pages warn when `manage.py audit_verify` last ran longer ago than this.
HJ_AUDIT_VERIFY_MAX_AGE_DAYS = env_int("HJ_AUDIT_VERIFY_MAX_AGE_DAYS", 7)
# The background worker verifies the audit chain this often (hours; see docs/audit.md).
HJ_AUDIT_VERIFY_INTERVAL_HOURS = env_int("HJ_AUDIT_VERIFY_INTERVAL_HOURS", 24)
# Audit writes spread over this many hash chains so page views do not queue on one row lock.
# SQLite writes one transaction at a time, so one chain there (docs/audit.md).
HJ_AUDIT_CHAINS = env_int(
    "HJ_AUDIT_CHAINS", 8 if DATABASES["default"]["ENGINE"].endswith("postgresql") else 1
)

# Background work (data returns, exports): django-tasks on the database queue, run by
# `manage.py run_worker` beside the web process.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
# Finished data-return files are deleted after this many days (`manage.py purge_exports`).
HJ_EXPORT_RETENTION_DAYS = env_int("HJ_EXPORT_RETENTION_DAYS", 7)
# An export still waiting this long is reported in the page as not picked up by a worker.
HJ_EXPORT_WORKER_WAIT_SECONDS = env_int("HJ_EXPORT_WORKER_WAIT_SECONDS", 60)

# The whole-register duplicate finder (docs/matching.md, "Review queue"): pairs of records at or
# above the review threshold (a match probability) go to the review queue; at or above the
# automatic threshold they are merged without review only when HJ_MATCH_AUTO_MERGE is on (by
# default never: every pair is proposed).
HJ_MATCH_REVIEW_THRESHOLD = float(os.environ.get("HJ_MATCH_REVIEW_THRESHOLD", "0.5"))
HJ_MATCH_AUTO_THRESHOLD = float(os.environ.get("HJ_MATCH_AUTO_THRESHOLD", "0.999"))
HJ_MATCH_AUTO_MERGE = env_bool("HJ_MATCH_AUTO_MERGE", False)

# Race-equity figures (docs/equity-methods.md): counts from 1 to this number less one are not
# shown on pages or in exports that leave the team; and the ethnic category code every other
# group is compared with (A, White British, by default).
HJ_EQUITY_SMALL_NUMBER = env_int("HJ_EQUITY_SMALL_NUMBER", 5)
HJ_EQUITY_REFERENCE_CODE = os.environ.get("HJ_EQUITY_REFERENCE_CODE", "A")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HJ_LOG_LEVEL", "WARNING")},
}
