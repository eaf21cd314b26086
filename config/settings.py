"""TaskLedger settings, read from the environment (see README, "Configuration")."""
import ipaddress
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_list, env_rate, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TASKLEDGER_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    # The embedded default keeps a generated key under var/ so sessions and tokens
    # survive restarts without anyone having to configure one.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "core",
    # tasks comes before django_q so that its `qcluster` command (which adds the
    # dispatcher tick to django-q2's own) is the one manage.py runs.
    "tasks",
    "django_q",
    "costs",
    "integrations",
    "schedules",
    "budgets",
    "articles",
    "embeddings",
    "demo",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "costs.middleware.RequestLedgerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# --- HTTPS behind a TLS-terminating proxy (docs/operations.md, "HTTPS") ------------------
# One switch for what `manage.py check --deploy` asks of a site served over HTTPS only.
HTTPS = env_bool("TASKLEDGER_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # A load balancer's health checks may speak plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql", "sqlite"))
# Processes other than the web server (qcluster and its workers, commands) keep their
# connection: django-q2 workers run task after task in one thread.
CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 600, minimum=0)
if DATABASE_URL.startswith(("postgres://", "postgresql://")):
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    DATABASES["default"].update(CONN_MAX_AGE=CONN_MAX_AGE, CONN_HEALTH_CHECKS=True)
    if env_bool("DB_POOL", True) and os.environ.get("TASKLEDGER_ASGI") == "1":
        # Under ASGI every request runs in a fresh thread, so CONN_MAX_AGE cannot reuse
        # connections; psycopg's pool can (docs/scale-out.md). Only the web server uses
        # it: django-q2 forks workers, and a pool's open connections would be inherited
        # and shared by several processes (closing a pooled connection only returns it).
        DATABASES["default"]["OPTIONS"] = {
            "pool": {"min_size": 1, "max_size": env_int("DB_POOL_MAX_SIZE", 20, minimum=1)}
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    sqlite_path = (
        dj_database_url.parse(DATABASE_URL)["NAME"]
        if DATABASE_URL
        else str(VAR_DIR / "taskledger.sqlite3")
    )
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE makes every
                # transaction take the write lock up front, so the dispatcher's
                # read-count-then-claim cannot interleave with another process's.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # A file, not :memory:, so that qcluster and daphne processes started by
            # the tests see the same test database.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
            "CONN_MAX_AGE": CONN_MAX_AGE,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: the channel layer and the cache --------------------------------------------
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))

# --- Task framework (names and defaults the embedding clients know: docs/api.md) -------
# Tasks one cluster (one `qcluster`) runs at once: its worker count, unless Q_WORKERS
# says otherwise. N clusters run up to N times as many (docs/tasks.md).
MAX_CONCURRENT_TASKS = env_int("MAX_CONCURRENT_TASKS", 5, minimum=1)
TASK_TIMEOUT = env_int("TASK_TIMEOUT", 300, minimum=1)
RETRY_LIMIT = env_int("RETRY_LIMIT", 3, minimum=0)
RETRY_BASE_DELAY = env_float("RETRY_BASE_DELAY", 2.0, minimum=0.0)
TASK_RETENTION_DAYS = env_int("TASK_RETENTION_DAYS", 30, minimum=1)
# How often the tick runs in each qcluster (cluster heartbeat, crash recovery).
TASK_TICK_SECONDS = env_float("TASK_TICK_SECONDS", 1.0, minimum=0.05)
# A schedule's firing that a tick reaches later than this behind its due time was missed
# (no cluster ran): its catch-up policy decides whether it still runs (docs/schedules.md).
# A schedule's runs outlive their tasks (a run keeps its status and its task's id, which
# the ledger's records carry); at least 30 days, the window of a schedule's recent cost.
SCHEDULE_RUN_RETENTION_DAYS = env_int("SCHEDULE_RUN_RETENTION_DAYS", 90, minimum=30)
SCHEDULE_MISFIRE_GRACE_SECONDS = env_float("SCHEDULE_MISFIRE_GRACE_SECONDS", 60.0, minimum=0.0)
# A running task's worker writes a heartbeat this often; a task whose heartbeat is
# older than TASK_HEARTBEAT_TIMEOUT is taken to have lost its worker.
TASK_HEARTBEAT_SECONDS = env_float("TASK_HEARTBEAT_SECONDS", 2.0, minimum=0.05)
TASK_HEARTBEAT_TIMEOUT = env_float("TASK_HEARTBEAT_TIMEOUT", 15.0, minimum=0.1)
# A cluster whose workers idle while tasks wait in its hand-off queue this long is wedged
# (a dead or frozen process holds a queue lock): it rebuilds its queues and processes.
CLUSTER_WEDGE_SECONDS = env_float("CLUSTER_WEDGE_SECONDS", 5.0, minimum=0.5)
# A task handed to django-q2 and not started this long is handed out again (any cluster
# may take it; its old message, should it arrive, is a no-op).
DISPATCH_STALE_SECONDS = env_float("DISPATCH_STALE_SECONDS", 60.0, minimum=1.0)
# A task handed to the workers and not started this long means a stuck cluster: health
# reports the workers degraded and readiness fails until one starts.
TASK_STALL_SECONDS = env_float("TASK_STALL_SECONDS", 20.0, minimum=1.0)
# Kept progress reports per task are at most one per this many seconds.
TASK_PROGRESS_INTERVAL = env_float("TASK_PROGRESS_INTERVAL", 0.25, minimum=0.0)
# Extra modules that register job kinds (besides the apps' own), imported at start-up.
TASK_JOB_MODULES = env_list("TASK_JOB_MODULES", [])
if TASK_HEARTBEAT_TIMEOUT <= TASK_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "TASK_HEARTBEAT_TIMEOUT must be larger than TASK_HEARTBEAT_SECONDS, got "
        f"{TASK_HEARTBEAT_TIMEOUT} <= {TASK_HEARTBEAT_SECONDS}"
    )

