"""Settings for the reintegration project, read from the environment.

Without any environment this is the zero-setup development configuration:
DEBUG on, SQLite in ``var/``, e-mails printed on the console. Production sets
``DEBUG=0`` and must then provide ``SECRET_KEY`` and ``ALLOWED_HOSTS`` (see
``.env.example`` and ``docs/deploy.md``).
"""

import hashlib
import hmac
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from reintegration.env import env_bool, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        env_required("ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "reintegration.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "reintegration.apps.ReintegrationConfig",
    "beneficiaries",
    "projects",
    "distributions",
    "reports",
    "jobs",
    "imports",
]

MIDDLEWARE = [
    # /healthz and /metrics answer first: a load balancer and a scraper ask by address, over HTTP.
    "reintegration.health.OperatorEndpointsMiddleware",
    # A request id, the time by view and one log line per request (reintegration.observability).
    "reintegration.observability.RequestLogMiddleware",
    "reintegration.observability.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "reintegration.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "reintegration.middleware.SecondFactorMiddleware",
    "reintegration.middleware.PrivatePagesMiddleware",
    "reintegration.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out login still goes through everything above.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves its static files itself (runserver and the tests' live server do in development).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "reintegration.urls"
WSGI_APPLICATION = "reintegration.wsgi.application"
ASGI_APPLICATION = "reintegration.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reintegration.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (production, CI); without it, SQLite in var/.
if not env_str("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A PostgreSQL streaming replica, for the dashboards' figures and the exports only
# (reintegration.replica): everything else, and whatever is read inside a write, uses the primary.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"), conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["reintegration.replica.ReplicaRouter"]
# Past this lag (seconds) /healthz calls the replica behind (the dashboards read the primary then).
HEALTH_REPLICA_MAX_LAG = env_int("HEALTH_REPLICA_MAX_LAG", 30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People, login and sessions -------------------------------------------
AUTH_USER_MODEL = "reintegration.User"
AUTHENTICATION_BACKENDS = [
    # django-axes counts failed logins and locks the username + address pair.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins lock a username tried from one address (LOGIN_FAILURE_LIMIT), and an address
# whatever the usernames (LOGIN_FAILURE_LIMIT_PER_ADDRESS: higher, as a centre's computers share
# one address), for LOGIN_COOLOFF_MINUTES; see reintegration.lockout. Behind nginx, the client's
# address is read from X-Forwarded-For, and only when TRUSTED_PROXY_COUNT says how many proxies
# of ours append to it (0: the socket's address, for a server reached directly).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 30)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "reintegration.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "reintegration.lockout.client_ip"
AXES_USERNAME_CALLABLE = "reintegration.lockout.attempted_username"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False  # its log lines would carry usernames and addresses

# A second factor (TOTP codes from an authenticator app, with recovery codes) after the password,
# for the roles below: HQ reads and changes every centre's data, administrators every account.
# Coordinators are not asked (shared centre computers and phones; see reintegration.second_factor).
# On in production; off in development and the demo, whose login page says so.
REQUIRE_SECOND_FACTOR = env_bool("REQUIRE_SECOND_FACTOR", not DEBUG)
SECOND_FACTOR_ROLES = ["officer", "analyst", "admin"]
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Reintegration")
# Each wrong code doubles the wait before the next try (1 s, 2 s, 4 s...; django-otp's default).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# A working day; a shared computer in a centre forgets the session when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# In Redis when REDIS_URL is set (below), so that any application server serves any session.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# --- Cache -------------------------------------------------------------------
# Shared by every process when REDIS_URL is set (production: the CIN lookup budgets and the
# dashboards' figures then hold across gunicorn workers); otherwise each process keeps its own.
# Sessions go there too: no application server keeps anything of its own.
if env_str("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# --- Background jobs ---------------------------------------------------------
# Long work (an event's receipts; later imports and exports) runs as a job, through Django's task
# API (the django-tasks backport). The default keeps its queue in the database: no other service,
# and `make run` starts its worker. A larger installation may queue in Redis instead
# (TASKS_BACKEND=rq: install django-tasks-rq, set REDIS_URL, run its worker; docs/deploy.md).
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]  # django-rq's `rqworker default` runs the jobs
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # RQ stops a job after DEFAULT_TIMEOUT seconds (its own default, 180, is shorter than an import).
    RQ_QUEUES = {"default": {"URL": env_required("REDIS_URL"), "DEFAULT_TIMEOUT": env_int("JOB_TIMEOUT", 3600)}}
elif TASKS_BACKEND == "immediate":  # runs each job inside the request: tests and debugging only
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database, rq or immediate, got {TASKS_BACKEND!r}.")
# A running job whose worker has not reported for this long (seconds) has died: it is marked failed.
JOB_STALE_AFTER = env_int("JOB_STALE_AFTER", 120)
# A worker says it is alive this often (seconds); silent for JOB_WORKER_SILENT_AFTER, /healthz and
# the metrics stop counting it.
JOB_WORKER_BEAT = env_int("JOB_WORKER_BEAT", 15)
JOB_WORKER_SILENT_AFTER = env_int("JOB_WORKER_SILENT_AFTER", 60)
# A job writing inside one long transaction (an import) says how far it is this often (seconds).
JOB_HEARTBEAT = env_int("JOB_HEARTBEAT", 2)
# A finished job's result file (receipts name people) is deleted this many days after (nightly).
JOB_RESULT_DAYS = env_int("JOB_RESULT_DAYS", 7)
# An event with more recorded handovers than this prints its receipts as a job, with progress.
RECEIPTS_INLINE_MAX = env_int("RECEIPTS_INLINE_MAX", 20)

# --- Languages and formats --------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["reintegration.formats"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# --- Static files, uploads --------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Uploaded documents are personal data: they live outside static/, have no
# public URL, and are served only by views that check the user's scope.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "uploads")))
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# Spreadsheets imported (imports/): a file's size and rows at most (50,000 rows of case files is
# about 9 MB as CSV, 4 MB as XLSX).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 30 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Several application servers share one PRIVATE_MEDIA_ROOT (a shared volume), or keep the files in
# S3-compatible object storage (MEDIA_STORAGE=s3, django-storages with boto3; docs/deploy.md).
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    MEDIA_STORAGE_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_required("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX", ""),
            # Private objects, read through the views that check who asks: no public link.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": env_str("S3_SERVER_SIDE_ENCRYPTION", "AES256")},
        },
    }
elif MEDIA_STORAGE == "filesystem":
    MEDIA_STORAGE_BACKEND = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, got {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# --- Forms ------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# A filter's empty choice keeps every row: it reads so, not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@reintegration.invalid")

# --- Security (production) ----------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Addresses carry case ids and search terms: none leaves for another site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No inline script or style anywhere (pages pass data in data-* attributes; styles are classes of
# static/css/app.css); PDFs are rendered on the server and are not pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The browser features no page uses (a photo upload is a file input, which needs no camera access).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging and metrics ---------------------------------------------------------
# Never log personal data: requests are logged by path only (no query string), and no code logs a
# CIN or a name. Every line carries the request id and the user's id (reintegration.observability);
# production writes one JSON object per line (LOG_FORMAT=json), development plain lines. One line
# per request (LOG_REQUESTS, on in production; runserver logs its own in development).
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "reintegration.logs.RequestContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s] %(message)s"},
        "json": {"()": "reintegration.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "reintegration.requests": {"level": "INFO" if env_bool("LOG_REQUESTS", not DEBUG) else "WARNING"},
    },
}
# /metrics (Prometheus): with a token, scrapers send it as "Authorization: Bearer <token>";
# without one, only this host may read it, directly (nginx refuses it). See reintegration.metrics.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# --- The domain -------------------------------------------------------------
# Printed at the top of every receipt.
FOUNDATION_NAME_AR = env_str("FOUNDATION_NAME_AR", "مؤسسة محمد السادس لإعادة إدماج السجناء")
FOUNDATION_NAME_FR = env_str("FOUNDATION_NAME_FR", "Fondation Mohammed VI pour la Réinsertion des Détenus")
# The address the receipts' QR codes point to (the public verification page). Without it,
# the address of the request that printed the receipt is used.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "")
# Processes that render long PDFs (an event's receipts) side by side; 1 renders in the request.
PDF_WORKERS = env_int("PDF_WORKERS", min(4, os.cpu_count() or 1))
# Signs the verification links; changing it would invalidate every printed QR code.
RECEIPT_SIGNING_KEY = env_str("RECEIPT_SIGNING_KEY", "") or SECRET_KEY
# CIN lookups (the registration's duplicate check, searches and exports by CIN): each user may
# look up this many numbers per period (seconds); the same number again in a row is not counted.
# Each lookup is recorded under a keyed hash of the number, never the number (beneficiaries.cin).
CIN_LOOKUP_LIMIT = env_int("CIN_LOOKUP_LIMIT", 60)
CIN_LOOKUP_PERIOD = env_int("CIN_LOOKUP_PERIOD_SECONDS", 60 * 60)
# Keep it stable: the recorded hashes can only be checked against a number with the same key.
CIN_LOOKUP_HASH_KEY = (
    env_str("CIN_LOOKUP_HASH_KEY", "")
    or hmac.new(SECRET_KEY.encode(), b"reintegration.cin-lookup", hashlib.sha256).hexdigest()
)
# Case files closed for longer than this may be anonymised (see anonymise_closed_cases).
RETENTION_YEARS_AFTER_CLOSURE = env_int("RETENTION_YEARS_AFTER_CLOSURE", 10)
# Follow-up visits after a handover, in months.
FOLLOW_UP_MONTHS = [int(m) for m in env_list("FOLLOW_UP_MONTHS", ["3", "6", "12", "24"])]
# An envelope is flagged on HQ's home page past this share consumed.
ENVELOPE_ALERT_THRESHOLD = 90
# Exports and reports "for publication" hide any figure about fewer people than this (and one
# more cell where a total would give it away): a published table must not single anyone out.
PUBLICATION_MIN_CELL = env_int("PUBLICATION_MIN_CELL", 3)
# How long a computed dashboard is kept (seconds; 0 computes every page). A change to case data
# makes the next page compute anew whatever this says (reports.cache).
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 600)
