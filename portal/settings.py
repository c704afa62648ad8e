"""Settings for the portal, read from environment variables (see .env.example)."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from portal.env import env_bool, env_int, env_list, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdefghij"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address used in links sent by email (invites, password resets).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The portal's own apps, one per feature (README: "Where things are"), each depending only on
# those before it.
PORTAL_APPS = ["tenancy", "assessments", "costs", "imports", "invites", "proposals", "deals", "api"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "axes",
    *PORTAL_APPS,
]

MIDDLEWARE = [
    "portal.observability.HealthCheckMiddleware",
    "portal.observability.ClientAddressMiddleware",
    "portal.observability.RequestIdMiddleware",
    "portal.observability.DatabaseUnavailableMiddleware",
    "portal.observability.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.csrf.NullOriginFromSameOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.observability.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tenancy.permissions.OrganisationMiddleware",
    "portal.input_guard.InputGuardMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenancy.context_processors.branding",
            ],
        },
    }
]

DATABASES = {"default": parse_database_url(env_str("DATABASE_URL", "sqlite:///db.sqlite3"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = str(BASE_DIR / DATABASES["default"]["NAME"])
# Re-check a pooled connection before use so the app survives a database restart.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Counts failed logins per username and per address and locks out after too many.
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, reading the member's organisation with the user.
    "tenancy.backends.MemberBackend",
    # Sessions begun before MemberBackend name this one: they stay signed in.
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
# A client that keeps failing for one username is paused; others (a shared office address,
# the same user elsewhere) are not, so nobody can lock a colleague out on purpose.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # a reset link works for two hours
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
# The session lifetime counts from the last activity: SlidingSessionMiddleware renews it.
SESSION_ENGINE = "portal.sessions"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assessments:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Files (logos, issued proposals, draft previews) go to the folder MEDIA_ROOT, or, when
# S3_BUCKET is set, to a bucket on any S3-compatible store, which every web and worker host
# then shares (README: "Scale out"). Either way they are private: the portal streams them
# to users after its own permission checks and never hands out the store's URLs.
S3_BUCKET = env_str("S3_BUCKET")
S3_ADDRESSING_STYLES = ("auto", "path", "virtual")
_s3_settings = {
    name: env_str(f"S3_{name}")
    for name in (
        "ENDPOINT_URL",
        "REGION",
        "ACCESS_KEY_ID",
        "SECRET_ACCESS_KEY",
        "ADDRESSING_STYLE",
        "PREFIX",
    )
}
if S3_BUCKET:
    _addressing = _s3_settings["ADDRESSING_STYLE"] or "auto"
    if _addressing not in S3_ADDRESSING_STYLES:
        raise ImproperlyConfigured(
            f"S3_ADDRESSING_STYLE={_addressing!r} is not one of: {', '.join(S3_ADDRESSING_STYLES)}."
        )
    if bool(_s3_settings["ACCESS_KEY_ID"]) != bool(_s3_settings["SECRET_ACCESS_KEY"]):
        raise ImproperlyConfigured(
            "Set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together, or neither (the host's "
            "own AWS credentials are used then)."
        )
    _s3_options = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": _s3_settings["ENDPOINT_URL"] or None,
        "region_name": _s3_settings["REGION"] or None,
        "addressing_style": None if _addressing == "auto" else _addressing,
        "location": _s3_settings["PREFIX"].strip("/"),
    }
    if _s3_settings["ACCESS_KEY_ID"]:
        # Left out otherwise, so boto3 finds the host's credentials (role, profile, AWS_*).
        _s3_options["access_key"] = _s3_settings["ACCESS_KEY_ID"]
        _s3_options["secret_key"] = _s3_settings["SECRET_ACCESS_KEY"]
    _default_storage = {"BACKEND": "portal.storage.ObjectStorage", "OPTIONS": _s3_options}
elif any(_s3_settings.values()):
    # Half a configuration would silently keep files on this host's disk only.
    _set = ", ".join(f"S3_{name}" for name, value in _s3_settings.items() if value)
    raise ImproperlyConfigured(f"{_set} set without S3_BUCKET: set the bucket too, or unset them.")
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Any request body above this is refused from its Content-Length, before it is read.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_MB", 10, minimum=1) * 1024 * 1024
# Uploads larger than this are refused before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Every PDF render (issued proposal or draft preview) runs in a child process of the worker
# that is killed after this many seconds, and may use this much memory on top of the
# worker's own; a render over either limit fails with a message and the queue moves on.
RENDER_TIMEOUT_SECONDS = env_int("RENDER_TIMEOUT_SECONDS", 120, minimum=5)
RENDER_MEMORY_MB = env_int("RENDER_MEMORY_MB", 1024, minimum=256)
# The host's render processes keep the fonts they decompressed here (a folder of this user's
# alone, made mode 0700), so a freshly started worker does not decompress them again
# (proposals/pdf/fetcher.py); by default portal-render-<uid> in the system's temporary folder.
RENDER_CACHE_DIR = env_str("RENDER_CACHE_DIR", "") or str(
    Path(tempfile.gettempdir()) / f"portal-render-{os.getuid()}"
)

# The "throttle" cache counts bad invite tokens per client. It lives in a database table
# (created by migration 0004 and by the test runner) so every web process and worker
# shares the counts; the default per-process memory cache would let an attacker spread
# guesses over processes.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    },
}

# Email: EMAIL_BACKEND is smtp (production default), console (development default) or file.
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = env_str("EMAIL_BACKEND", "console" if DEBUG else "smtp")
if _email_backend not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={_email_backend!r} is not one of: {', '.join(_EMAIL_BACKENDS)}."
    )
_email_options: dict = {}
if _email_backend == "smtp":
    _email_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587, minimum=1),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": env_int("EMAIL_TIMEOUT", 20, minimum=1),
    }
elif _email_backend == "file":
    _email_options = {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "emails"))}
MAILERS = {"default": {"BACKEND": _EMAIL_BACKENDS[_email_backend], "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Teams Phone Readiness <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: safe by default; local development turns HTTPS-only settings off through DEBUG.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the portal append to X-Forwarded-For (0: use the socket's
# address). Lockouts and rate limits count per client address.
TRUSTED_PROXIES = env_int(
    "TRUSTED_PROXIES", 1 if env_bool("BEHIND_TLS_PROXY", False) else 0, minimum=0
)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
# Cookies only over HTTPS; SECURE_COOKIES=false is for plain-HTTP test servers on loopback.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not one of: plain, json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "portal.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # runserver prints its own access lines; the middleware's line is for production.
        "portal.access": {"level": env_str("ACCESS_LOG_LEVEL", "WARNING" if DEBUG else "INFO")},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