# --- AI providers and uploads (shared by embeddings and articles) ----------------------
# `local` is the offline provider (no key, no network); `openai` talks to OPENAI_BASE_URL
# (OpenAI itself when unset) with OPENAI_API_KEY.
AI_PROVIDER = env_str("AI_PROVIDER", "local").lower()
if AI_PROVIDER not in {"local", "openai"}:
    raise ImproperlyConfigured(f"AI_PROVIDER must be one of local, openai; got {AI_PROVIDER!r}")
OPENAI_API_KEY = env_str("OPENAI_API_KEY", "")
OPENAI_BASE_URL = env_url("OPENAI_BASE_URL", ("http", "https"))
OPENAI_MODEL = env_str("OPENAI_MODEL", "gpt-4o-mini")
OPENAI_EMBEDDING_MODEL = env_str("OPENAI_EMBEDDING_MODEL", "text-embedding-3-small")
OPENAI_TIMEOUT = env_float("OPENAI_TIMEOUT", 60.0, minimum=0.1)
# AI_PROVIDER=openai without OPENAI_API_KEY is refused by a system check (integrations/checks.py).
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 25, minimum=1)
EMBEDDING_BATCH_SIZE = env_int("EMBEDDING_BATCH_SIZE", 50, minimum=1)
CHUNK_SIZE = env_int("CHUNK_SIZE", 1000, minimum=10)
CHUNK_OVERLAP = env_int("CHUNK_OVERLAP", 200, minimum=0)
if CHUNK_OVERLAP >= CHUNK_SIZE:
    raise ImproperlyConfigured(
        f"CHUNK_OVERLAP must be smaller than CHUNK_SIZE, got {CHUNK_OVERLAP} >= {CHUNK_SIZE}")
# Embedding requests a job keeps in flight at once (OpenAI provider; the local one uses one).
EMBEDDING_CONCURRENCY = env_int("EMBEDDING_CONCURRENCY", 4, minimum=1)
# Reading one PDF or DOCX (embeddings/sandbox.py): what it may unpack, and the child
# process it is read in.
MAX_EXTRACTED_MB = env_int("MAX_EXTRACTED_MB", 4 * MAX_UPLOAD_MB, minimum=1)
MAX_COMPRESSION_RATIO = env_float("MAX_COMPRESSION_RATIO", 200.0, minimum=1.0)
MAX_PDF_PAGES = env_int("MAX_PDF_PAGES", 5000, minimum=1)
MAX_PAGE_CHARS = env_int("MAX_PAGE_CHARS", 100_000, minimum=1000)
EXTRACTION_TIMEOUT = env_float("EXTRACTION_TIMEOUT", 120.0, minimum=1.0)
EXTRACTION_MEMORY_MB = env_int("EXTRACTION_MEMORY_MB", 1024, minimum=128)
# JSON bodies (an embedding task's `content`) up to the upload limit, with room for JSON escaping.
DATA_UPLOAD_MAX_MEMORY_SIZE = (2 * MAX_UPLOAD_MB + 1) * 1024 * 1024

