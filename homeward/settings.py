"""Homeward settings: one file, everything from the environment, SQLite by default.

HOMEWARD_ENV=production switches on the production posture (DEBUG off, secure cookies,
HSTS, SECRET_KEY and ALLOWED_HOSTS required from the environment).
"""

import math
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


# Every environment value is read through one of these helpers. A value that does not parse
# stops the service at start-up with the variable's name, never a silent default. An empty
# value counts as unset.
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _raw(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def env_str(name: str, default: str) -> str:
    """Text from the environment (surrounding spaces removed), or ``default``."""
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    """1/true/yes/on or 0/false/no/off (any case); anything else stops the service."""
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1, true, yes, on, 0, false, no, off: {value!r}"
    )


def env_int(name: str, default: int, minimum: int = 1) -> int:
    """A whole number from the environment: digits only, at least ``minimum``."""
    value = _raw(name)
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or int(value) < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number, at least {minimum}: {value!r}")
    return int(value)


def env_float(name: str, default: float, minimum: float = 0.0) -> float:
    """A number of seconds or minutes, fractions allowed, at least ``minimum``."""
    value = _raw(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < minimum:
        raise ImproperlyConfigured(f"{name} must be a number, at least {minimum:g}: {value!r}")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    """Comma-separated items, spaces around each removed, empty items dropped."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """NAME, or the contents of the file named by NAME_FILE (stripped), for mounted secrets.
    Both set, or a NAME_FILE that cannot be read, stops the service."""
    value = _raw(name)
    path = _raw(f"{name}_FILE")
    if path is None:
        return default if value is None else value
    if value is not None:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both")
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(
            f"{name}_FILE names a file that cannot be read ({type(error).__name__}): {path!r}"
        ) from error


HOMEWARD_ENV = env_str("HOMEWARD_ENV", "development")
if HOMEWARD_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"HOMEWARD_ENV must be development or production: {HOMEWARD_ENV!r}")
PRODUCTION = HOMEWARD_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env_secret("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not SECRET_KEY or not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "HOMEWARD_ENV=production needs SECRET_KEY (or SECRET_KEY_FILE) and ALLOWED_HOSTS "
            "in the environment"
        )
    DEBUG = False
else:
    SECRET_KEY = env_secret("SECRET_KEY", "homeward-development-only-not-secret")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    DEBUG = env_bool("DEBUG", False)

DATA_DIR = Path(env_str("HOMEWARD_DATA_DIR", str(PROJECT_DIR / "var")))

DATABASES = {
    "default": dj_database_url.parse(
        env_secret("DATABASE_URL", f"sqlite:///{DATA_DIR / 'homeward.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
# The password may be kept out of DATABASE_URL (DATABASE_PASSWORD or DATABASE_PASSWORD_FILE).
if DATABASE_PASSWORD := env_secret("DATABASE_PASSWORD"):
    DATABASES["default"]["PASSWORD"] = DATABASE_PASSWORD
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server and the worker read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file, not memory, so a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {
        "NAME": env_str("SQLITE_TEST_NAME", str(DATA_DIR / f"test-homeward-{os.getpid()}.sqlite3"))
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # Homeward's apps, in the order of their layers: each imports only those before it.
    "homeward.core",
    "homeward.audit",
    "homeward.events",
    "homeward.organisations",
    "homeward.children",
    "homeward.linkage",
    "homeward.episodes",
    "homeward.aftercare",
    "homeward.notifications",
    "homeward.safeguarding",
    "homeward.themes",
    "homeward.insights",
    "homeward.case_audits",
    "homeward.interchange",
    "homeward.seed",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "homeward.core.middleware.SessionLifetimeMiddleware",
    "homeward.organisations.mfa.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "homeward.core.middleware.NoStoreMiddleware",
    "homeward.core.middleware.RequestSizeMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The lockout check runs before the password is even looked at; then Django's own backend.
AUTHENTICATION_BACKENDS = [
    "homeward.organisations.lockout.LockoutBackend",
    "homeward.organisations.backends.MembershipBackend",  # Django's, with the membership
]

# Two-factor sign-in (TOTP). Required of everyone in production; elsewhere optional, so a
# local demo works with a password alone, but a user who has set it up is always asked.
HOMEWARD_MFA_REQUIRED = env_bool("HOMEWARD_MFA_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = "Homeward"
OTP_TOTP_THROTTLE_FACTOR = 1

# Limits on guessing (homeward.organisations.lockout says how they work together). Failed
# sign-ins (wrong passwords and wrong codes) are counted by django-axes in the database,
# which every web node shares: a username at one address, one address, and a username from
# everywhere (except the addresses its owner signs in from). Wrong API tokens are counted
# per address. All over the same period.
AXES_FAILURE_LIMIT = env_int("HOMEWARD_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HOMEWARD_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
HOMEWARD_LOCKOUT_ADDRESS_FAILURES = env_int("HOMEWARD_LOCKOUT_ADDRESS_FAILURES", 30)
HOMEWARD_LOCKOUT_ACCOUNT_FAILURES = env_int("HOMEWARD_LOCKOUT_ACCOUNT_FAILURES", 20)
HOMEWARD_API_TOKEN_FAILURES = env_int("HOMEWARD_API_TOKEN_FAILURES", 20)
# Proxies (load balancers) in front of the service that append to X-Forwarded-For: the
# client's address is the one the nearest of them saw. 0: REMOTE_ADDR is the client.
HOMEWARD_TRUSTED_PROXIES = env_int("HOMEWARD_TRUSTED_PROXIES", 0, minimum=0)
AXES_HANDLER = "homeward.organisations.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "homeward.organisations.lockout.client_address"
AXES_USERNAME_CALLABLE = "homeward.organisations.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "homeward.organisations.lockout.lockout_response"
# Trying again while locked does not restart the clock: the page's "15 minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False  # reset only once the whole sign-in (with the code) succeeds
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

ROOT_URLCONF = "homeward.urls"
WSGI_APPLICATION = "homeward.wsgi.application"

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
                "homeward.core.context_processors.service",
                "homeward.core.context_processors.may",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

LOGIN_URL = "organisations:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "organisations:sign-in"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic's target in production; in development whitenoise serves from the finders.
STATIC_ROOT = (
    Path(static_root)
    if (static_root := env_str("STATIC_ROOT", ""))
    else (DATA_DIR / "static" if PRODUCTION else None)
)
STATICFILES_DIRS = [BASE_DIR / "static" / "dist"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

HOMEWARD_TASKS_BACKEND = env_str("HOMEWARD_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {
    "default": {
        "BACKEND": HOMEWARD_TASKS_BACKEND,
        # An outbox row is written naming its delivery task's id (homeward.events.task_ids).
        "OPTIONS": (
            {"id_function": "homeward.events.task_ids.task_id"}
            if HOMEWARD_TASKS_BACKEND == "django_tasks_db.DatabaseBackend"
            else {}
        ),
    }
}

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True  # inactivity expiry: the clock restarts on each request
# ...written only when it changed or its clock last restarted over a minute ago.
SESSION_ENGINE = "homeward.core.sessions"
HOMEWARD_SESSION_RENEW_SECONDS = env_int("HOMEWARD_SESSION_RENEW_SECONDS", 60, minimum=0)
# However active, a session ends this many seconds after its sign-in (core.middleware).
HOMEWARD_SESSION_MAX_AGE = env_int("HOMEWARD_SESSION_MAX_AGE", 12 * 60 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "homeward.core.views.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Strict Content Security Policy: no inline script or style anywhere, nothing third-party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "homeward@localhost")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Seconds before an SMTP conversation is given up (and retried later), so a stuck mail
# server cannot hold the worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# Logs carry references and ids only, never a child's personal data.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL: {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# `homeward serve` (what `make run` runs) sets this to the address it serves unless it is
# set already.
HOMEWARD_BASE_URL = env_str("HOMEWARD_BASE_URL", "http://127.0.0.1:8000")

# The worker beats every HEARTBEAT seconds; one unseen for STALE seconds counts as dead
# (/healthz says so, and other workers take over its unfinished deliveries). Every
# RECOVER seconds each worker re-queues deliveries whose task was lost.
HOMEWARD_WORKER_HEARTBEAT_SECONDS = env_float("HOMEWARD_WORKER_HEARTBEAT_SECONDS", 5.0)
HOMEWARD_WORKER_STALE_SECONDS = env_float("HOMEWARD_WORKER_STALE_SECONDS", 30.0)
HOMEWARD_WORKER_RECOVER_SECONDS = env_float("HOMEWARD_WORKER_RECOVER_SECONDS", 60.0)

HOMEWARD_DEMO_PASSWORD = env_secret("HOMEWARD_DEMO_PASSWORD", "homeward-demo-2026")

# The audit log's chain is keyed (HMAC-SHA256) with a key kept outside the database, and
# its head is checkpointed, signed with the same key, to an append-only file outside it.
HOMEWARD_AUDIT_KEY = env_secret("HOMEWARD_AUDIT_KEY")
if PRODUCTION and len(HOMEWARD_AUDIT_KEY) < 32:
    raise ImproperlyConfigured(
        "HOMEWARD_ENV=production needs HOMEWARD_AUDIT_KEY (or HOMEWARD_AUDIT_KEY_FILE): "
        "a random secret of at least 32 characters, kept outside the database"
    )
HOMEWARD_AUDIT_KEY = HOMEWARD_AUDIT_KEY or "homeward-development-only-audit-key"
HOMEWARD_AUDIT_CHECKPOINTS = Path(
    env_str("HOMEWARD_AUDIT_CHECKPOINTS", str(DATA_DIR / "audit-checkpoints.jsonl"))
)
HOMEWARD_AUDIT_CHECKPOINT_MINUTES = env_int("HOMEWARD_AUDIT_CHECKPOINT_MINUTES", 60)

# Record linkage (homeward/linkage/runs.py): pairs scored at or above AUTO are linked as one
# child; from REVIEW up to AUTO they go to the review queue. The worker runs the linkage
# every EVERY_HOURS hours (0: never; `homeward link` runs it by hand).
HOMEWARD_LINK_AUTO = env_float("HOMEWARD_LINK_AUTO", 0.99)
HOMEWARD_LINK_REVIEW = env_float("HOMEWARD_LINK_REVIEW", 0.80)
HOMEWARD_LINK_EVERY_HOURS = env_int("HOMEWARD_LINK_EVERY_HOURS", 24, minimum=0)
if not 0 < HOMEWARD_LINK_REVIEW <= HOMEWARD_LINK_AUTO <= 1:
    raise ImproperlyConfigured(
        "HOMEWARD_LINK_REVIEW and HOMEWARD_LINK_AUTO must be probabilities, REVIEW <= AUTO"
    )

# Photographs of children (missing profiles): kept here, outside the web root, under random
# names; served only through an access check. HOMEWARD_PHOTO_MAX_BYTES caps an upload.
HOMEWARD_FILES_DIR = Path(env_str("HOMEWARD_FILES_DIR", str(DATA_DIR / "files")))
HOMEWARD_PHOTO_MAX_BYTES = env_int("HOMEWARD_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
# A manager signs off each time a home's protocol was followed within this many hours,
# unless the home's protocol sets its own.
HOMEWARD_PROTOCOL_SIGN_OFF_HOURS = env_int("HOMEWARD_PROTOCOL_SIGN_OFF_HOURS", 24)

# The child's own account (docs/own-account.md): the private link's rate limits, counted
# by django-ratelimit in a cache that every web node shares (a table in the database;
# why, and what it does not promise: docs/decisions/0011-own-account-links.md). The
# default cache stays per process: nothing else counts in it.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "homeward_rate_limits",
    },
}
RATELIMIT_USE_CACHE = "ratelimit"
# Links that do not open (wrong, expired, used, revoked), per client address; and answers
# sent, per link and per address. django-ratelimit's rates: "count/period" (s, m, h, d).
HOMEWARD_OWN_ACCOUNT_BAD_LINK_RATE = env_str("HOMEWARD_OWN_ACCOUNT_BAD_LINK_RATE", "10/h")
HOMEWARD_OWN_ACCOUNT_POST_RATE = env_str("HOMEWARD_OWN_ACCOUNT_POST_RATE", "10/h")
HOMEWARD_OWN_ACCOUNT_ADDRESS_RATE = env_str("HOMEWARD_OWN_ACCOUNT_ADDRESS_RATE", "60/h")
# How long the cookie a child's link is swapped for lasts, in seconds.
HOMEWARD_OWN_ACCOUNT_COOKIE_SECONDS = env_int("HOMEWARD_OWN_ACCOUNT_COOKIE_SECONDS", 2 * 60 * 60)
