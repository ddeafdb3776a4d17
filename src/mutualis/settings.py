"""Settings, read from the environment (12-factor), in one module.

MUTUALIS_ENV selects a profile: "development" (default, for `make run`), "test" or "production".
The production profile refuses to start without a secret key and allowed hosts, and passes
`mutualis check --deploy` without warnings.
"""

from pathlib import Path

import environ

PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()
PROFILE = env.str("MUTUALIS_ENV", default="development")
if PROFILE not in {"development", "test", "production"}:
    raise ValueError(f"MUTUALIS_ENV={PROFILE!r}: expected development, test or production")
PRODUCTION = PROFILE == "production"

# Where the SQLite file and uploaded files live when nothing else is said.
DATA_DIR = Path(env.str("MUTUALIS_DATA_DIR", default=str(Path.cwd() / "var")))

DEBUG = env.bool("MUTUALIS_DEBUG", default=PROFILE == "development")
if PRODUCTION:
    SECRET_KEY = env.str("MUTUALIS_SECRET_KEY")
    ALLOWED_HOSTS = env.list("MUTUALIS_ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str(
        "MUTUALIS_SECRET_KEY", default="dev-only-key-not-for-production-use-0123456789abcdef"
    )
    ALLOWED_HOSTS = env.list("MUTUALIS_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("MUTUALIS_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_bootstrap5",
    "django_filters",
    "django_tables2",
    "simple_history",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Domain apps: models, QuerySets (reads) and services (writes).
    "mutualis.core",
    "mutualis.legal",
    "mutualis.geo",
    "mutualis.organisations",
    "mutualis.tokens",
    "mutualis.catalogue",
    "mutualis.suppliers",
    "mutualis.contracts",
    "mutualis.needs",
    "mutualis.procurements",
    "mutualis.gains",
    "mutualis.spend",
    "mutualis.steering",
    "mutualis.evaluations",
    "mutualis.clients",
    "mutualis.events",
    "mutualis.library",
    "mutualis.notifications",
    "mutualis.opendata",
    "mutualis.portal",
    "mutualis.demo",
    # Web layer: views, forms, tables and templates; REST API.
    "mutualis.www",
    "mutualis.api",
    "django.forms",  # last: www/templates overrides a widget template (the blank choice's label)
]

MIDDLEWARE = [
    "mutualis.core.logs.RequestIdMiddleware",  # first: every later log line carries the request's id
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "mutualis.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "mutualis.core.replica.ReplicaReadsMiddleware",  # portal and indicator reads; no-op without replica
]

# Every profile sends the same headers, so the browser tests run with them on. No inline script anywhere;
# inline styles stay allowed for the computed positions of the timeline bars and the API docs' page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), fullscreen=(self)"
SECURE_REFERRER_POLICY = "same-origin"

ROOT_URLCONF = "mutualis.urls"
WSGI_APPLICATION = "mutualis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mutualis.www.context_processors.mutualis",
                "mutualis.www.context_processors.words",
            ],
            # Tests fail loudly on a missing variable instead of rendering an empty string.
            "string_if_invalid": "!!MISSING %s!!" if PROFILE == "test" else "",
        },
    }
]

