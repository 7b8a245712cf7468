"""Settings for phoihop, driven by the environment.

SQLite in ``var/`` by default (WAL, IMMEDIATE transactions, busy timeout);
``DATABASE_URL=postgres://...`` switches to PostgreSQL.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp import constants as csp_constants
from django.utils.translation import gettext_lazy as _

# pyHanko imports DSA support that cryptography deprecates: no document is signed with DSA here,
# and the warning would be printed by every management command.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\.")

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PHOIHOP_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)

# What a read of a scoped model that skipped restrict() does (phoihop/core/gate.py): "raise"
# (development and tests) or "log" (production: an error in the log, and the read goes on).
PHOIHOP_GATE = os.environ.get("PHOIHOP_GATE", "raise" if DEBUG else "log")
if PHOIHOP_GATE not in {"raise", "log"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"PHOIHOP_GATE must be 'raise' or 'log', not {PHOIHOP_GATE!r}.")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A production process must be given its key; development gets a fixed one.
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "phoihop-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens: expiring, hashed at rest (phoihop/accounts/tokens.py)
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "treebeard",
    "simple_history",
    "huey.contrib.djhuey",
    "phoihop.core",
    "phoihop.accounts",
    "phoihop.orgunits",
    "phoihop.programmes",
    "phoihop.activities",
    "phoihop.entry",
    "phoihop.records",
    "phoihop.figures",
    "phoihop.reporting",
    "phoihop.documents",
    "phoihop.conferences",
    "phoihop.commendations",
    "phoihop.api",
    "phoihop.audit",
    "phoihop.notices",
    "phoihop.home",
    "phoihop.inbox",
    "phoihop.jobs",
    "phoihop.esign",
    "phoihop.imports",
    "phoihop.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "phoihop.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "phoihop.core.middleware.ReadYourWritesMiddleware",
    "phoihop.core.middleware.PrivateAnswersMiddleware",
    "phoihop.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "phoihop.core.middleware.FriendlyNotFoundMiddleware",
]

ROOT_URLCONF = "phoihop.urls"
WSGI_APPLICATION = "phoihop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "phoihop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "phoihop.core.context_processors.phoihop",
                "phoihop.inbox.context_processors.inbox",
            ],
        },
    },
]

SQLITE_PATH = VAR_DIR / "phoihop.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "") or f"sqlite:///{SQLITE_PATH}"
# IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy timeout instead of
# failing with "database is locked" mid-transaction; WAL lets readers go on while one writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
    ),
}


def database_from_url(url: str) -> dict[str, Any]:
    """The connection settings of ``url``; SQLite gets the options above whatever its path."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # A connection kept across requests gains nothing on a file; each thread opens its own.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {**SQLITE_OPTIONS, **(config.get("OPTIONS") or {})}
    return config


DATABASES = {"default": database_from_url(DATABASE_URL)}