Q_CLUSTER = {
    "name": env_str("Q_CLUSTER_NAME", "taskledger"),
    # A cluster runs one task per worker and claims at most one more per worker ahead.
    "workers": env_int("Q_WORKERS", MAX_CONCURRENT_TASKS, minimum=1),
    "recycle": 500,
    # TaskLedger's own table holds results and retries; django-q2's result rows and
    # redelivery are not needed (docs/tasks.md). The hard timeout is set per task.
    "timeout": 86000,
    "retry": 86400,
    "max_attempts": 1,
    "save_limit": 0,
    "ack_failures": True,
    "catch_up": False,
    # A pusher finding no ready task sleeps this long before it looks again (tasks.broker).
    "poll": env_float("Q_POLL", 0.02, minimum=0.005),
    "label": "Django Q (workers)",
    # A worker whose memory grew past this is replaced after its task, as `recycle` does.
    "max_rss": env_int("Q_WORKER_MAX_RSS_MB", 1024, minimum=64) * 1024,
    # The task table is the queue: each cluster's pusher claims from it (tasks.broker).
    "broker_class": "tasks.broker.TaskTableBroker",
}
if env_bool("Q_STOCK_BROKER", False):
    # Benchmarks only: bare django-q2 on its own broker, the baseline tracked tasks are
    # measured against (bench/throughput/driver.py). Tracked tasks do not run on it.
    del Q_CLUSTER["broker_class"]
    Q_CLUSTER.update({"redis": REDIS_URL} if REDIS_URL else {"orm": "default"})

# --- Authentication and API ------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/admin/login/"

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes anonymous requests a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.authentication.TokenAuthentication",
        "core.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON bodies must be objects (or arrays where a view takes a batch): core/parsers.py.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_SCHEMA_CLASS": "core.schema.TaskLedgerAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TaskLedger API",
    "DESCRIPTION": (
        "Tracked background work (tasks with progress, retries, priorities and cancellation) "
        "and the cost ledger of every request and job attempt. Served under both /api/ and "
        "/api/v1/ (the same routes); this schema lists them once, under /api/.\n\n"
        "Errors are JSON (`application/json`) of one shape: `{\"detail\", \"code\"}`, plus "
        "per-field `errors` on a 400 and the budget's figures on a 402 (`budget_exceeded`). "
        "Lists answer `{<items>: [...], \"total\", \"page\", \"page_size\", \"next\", "
        "\"previous\"}` (e.g. `tasks`, `articles`, `requests`, `knowledge_bases`). Creating "
        "answers carry `estimated_cost_usd`; `GET /api/tasks/{task_id}/cost` says whether the "
        "cost is `final` (`?wait=` waits for it), beside the estimate.\n\n"
        "Live progress is not in this schema, which OpenAPI cannot describe: the WebSocket "
        "(`/ws/tasks/`) and the Server-Sent Events stream (`GET /api/tasks/{task_id}/stream`, "
        "`event: task_event` with `id: <seq>`, resumed with `Last-Event-ID`) are described in "
        "[docs/live.md](docs/live.md); `GET /api/tasks/{task_id}/events` reads the same events "
        "as JSON. A Python client generated from this schema is in clients/python/ "
        "(docs/client.md)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["core.schema.exclude_versioned_duplicates"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "core.schema.csv_as_text", "core.schema.blank_is_default",
                             "core.schema.task_links",
                             "core.schema.database_independent"],
    "ENUM_NAME_OVERRIDES": {
        "BatchItemStatusEnum": ["queued", "failed"],
        "TaskStatusEnum": "tasks.models.TaskStatus",
    },
}
# Rate limits (core/throttling.py): failed authentications per client address, as
# DRF's rates ("30/min"). NUM_PROXIES: proxies in front that append to X-Forwarded-For
# (0: the connection's own address is the client's, and the header is ignored).
AUTH_FAILURE_RATE = env_rate("AUTH_FAILURE_RATE", "30/min", may_be_off=False)
# Tasks created (every kind, batch items counted one by one) and files uploaded, per user
# and per entity; "off" turns one off.
TASK_CREATE_RATE_USER = env_rate("TASK_CREATE_RATE_USER", "1000/min")
TASK_CREATE_RATE_ENTITY = env_rate("TASK_CREATE_RATE_ENTITY", "3000/min")
UPLOAD_RATE_USER = env_rate("UPLOAD_RATE_USER", "120/min")
UPLOAD_RATE_ENTITY = env_rate("UPLOAD_RATE_ENTITY", "600/min")
REST_FRAMEWORK["NUM_PROXIES"] = env_int("NUM_PROXIES", 0, minimum=0)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
         "KEY_PREFIX": f"throttle:{Q_CLUSTER['name']}"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
              "LOCATION": "throttle"}
    ),
}
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 100, minimum=1)
# Read-only API requests get an X-Request-ID but are kept in the ledger only when asked.
TRACK_READ_REQUESTS = env_bool("TRACK_READ_REQUESTS", False)
# Seconds a process reuses the price rows it read (a price saved in the admin clears the
# saving process's cache at once; others pick it up within this time).
PRICE_CACHE_SECONDS = env_float("PRICE_CACHE_SECONDS", 30.0, minimum=0.0)
# Budget alerts (docs/budgets.md): each one is POSTed here as JSON when set, retried with
# backoff by a tracked task.
BUDGET_WEBHOOK_URL = env_str("BUDGET_WEBHOOK_URL", "")
BUDGET_WEBHOOK_TIMEOUT = env_float("BUDGET_WEBHOOK_TIMEOUT", 10.0, minimum=0.1)
# The entity paid work is billed to when the caller names none and does not belong to
# exactly one entity; `migrate` creates it.
DEFAULT_ENTITY_ID = env_str("DEFAULT_ENTITY_ID", "default")
if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", DEFAULT_ENTITY_ID):
    raise ImproperlyConfigured(
        f"DEFAULT_ENTITY_ID must be 1-64 letters, digits, '_', '.' or '-', starting with a "
        f"letter or digit; got {DEFAULT_ENTITY_ID!r}")