DATABASE_URL = env.str("DATABASE_URL", default="")  # empty means the embedded SQLite file
if not DATABASE_URL:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'mutualis.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a command writes; the timeout avoids "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("MUTUALIS_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# An optional PostgreSQL read replica (streaming replication) for the indicators and the portal
# (core/replica.py): only their marked reads go there; unset, everything reads the one database.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"].update(
        ATOMIC_REQUESTS=False,
        CONN_MAX_AGE=DATABASES["default"].get("CONN_MAX_AGE", 0),
        CONN_HEALTH_CHECKS=True,
        TEST={"MIRROR": "default"},  # tests read the replica's alias from the test database itself
    )
    DATABASE_ROUTERS = ["mutualis.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisations.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "www:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if PROFILE == "test":
    # Hashing dominates test time otherwise; never used outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("MUTUALIS_STATIC_ROOT", default=str(DATA_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MUTUALIS_MEDIA_ROOT", default=str(DATA_DIR / "media")))
if not PRODUCTION:
    # whitenoise serves from the apps' folders (finders); an empty root keeps it from warning.
    WHITENOISE_USE_FINDERS = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files are private (no URL; served by views that check rights), except MEDIA_ROOT/public.
STORAGES = {
    "default": {"BACKEND": "mutualis.core.storage.PrivateStorage"},
    "public": {"BACKEND": "mutualis.core.storage.PublicStorage"},
    # The manifest storage needs collectstatic: only in production (see STACK.md, test trap).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Behind nginx, e.g. "/fichiers-prives/": the checked views answer with X-Accel-Redirect to this internal
# location (aliasing MEDIA_ROOT) instead of streaming the file; empty, Django streams it.
MUTUALIS_PRIVATE_FILES_ACCEL = env.str("MUTUALIS_PRIVATE_FILES_ACCEL", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # form fields only; uploaded files stream to disk
MUTUALIS_IMPORT_MAX_BYTES = env.int("MUTUALIS_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# Spreadsheet bombs (core/import_files.py): an xlsx whose members would inflate beyond this size, or one
# member beyond this compression ratio, is refused before it is read. Row caps are per import, on the
# resources (`import_max_rows`); this one applies to a resource that declares none.
MUTUALIS_IMPORT_MAX_UNCOMPRESSED_BYTES = env.int(
    "MUTUALIS_IMPORT_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024
)
MUTUALIS_IMPORT_MAX_COMPRESSION_RATIO = env.int("MUTUALIS_IMPORT_MAX_COMPRESSION_RATIO", default=100)
MUTUALIS_IMPORT_DEFAULT_MAX_ROWS = env.int("MUTUALIS_IMPORT_DEFAULT_MAX_ROWS", default=5_000)
# A file with more rows than this is imported by the background worker (core/import_runs.py).
MUTUALIS_IMPORT_BACKGROUND_ROWS = env.int("MUTUALIS_IMPORT_BACKGROUND_ROWS", default=2_000)
# A list export of more rows is written by the background worker (core/export_jobs.py); its file is kept
# this many days.
MUTUALIS_EXPORT_INLINE_MAX_ROWS = env.int("MUTUALIS_EXPORT_INLINE_MAX_ROWS", default=50_000)
MUTUALIS_EXPORT_KEEP_DAYS = env.int("MUTUALIS_EXPORT_KEEP_DAYS", default=2)
MUTUALIS_DECP_UPLOAD_MAX_BYTES = env.int("MUTUALIS_DECP_UPLOAD_MAX_BYTES", default=500 * 1024 * 1024)
MUTUALIS_DOCUMENT_MAX_BYTES = env.int("MUTUALIS_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
# A SIRENE stock file is gigabytes; it is streamed to disk and read row by row.
MUTUALIS_SIRENE_UPLOAD_MAX_BYTES = env.int("MUTUALIS_SIRENE_UPLOAD_MAX_BYTES", default=4 * 1024 * 1024 * 1024)

EMAIL_CONFIG = env.email("MUTUALIS_EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("MUTUALIS_FROM_EMAIL", default="Mutualis <ne-pas-repondre@mutualis.localhost>")

# Absolute address of the site, for links in e-mails sent by scheduled jobs (no request to read it from).
MUTUALIS_BASE_URL = env.str("MUTUALIS_BASE_URL", default="http://127.0.0.1:8000")

# The cache carries the progress of background imports, the login guard's counters and the portal's data
# version: every process must see the same one (check mutualis.W001). A file cache is shared by the
# processes and containers of one host (the compose data volume); on several hosts, set
# MUTUALIS_CACHE_URL=dbcache://mutualis_cache (table made by `mutualis createcachetable`).
CACHES = {
    "default": env.cache_url(
        "MUTUALIS_CACHE_URL",
        default="locmemcache://" if PROFILE == "test" else f"filecache://{DATA_DIR / 'cache'}",
    )
}

# Background jobs (DECP imports) in the database: `mutualis db_worker` runs them (make run starts one).
# Tests run them at once, in the request.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if PROFILE == "test"
        else "django_tasks_db.DatabaseBackend"
    }
}

# Health page (/sante/, core/health.py): `mutualis worker` records a heartbeat every MUTUALIS_WORKER_HEARTBEAT
# seconds; the worker counts as stopped when the last one is older than MUTUALIS_HEALTH_WORKER_STALE seconds,
# and as stuck when a task has waited in the queue longer than MUTUALIS_HEALTH_QUEUE_MAX_WAIT seconds.
MUTUALIS_WORKER_HEARTBEAT = env.int("MUTUALIS_WORKER_HEARTBEAT", default=10)
MUTUALIS_HEALTH_WORKER_STALE = env.int("MUTUALIS_HEALTH_WORKER_STALE", default=60)
MUTUALIS_HEALTH_QUEUE_MAX_WAIT = env.int("MUTUALIS_HEALTH_QUEUE_MAX_WAIT", default=15 * 60)

# OCDS identifier prefix, registered by the publisher with the OCDS Helpdesk. Unset, the export uses the
# placeholder "ocds-xxxxxx" outside production and refuses in production.
MUTUALIS_OCDS_PREFIX = env.str("MUTUALIS_OCDS_PREFIX", default="")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_AGE = 8 * 3600

BOOTSTRAP5 = {
    # Served locally by whitenoise: no CDN (privacy, offline networks of hospitals).
    "css_url": {"url": "/static/vendor/bootstrap/css/bootstrap.min.css"},
    "javascript_url": {"url": "/static/vendor/bootstrap/js/bootstrap.bundle.min.js"},
    "set_placeholder": False,
    "required_css_class": "required",
}
DJANGO_TABLES2_TEMPLATE = "www/includes/table.html"
# Selects never show Django's "---------": forms render through the project's templates, where
# www/templates/django/forms/widgets/select_option.html names the blank choice; filters say « Tous ».
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
FILTERS_EMPTY_CHOICE_LABEL = "Tous"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
IMPORT_EXPORT_SKIP_ADMIN_LOG = True

# How many reverse proxies stand in front of the application (0: the connection's address is the client's).
MUTUALIS_TRUSTED_PROXIES = env.int("MUTUALIS_TRUSTED_PROXIES", default=0)
# Login brute force (organisations/login_guard.py): failures per account and per address in the window.
MUTUALIS_LOGIN_ACCOUNT_FAILURES = env.int("MUTUALIS_LOGIN_ACCOUNT_FAILURES", default=5)
MUTUALIS_LOGIN_ADDRESS_FAILURES = env.int("MUTUALIS_LOGIN_ADDRESS_FAILURES", default=50)
MUTUALIS_LOGIN_LOCK_MINUTES = env.int("MUTUALIS_LOGIN_LOCK_MINUTES", default=15)
# Interest shown on the public portal (portal/interests.py): submissions per address in the window.
MUTUALIS_PORTAL_INTEREST_PER_ADDRESS = env.int("MUTUALIS_PORTAL_INTEREST_PER_ADDRESS", default=10)
MUTUALIS_PORTAL_INTEREST_WINDOW_MINUTES = env.int("MUTUALIS_PORTAL_INTEREST_WINDOW_MINUTES", default=60)
# The portal's pages: how long browsers and proxies may keep them without asking (portal/cache.py).
MUTUALIS_PORTAL_MAX_AGE = env.int("MUTUALIS_PORTAL_MAX_AGE", default=60)

# Single sign-on by OpenID Connect (organisations/oidc.py, www/accounts/oidc.py): ProConnect or the body's own
# provider. Unset issuer: no sign-on button. The provider's endpoints come from its discovery document,
# read on first use and cached. MUTUALIS_PASSWORD_LOGIN=off leaves the sign-on button only.
MUTUALIS_OIDC_ISSUER = env.str("MUTUALIS_OIDC_ISSUER", default="").rstrip("/")
# "ProConnect" shows ProConnect's own button; any other name « Se connecter avec <name> ».
MUTUALIS_OIDC_PROVIDER_NAME = env.str(
    "MUTUALIS_OIDC_PROVIDER_NAME",
    default="ProConnect" if "proconnect" in MUTUALIS_OIDC_ISSUER.lower() else "le compte de votre organisme",
)
MUTUALIS_OIDC_CLIENT_ID = env.str("MUTUALIS_OIDC_CLIENT_ID", default="")
MUTUALIS_OIDC_CLIENT_SECRET = env.str("MUTUALIS_OIDC_CLIENT_SECRET", default="")
MUTUALIS_OIDC_SCOPES = env.str(
    "MUTUALIS_OIDC_SCOPES",
    default="openid email given_name usual_name siret"
    if MUTUALIS_OIDC_PROVIDER_NAME.lower() == "proconnect"
    else "openid email profile",
)
MUTUALIS_OIDC_SIGN_ALGO = env.str("MUTUALIS_OIDC_SIGN_ALGO", default="RS256")
MUTUALIS_OIDC_TIMEOUT = env.int("MUTUALIS_OIDC_TIMEOUT", default=10)
MUTUALIS_PASSWORD_LOGIN = env.bool("MUTUALIS_PASSWORD_LOGIN", default=True)
if (MUTUALIS_OIDC_ISSUER and not (MUTUALIS_OIDC_CLIENT_ID and MUTUALIS_OIDC_CLIENT_SECRET)) or not (
    MUTUALIS_PASSWORD_LOGIN or MUTUALIS_OIDC_ISSUER
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Identification unique : MUTUALIS_OIDC_ISSUER demande MUTUALIS_OIDC_CLIENT_ID et "
        "MUTUALIS_OIDC_CLIENT_SECRET ; MUTUALIS_PASSWORD_LOGIN=off demande MUTUALIS_OIDC_ISSUER "
        "(sans quoi personne ne pourrait se connecter)."
    )
# The password backend refuses every password while password login is off; sessions read either way.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend"
    if MUTUALIS_PASSWORD_LOGIN
    else "mutualis.organisations.oidc.PasswordLoginOffBackend",
    "mutualis.organisations.oidc.OidcBackend",
]
# mozilla-django-oidc's own settings, from those above (the endpoints: OidcBackend reads the discovery).
OIDC_RP_CLIENT_ID = MUTUALIS_OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = MUTUALIS_OIDC_CLIENT_SECRET
OIDC_RP_SIGN_ALGO = MUTUALIS_OIDC_SIGN_ALGO
OIDC_RP_SCOPES = MUTUALIS_OIDC_SCOPES
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the provider's logout
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
OIDC_TIMEOUT = MUTUALIS_OIDC_TIMEOUT
OIDC_OP_AUTHORIZATION_ENDPOINT = OIDC_OP_TOKEN_ENDPOINT = OIDC_OP_USER_ENDPOINT = ""
OIDC_OP_JWKS_ENDPOINT = "-"  # read from the discovery document by OidcBackend
if MUTUALIS_OIDC_ISSUER:
    # The sign-on button and the sign-out form end at the provider: its origin is a form target.
    from urllib.parse import urlsplit

    _issuer = urlsplit(MUTUALIS_OIDC_ISSUER)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_issuer.scheme}://{_issuer.netloc}")

MUTUALIS_ESTIMATE_RATE = env.str("MUTUALIS_ESTIMATE_RATE", default="60/minute")
# The portal's public API (api/portal.py): requests per client address, all its endpoints together.
MUTUALIS_PORTAL_API_RATE = env.str("MUTUALIS_PORTAL_API_RATE", default="120/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mutualis.tokens.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "mutualis.api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "mutualis.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The public calculators (api/base.py PublicCalculatorView), each its own count at the same rate.
    "DEFAULT_THROTTLE_RATES": {
        "procedure_estimate": MUTUALIS_ESTIMATE_RATE,
        "gains_estimate": MUTUALIS_ESTIMATE_RATE,
        "portal": MUTUALIS_PORTAL_API_RATE,
    },
    # The client's address is read behind the trusted proxies only, as core.clients.client_ip does.
    "NUM_PROXIES": MUTUALIS_TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Mutualis",
    "DESCRIPTION": (
        "Registre des contrats, projets d'achat (avec leurs passages d'étape, que l'on peut aussi "
        "déclencher), entités, fournisseurs et familles d'achat du territoire. "
        "Authentification par jeton personnel créé sur la page « Mon compte » (en-tête « Authorization: "
        "Token … ») : lecture seule par défaut, expiration, révocation au changement de mot de passe ; "
        "chaque utilisateur ne voit que son périmètre, comme dans l'interface. "
        "Sous /api/v1/portail/, sans authentification : ce que publie le portail public (achats prévus, "
        "consultations, marchés attribués, membres), limité par adresse."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI files come from drf-spectacular-sidecar: served locally, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mutualis.api.schema.require_version_on_patch",
    ],
    "ENUM_NAME_OVERRIDES": {
        "PurchaseNatureEnum": "mutualis.legal.vocabulary.Nature",
        "ContractNatureEnum": "mutualis.contracts.enums.ContractNature",
        "StageCodeEnum": "mutualis.procurements.models.StageCode",
        "IncidentStatusEnum": "mutualis.evaluations.models.IncidentStatus",
        "CampaignStatusEnum": "mutualis.evaluations.models.CampaignStatus",
        "EvaluationStatusEnum": "mutualis.evaluations.models.EvaluationStatus",
        "ServiceRequestStatusEnum": "mutualis.clients.models.RequestStatus",
    },
}
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("MUTUALIS_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("MUTUALIS_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Production writes one JSON object per line on stdout (core/logs.py), for the container's or journald's
# collector; the other profiles keep readable lines on stderr. MUTUALIS_LOG_FORMAT=json|text overrides it.
MUTUALIS_LOG_FORMAT = env.str("MUTUALIS_LOG_FORMAT", default="json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mutualis.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "mutualis.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout" if MUTUALIS_LOG_FORMAT == "json" else "ext://sys.stderr",
            "formatter": MUTUALIS_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("MUTUALIS_LOG_LEVEL", default="INFO")},
}
