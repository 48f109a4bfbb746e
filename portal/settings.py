"""Settings for the portal, read from the environment only.

Development needs no variables at all: SQLite under var/, DEBUG on, mail to the console.
`DEBUG=0` turns on every production protection and requires SECRET_KEY and ALLOWED_HOSTS."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import env, envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Project apps that override templates of Django's own (registration/) come first.
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_tasks",
    "portal.apps.BackgroundTasksConfig",  # django_tasks_db under a translated name
    "core",
    "portal",
    "exhibitions",
    "notices",
    "companies",
    "needs",
    "tours",
    "alerts",
    "matchmaking",
    "conversations",
    "reports",
    "demo",
    "portal.apps.LoginLockoutsConfig",  # django-axes under a translated name
    "import_export",
    "auditlog",
]

MIDDLEWARE = [
    # First: a request id, one JSON log line and the Prometheus figures of every request.
    "core.observe.RequestObservationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Persian digits on Persian pages (core.digits): inside LocaleMiddleware, so the page's
    # language is active, and inside CommonMiddleware, which then sets Content-Length.
    "core.digits.PersianDigitsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.throttle.PostThrottleMiddleware",
    # Records who made each audited change (django-auditlog), on every path through a request.
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content Security Policy, in development too so that tests see what production sees: no
# external assets at all, scripts only from our own static files (no inline <script>),
# inline style attributes allowed (server-drawn SVG charts use them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *envlist("CSP_IMG_SOURCES", [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Public form posts per client address and minute (0 turns the throttle off).
POST_THROTTLE_RATE = envint("POST_THROTTLE_RATE", 30)
POST_THROTTLE_NUM_PROXIES = envint("POST_THROTTLE_NUM_PROXIES", 0)

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The top app's templates come before every app's own, so its admin overrides win.
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notices.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the dev server read while a seed or a test writes; IMMEDIATE makes a
    # writing transaction take the lock at BEGIN, so races fail fast instead of deadlocking.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
# Each app keeps its own catalogue in <app>/locale/ (scripts/messages.py maintains them).
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: the photo rule (portal-wide) reads these.
MAX_UPLOAD_BYTES = envint("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_IMAGE_PIXELS = envint("MAX_IMAGE_PIXELS", 40_000_000)
# Conversations (conversations/): files on messages and a need's documents are kept under
# PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, so no media URL reaches them; only the
# conversations views serve them, after the thread's or the need's permission check.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
CONVERSATION_FILE_MAX_BYTES = envint("CONVERSATION_FILE_MAX_BYTES", 10 * 1024 * 1024)
CONVERSATION_MESSAGES_PER_HOUR = envint("CONVERSATION_MESSAGES_PER_HOUR", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

VIDEO_MEETING_URL_TEMPLATE = env("VIDEO_MEETING_URL_TEMPLATE", "https://meet.jit.si/{room}")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
# The file backend's folder (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "portal@localhost")

# SMS, for readers who chose it (notices.sms): the console backend by default; a provider's
# HTTP API with SMS_BACKEND=notices.sms.HttpSmsBackend, which POSTs {to, from, text} as JSON
# to SMS_API_URL with SMS_API_KEY as a bearer token.
SMS_BACKEND = env("SMS_BACKEND", "notices.sms.ConsoleSmsBackend")
SMS_API_URL = env("SMS_API_URL")
SMS_API_KEY = env("SMS_API_KEY")
SMS_SENDER = env("SMS_SENDER")
SMS_TIMEOUT_SECONDS = envint("SMS_TIMEOUT_SECONDS", 10)

# A shared cache lets several app nodes agree on cached pages and rate limits.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Pages answer uncached while Redis is away (core/cache.py); short timeouts keep
            # a Redis that does not answer from holding requests.
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "portal"),
            "TIMEOUT": 600,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 600}}

# Media on S3-compatible object storage when a bucket is configured, so app nodes keep no
# local state; the local filesystem (MEDIA_ROOT) otherwise.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME") or None
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY") or None
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = envbool("AWS_QUERYSTRING_AUTH", False)
    AWS_S3_FILE_OVERWRITE = False

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "matchmaking:account"
LOGOUT_REDIRECT_URL = "home"
# Brute-force protection for every login form (site and admin): django-axes locks a
# username from one address after LOGIN_FAILURE_LIMIT failures, for LOGIN_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "accounts.auth_backends.LoginAttemptBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Matchmaking: meetings sit on a grid of MEETING_SLOT_MINUTES inside opening hours; an
# unanswered proposal frees its slot after MEETING_PROPOSAL_TTL_HOURS.
MEETING_SLOT_MINUTES = envint("MEETING_SLOT_MINUTES", 30)
MEETING_PROPOSAL_TTL_HOURS = envint("MEETING_PROPOSAL_TTL_HOURS", 48)

# Saved searches (alerts): at most SAVED_SEARCHES_PER_USER per account; the daily digest goes
# out once a day from ALERT_DIGEST_HOUR (Tehran time; cron may run send_alert_digests hourly)
# and lists at most ALERT_DIGEST_NEEDS_PER_SEARCH needs of each search.
SAVED_SEARCHES_PER_USER = envint("SAVED_SEARCHES_PER_USER", 20)
ALERT_DIGEST_HOUR = envint("ALERT_DIGEST_HOUR", 8)
ALERT_DIGEST_NEEDS_PER_SEARCH = envint("ALERT_DIGEST_NEEDS_PER_SEARCH", 20)

# Background tasks (mail after commit, reminders, expiry): django-tasks with its database
# backend; `python manage.py task_worker` runs them. TASKS_IMMEDIATE=1 runs them inline
# (tests, and development without a worker).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if envbool("TASKS_IMMEDIATE", DEBUG)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"

# Audit trail (django-auditlog): who created or changed which record, when, and what
# changed, on every path (admin, site, commands), visible in the admin.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "needs.Need", "exclude_fields": ["search_text", "updated_at"]},
    {"model": "needs.NeedPhoto"},
    {"model": "companies.Company", "exclude_fields": ["search_text", "updated_at"]},
    {"model": "exhibitions.Exhibition"},
    {"model": "exhibitions.Shelf"},
    {"model": "exhibitions.StaffProvince"},
    {"model": "tours.Tour"},
    {"model": "matchmaking.Meeting", "exclude_fields": ["updated_at"]},
    {"model": "matchmaking.ExchangeRate"},
)
# Bulk import/export of needs in the admin: importing needs the add permission,
# exporting the view permission; imports run in one transaction.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# The read-only JSON API under /api/ (Django REST framework). Anonymous callers are
# throttled per address, signed-in ones per user, in the default (shared) cache, so every
# app node counts the same requests. Behind a reverse proxy set API_NUM_PROXIES to the
# number of proxies, so the caller's address is read from X-Forwarded-For.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "core.api.PagePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["core.api.AnonThrottle", "core.api.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", "60/min"),
        "user": env("API_THROTTLE_USER", "240/min"),
    },
    "NUM_PROXIES": envint("API_NUM_PROXIES", 0),
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Domestic-manufacturing exhibitions portal API",
    "DESCRIPTION": "Read-only public data: the needs catalogue, exhibitions and tours.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/docs/: Swagger UI from our own static files (no CDN), the page's script served
    # separately so the Content Security Policy needs no inline script; no online validator.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Every endpoint is public: the schema names no authentication (no "Authorize" button).
    "AUTHENTICATION_WHITELIST": [],
    "ENUM_NAME_OVERRIDES": {
        "NeedStatusEnum": "needs.models.NeedStatus",
        "ExhibitionStatusEnum": "exhibitions.models.Exhibition.Status",
        "TourStatusEnum": "tours.models.Tour.Status",
    },
}

# Logs on stderr: one JSON object per line in production (LOG_FORMAT=json, the default with
# DEBUG off), each with the request id of the request or task it belongs to (core/logs.py);
# plain text with the id in development. portal.requests writes one line per request.
LOG_FORMAT = env("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO" if not DEBUG else "WARNING")},
}

# /metrics answers Prometheus only with `Authorization: Bearer <METRICS_TOKEN>` (portal/metrics.py);
# without a token the endpoint is off (404).
METRICS_TOKEN = env("METRICS_TOKEN", "")