# --- Operations: /metrics -------------------------------------------------------------
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
try:
    METRICS_ALLOWED_NETWORKS = [
        ipaddress.ip_network(network, strict=False)
        for network in env_list("METRICS_ALLOWED_NETWORKS", ["127.0.0.1/32", "::1/128"])
    ]
except ValueError as exc:
    raise ImproperlyConfigured(
        f"METRICS_ALLOWED_NETWORKS must be comma-separated addresses or CIDR networks: {exc}"
    ) from None
METRICS_LEDGER_CACHE_SECONDS = env_float("METRICS_LEDGER_CACHE_SECONDS", 60.0, minimum=0.0)

# --- Channels ---------------------------------------------------------------------------
# Redis mode: workers push each committed event through channels-redis (tasks/live/push.py).
# The prefix follows Q_CLUSTER_NAME so that concurrent test or bench runs never cross.
# capacity is per daphne process (all its consumers share one Redis list) and overflow is
# dropped silently, so it is generous; clients close any gap from the persisted events.
# Embedded default: the in-memory layer plus a relay reading persisted events (tasks/live/relay.py).
CHANNEL_LAYERS = (
    {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 reads with a 5 s socket timeout by default, which aborts the
            # layer's blocking BZPOPMIN on an idle connection (consumer dies, close 1011).
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                       "capacity": 20000, "prefix": f"asgi:{Q_CLUSTER['name']}:"},
        }
    }
    if REDIS_URL
    else {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer",
                      "CONFIG": {"capacity": 5000}}}
)
LIVE_MAX_SUBSCRIPTIONS = env_int("LIVE_MAX_SUBSCRIPTIONS", 100, minimum=1)
LIVE_MAX_FRAME_BYTES = env_int("LIVE_MAX_FRAME_BYTES", 4096, minimum=256)
# Frames one WebSocket may send (that many at once, refilled at that rate), and how many
# refused frames in a row close it with 4429 (tasks/live/limits.py).
LIVE_FRAME_RATE = env_rate("LIVE_FRAME_RATE", "600/min", may_be_off=False)
LIVE_ABUSE_STRIKES = env_int("LIVE_ABUSE_STRIKES", 100, minimum=1)
LIVE_RELAY_POLL_SECONDS = env_float("LIVE_RELAY_POLL_SECONDS", 0.1, minimum=0.01)
LIVE_KEEPALIVE_SECONDS = env_float("LIVE_KEEPALIVE_SECONDS", 15.0, minimum=0.1)
# Redis mode: a stream quiet this long reads its task's events back from the database, so
# that a lost push (a process killed between its commit and its push) delays, never loses.
LIVE_CATCHUP_SECONDS = env_float("LIVE_CATCHUP_SECONDS", 5.0, minimum=0.05)

# --- Static files, i18n, logging -------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from here once collectstatic ran
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL; got {LOG_LEVEL!r}"
    )
LOG_FORMAT = env_str("LOG_FORMAT", "plain").lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be one of plain, json; got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "core.logcontext.LogContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d "
                            "request=%(request_id)s task=%(task_id)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(request_id)s "
                      "%(task_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django-q": {"level": env_str("Q_LOG_LEVEL", "WARNING").upper()}},
}