# Read replicas (issue 17; docs/deploy.md): none by default. With ``DATABASE_REPLICA_URLS`` (a
# comma-separated list), reads of safe requests go to a replica that holds the user's own writes
# (phoihop/core/replicas.py), everything else to the primary; a user's write pins their reads to
# the primary until a replica has replayed it, for at most REPLICA_PIN_SECONDS.
REPLICA_URLS = [u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()]
REPLICA_ALIASES = tuple(f"replica_{n}" for n in range(1, len(REPLICA_URLS) + 1))
for _alias, _url in zip(REPLICA_ALIASES, REPLICA_URLS, strict=True):
    DATABASES[_alias] = {**database_from_url(_url), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["phoihop.core.replicas.PrimaryReplicaRouter"] if REPLICA_ALIASES else []
REPLICA_PIN_SECONDS = int(os.environ.get("PHOIHOP_REPLICA_PIN_SECONDS", "60"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# --- Sign-in: passwords, lockout, two-factor login (ADR 0012) ---------------------------------
# Django's password rules with Vietnamese messages (phoihop/accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "phoihop.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "phoihop.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "phoihop.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "phoihop.accounts.passwords.NumericPasswordValidator"},
]
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# OTPMiddleware says whether the session gave its second factor; TwoFactorMiddleware then asks
# for one before anything else (before a password change, too); AxesMiddleware, last, answers a
# locked-out sign-in with phoihop.accounts.lockout.lockout_response.
_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE[_auth + 1 : _auth + 1] = [
    "django_otp.middleware.OTPMiddleware",
    "phoihop.accounts.middleware.TwoFactorMiddleware",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# AxesStandaloneBackend refuses a locked-out account before ModelBackend checks the password.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Lockout (django-axes; phoihop/accounts/lockout.py): after PHOIHOP_LOCKOUT_FAILURES wrong
# passwords for one account from one address, that pair is refused for PHOIHOP_LOCKOUT_MINUTES
# after the last failure, on the sign-in page, the admin and POST /api/v1/auth/token/.
AXES_ENABLED = env_bool("PHOIHOP_LOCKOUT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("PHOIHOP_LOCKOUT_FAILURES", "5"))
PHOIHOP_LOCKOUT_MINUTES = int(os.environ.get("PHOIHOP_LOCKOUT_MINUTES", "15"))
AXES_COOLOFF_TIME = "phoihop.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time we state stays true
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "phoihop.accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "phoihop.accounts.lockout.client_username"
AXES_CLIENT_IP_CALLABLE = "phoihop.accounts.lockout.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password", "otp"]
# The client's address is REMOTE_ADDR, unless a reverse proxy that always sets it names the
# header here (the META name: HTTP_X_FORWARDED_FOR or HTTP_X_REAL_IP; its last address counts).
PHOIHOP_CLIENT_IP_HEADER = os.environ.get("PHOIHOP_CLIENT_IP_HEADER", "")
# Two-factor login (django-otp; phoihop/accounts/twofactor.py): who must give a code, as rules
# "system_admin", "<role>", "<role>@<level code>" (that level or above) or "all".
PHOIHOP_2FA_REQUIRED = [
    r.strip()
    for r in os.environ.get("PHOIHOP_2FA_REQUIRED", "system_admin,unit_admin@province,approver@province").split(",")
    if r.strip()
]
# `make demo` turns this on: the demo users sign in with their password alone (the sign-in page
# says so). Never in production.
PHOIHOP_2FA_DEMO_EXEMPT = env_bool("PHOIHOP_2FA_DEMO_EXEMPT", False)
OTP_TOTP_ISSUER = "phoihop"
# --- end of sign-in ----------------------------------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "phoihop" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "phoihop" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files are private: no MEDIA_URL is served; attachments go out only through
# scoped views (ARCHITECTURE.md rule 2).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


def s3_storage(environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The stored files on S3 or an S3-compatible store (MinIO, Ceph) when ``PHOIHOP_S3_BUCKET``
    names a bucket, else None (the files stay in MEDIA_ROOT). ADR 0026, docs/deploy.md.

    The bucket stays private: files still go out only through the scoped views, which read them
    from the bucket (no public or pre-signed address is ever handed out). The keys come from the
    standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or the machine's role,
    read by boto3 itself, never from these settings."""
    bucket = environ.get("PHOIHOP_S3_BUCKET", "").strip()
    if not bucket:
        return None
    from botocore.config import Config

    endpoint = environ.get("PHOIHOP_S3_ENDPOINT_URL", "").strip() or None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": environ.get("PHOIHOP_S3_PREFIX", "").strip().strip("/"),
            "endpoint_url": endpoint,
            "region_name": environ.get("PHOIHOP_S3_REGION", "").strip() or None,
            "client_config": Config(
                # An in-house store answers at one address, not at <bucket>.<host>.
                s3={"addressing_style": "path" if endpoint else "auto"},
                signature_version="s3v4",
                # A store out of reach fails the request within seconds (a 503), not minutes.
                connect_timeout=5,
                read_timeout=15,
                retries={"max_attempts": 2, "mode": "standard"},
            ),
            "default_acl": None,
            # No address of a file is ever handed out; were one made, it would be unsigned, so
            # useless on a private bucket (never a bearer link).
            "querystring_auth": False,
            # Two uploads with the same name never overwrite each other (Django's own renaming).
            "file_overwrite": False,
            # A file read from the bucket spills to disk above 2 MB instead of filling memory.
            "max_memory_size": 2 * 1024 * 1024,
            # An in-house store's certificate signed by the body's own authority: its CA file.
            "verify": environ.get("PHOIHOP_S3_CA_BUNDLE", "").strip() or None,
        },
    }


_s3 = s3_storage(os.environ)
if _s3 is not None:
    STORAGES["default"] = _s3
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_MB", "10")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# --- Uploaded Word/Excel files are zips: limits read from the zip's directory before anything is
# unpacked (issue 12; phoihop/core/files.py). Beyond them the file is refused as a zip bomb.
UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("UPLOAD_ZIP_MAX_UNCOMPRESSED_MB", "100")) * 1024 * 1024
UPLOAD_ZIP_MAX_RATIO = 100  # uncompressed : compressed, for members above UPLOAD_ZIP_RATIO_MIN_BYTES
UPLOAD_ZIP_RATIO_MIN_BYTES = 1024 * 1024
UPLOAD_ZIP_MAX_MEMBERS = 2000

# Django's database sessions, the read made cheaper (phoihop/core/sessions.py: one plain statement).
SESSION_ENGINE = "phoihop.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# --- Security headers (issue 12; docs/deploy.md "HTTPS và tiêu đề bảo mật", docs/security.md) --
# HTTPS, HSTS and the proxy header come from the environment; the defaults suit development
# (plain HTTP on localhost). `manage.py check --deploy` is clean with the production
# environment documented in docs/deploy.md (tests/test_deploy_settings.py runs it).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind a reverse proxy that terminates TLS, the proxy says which scheme the browser used.
# Only set it when the proxy overwrites X-Forwarded-Proto on every request.
PHOIHOP_BEHIND_PROXY = env_bool("PHOIHOP_BEHIND_PROXY", False)
if PHOIHOP_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4): no inline script and no eval anywhere; a page that
# must run a third-party inline script marks it with the request's nonce (none does today).
# Style attributes stay allowed (style-src-attr): progress bars, the province map and
# ECharts' tooltips size and colour elements from data; <style> blocks and style sheets come
# only from our own static files. Attribute styles run no script and load nothing outside
# img-src/font-src.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# --- end of security headers ---------------------------------------------------------------

# --- E-mail: a password reset is told to the account's owner; notices (docs/adr/0013-notices.md) ---
# SMTP when EMAIL_HOST is set; without it (the demo, development) each message is written as an
# .eml file under <var dir>/mail/. EMAIL_BACKEND names another backend explicitly.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "phoihop.notices.mail.EmlFileBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "phoihop <phoihop@localhost>")
NOTICES_MAIL_DIR = VAR_DIR / "mail"
# Links in mail are absolute: the address users reach the site at.
PHOIHOP_BASE_URL = os.environ.get("PHOIHOP_BASE_URL", "http://127.0.0.1:8000")
NOTICES_MAIL_MAX_ATTEMPTS = int(os.environ.get("NOTICES_MAIL_MAX_ATTEMPTS", "8"))
NOTICES_DIGEST_HOUR = int(os.environ.get("NOTICES_DIGEST_HOUR", "7"))
NOTICES_DUE_SOON_DAYS = 3
NOTICES_LATE_REMIND_DAYS = 30
# --- end of e-mail -----------------------------------------------------------------------------

# History rows name the action and keep the reason given, however long (phoihop/audit/).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "phoihop.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "phoihop.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "phoihop.api.base.exception_handler",
}
# --- API tokens (django-rest-knox; the rules live in phoihop/accounts/tokens.py) ---
# Stored as a SHA-512 digest, never in clear; sent as "Authorization: Token <token>"; they expire
# after PHOIHOP_TOKEN_TTL_DAYS days (not renewed by use) and die with a password change or reset
# and with the account's deactivation.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=int(os.environ.get("PHOIHOP_TOKEN_TTL_DAYS", "30"))),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "phoihop API",
    "DESCRIPTION": (
        "API của phoihop: đơn vị, người, chương trình phối hợp, giai đoạn; hoạt động phối hợp và số liệu, "
        "số liệu nhập theo kỳ, khóa số liệu, mô hình, trao đổi thông tin, bài học kinh nghiệm, đề xuất; "
        "số liệu tổng hợp theo cây đơn vị (/api/v1/figures/)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served from the sidecar package's static files: no CDN on closed networks.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # API errors (400/401/403/404/409/412/422/428/429/503) and the Idempotency-Key header,
    # declared on every operation where they occur (phoihop/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "phoihop.api.schema.declare_errors",
    ],
}

# Jobs: immediate (inline) unless a Redis URL is given and HUEY_IMMEDIATE is off.
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY = {
    "name": "phoihop",
    "immediate": env_bool("HUEY_IMMEDIATE", not REDIS_URL),
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": str(VAR_DIR / "huey.sqlite3")},
}

# Cache (the menu's inbox badge, per user): Redis when REDIS_URL is set, shared by every process,
# so the badge is exact everywhere; else each process's own memory (another worker's badge may be
# up to INBOX_BADGE_TTL seconds old). docs/deploy.md.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "phoihop"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "phoihop"}
    )
}
INBOX_BADGE_TTL = int(os.environ.get("PHOIHOP_INBOX_BADGE_TTL", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Electronic signatures (issue 14; docs/adr/0017-electronic-signatures.md) ---------------
# PHOIHOP_CERT_KEY: the secret the stored certificates (PKCS#12 and passphrase) are encrypted
# under (HKDF-SHA256 -> Fernet); empty: derived from SECRET_KEY, so set it in production to
# keep the certificates readable when SECRET_KEY is rotated. PHOIHOP_TSA_URL: an RFC 3161
# timestamp authority (PAdES B-T); empty (default): B-B, signing needs no network.
# PHOIHOP_SIGNATURE_FONT: a TrueType font for the visible signature's text (default: Times New
# Roman where installed, else Liberation Serif).
PHOIHOP_CERT_KEY = os.environ.get("PHOIHOP_CERT_KEY", "")
PHOIHOP_TSA_URL = os.environ.get("PHOIHOP_TSA_URL", "")
PHOIHOP_SIGNATURE_FONT = os.environ.get("PHOIHOP_SIGNATURE_FONT", "")
