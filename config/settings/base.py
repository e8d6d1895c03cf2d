"""Settings shared by every environment. Values that vary by deployment come from config.env."""

from __future__ import annotations

from datetime import timedelta

import dj_database_url
import environ
from django.core.exceptions import ImproperlyConfigured

from config import env as E
from skillspassport.api.scopes import SCOPES as API_SCOPES

BASE_DIR = E.BASE_DIR
DEBUG = E.DEBUG
SECRET_KEY = E.SECRET_KEY
ALLOWED_HOSTS = E.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = E.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    "skillspassport.core.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "oauth2_provider",
    "django_tasks",
    "django_tasks_db",
    "skillspassport.core",
    "skillspassport.accounts",
    "skillspassport.background",
    "skillspassport.staff",
    "skillspassport.areas",
    "skillspassport.people",
    "skillspassport.skills",
    "skillspassport.audit",
    "skillspassport.credentials",
    "skillspassport.targeting",
    "skillspassport.reports",
    "skillspassport.employers",
    "skillspassport.training",
    "skillspassport.support",
    "skillspassport.funding",
    "skillspassport.privacy",
    "skillspassport.home",
    "skillspassport.demo",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "skillspassport.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost of ours, so every response gets its headers (static files, redirects, 413s).
    "skillspassport.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before anything reads the body (CSRF reads POST data in process_view).
    "skillspassport.core.middleware.RequestSizeLimitMiddleware",
    # A NUL in the address or a form field is a message, not a database error (PostgreSQL).
    "skillspassport.core.middleware.NulCharacterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "skillspassport.core.middleware.AbsoluteSessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "skillspassport.core.middleware.LoginRequiredMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "skillspassport.skills.middleware.SetupMissingMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "skillspassport" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "skillspassport.home.context_processors.service",
            ],
            # `{{ amount|money }}` everywhere: "£1,234.50" (skillspassport/core/money.py).
            "builtins": ["skillspassport.core.templatetags.money"],
        },
    }
]
# Form fields render through GOV.UK Frontend markup in skillspassport/templates/django/forms/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": dj_database_url.parse(E.DATABASE_URL, conn_max_age=60)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:sign-in"
LOGIN_REDIRECT_URL = "home:dashboard"
LOGOUT_REDIRECT_URL = "staff:sign-in"

# Sessions end after SESSION_IDLE_MINUTES without a request, and when the browser closes.
SESSION_COOKIE_AGE = E.SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "skillspassport.core.views.csrf_failure"

# ...and end SESSION_ABSOLUTE_HOURS after signing in, however active (AbsoluteSessionLifetime-
# Middleware), so a stolen or forgotten session cannot be kept alive for ever.
SESSION_ABSOLUTE_HOURS = E.SESSION_ABSOLUTE_HOURS

# The client's address, for the audit log, lockouts and rate limits alike: REMOTE_ADDR, or the
# address the nearest of TRUSTED_PROXY_COUNT proxies saw (skillspassport.core.middleware.client_ip).
TRUSTED_PROXY_COUNT = E.TRUSTED_PROXY_COUNT
AXES_CLIENT_IP_CALLABLE = "skillspassport.core.middleware.client_ip"
RATELIMIT_IP_META_KEY = "skillspassport.core.middleware.client_ip"

# Failed sign-ins: django-axes locks an account after LOGIN_FAILURE_LIMIT tries, whether from one
# address or many; separately, an address that fails LOGIN_ADDRESS_FAILURE_LIMIT times with any
# emails is paused (accounts.views.SignInView), so spraying many accounts meets a throttle too.
AXES_FAILURE_LIMIT = E.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=E.LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when the address is not a lockout parameter; here the address has its own, higher
# limit (per address for any emails), so one office behind one address is not locked by 5 typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
LOGIN_ADDRESS_FAILURE_LIMIT = E.LOGIN_ADDRESS_FAILURE_LIMIT
LOGIN_COOLOFF_MINUTES = E.LOGIN_COOLOFF_MINUTES
PASSWORD_RESET_RATE_LIMIT = E.PASSWORD_RESET_RATE_LIMIT
# Links in invitation and password reset emails stay valid for three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
OTP_TOTP_ISSUER = "Skills Passport"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
# Project-wide assets: the built GOV.UK Frontend bundle (npm run build) and app.mjs.
STATICFILES_DIRS = [BASE_DIR / "skillspassport" / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploads are private (receipts): there is deliberately no MEDIA_URL route; files are
# served only by guarded, audited views.
MEDIA_ROOT = E.MEDIA_ROOT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

vars().update(environ.Env.email_url_config(E.EMAIL_URL))
DEFAULT_FROM_EMAIL = E.DEFAULT_FROM_EMAIL

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Verifiable credentials (see docs/adr/0006-verifiable-credentials.md).
# Request bodies: refused from Content-Length before anything is read (RequestSizeLimitMiddleware),
# and capped again while reading. Public credential endpoints take at most 1 MB of credential.
MAX_REQUEST_BYTES = E.MAX_REQUEST_MB * 1024 * 1024
MAX_CREDENTIAL_REQUEST_BYTES = 1_100_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_500_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_500_000
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2_000

# Rate limits must hold across app servers, so the cache is shared: the database by default
# (`manage.py migrate` creates its table), Redis or memcached by CACHE_URL.
CACHES = {"default": environ.Env.cache_url_config(E.CACHE_URL)}

# API clients (partner systems) get tokens by OAuth 2.0 client credentials; there is no
# authorization-code flow, so no user ever grants access through a browser.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": {"issue": "Issue credentials as the client's council"},
    "DEFAULT_SCOPES": ["issue"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 15 * 60,
    "PKCE_REQUIRED": True,
}

# Long work and notifications run on a task queue (docs/adr/0016-task-queue.md): the database
# by default, so one database is all a council needs; RQ on Redis by TASKS_BACKEND=rq.
if E.TASKS_BACKEND not in ("database", "rq"):
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or rq (it is {E.TASKS_BACKEND!r}).")
if E.NOTIFICATIONS_SENDER not in ("email", "govuk-notify"):
    raise ImproperlyConfigured(
        f"NOTIFICATIONS_SENDER must be email or govuk-notify (it is {E.NOTIFICATIONS_SENDER!r})."
    )
if E.NOTIFICATIONS_SENDER == "govuk-notify" and not (
    E.GOVUK_NOTIFY_API_KEY and E.GOVUK_NOTIFY_TEMPLATE_ID
):
    raise ImproperlyConfigured(
        "NOTIFICATIONS_SENDER=govuk-notify needs GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_TEMPLATE_ID."
    )
if E.TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": E.REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
BACKGROUND_RETRY_SECONDS = 30
BACKGROUND_STALE_MINUTES = E.BACKGROUND_STALE_MINUTES
BACKGROUND_NOTIFICATION_ATTEMPTS = 5
NOTIFICATIONS_SENDER = E.NOTIFICATIONS_SENDER
GOVUK_NOTIFY_API_KEY = E.GOVUK_NOTIFY_API_KEY
GOVUK_NOTIFY_TEMPLATE_ID = E.GOVUK_NOTIFY_TEMPLATE_ID

SITE_URL = E.SITE_URL
# Links given out (share links, their QR codes) use SITE_URL; local.py may build them from
# the request instead (skillspassport.core.site.public_base_url).
SITE_URL_FROM_REQUEST = False
CREDENTIAL_KEY_SECRET = E.CREDENTIAL_KEY_SECRET or f"credential-keys:{E.SECRET_KEY}"
VERIFY_RATE_LIMIT = E.VERIFY_RATE_LIMIT
RATELIMIT_VIEW = "skillspassport.core.views.rate_limited"

# Skills mapping from job adverts (see docs/adr/0009-skills-mapping-from-adverts.md).
SKILLS_MAP_INDEX_DIR = E.SKILLS_MAP_INDEX_DIR

# --- Partner API (skillspassport.api; docs/api.md, docs/adr/0017-partner-api.md) -------------
# Django REST framework under /api/v1 with bearer tokens from the API clients' OAuth 2.0
# client-credentials grant, errors as RFC 9457 problems, a rate limit per client counted in the
# shared cache, and an OpenAPI 3 description (drf-spectacular) with docs served by the app.
OAUTH2_PROVIDER["SCOPES"] = {**OAUTH2_PROVIDER["SCOPES"], **API_SCOPES}  # type: ignore[dict-item]
OAUTH2_PROVIDER["SCOPES_BACKEND_CLASS"] = "skillspassport.api.oauth.PartnerScopes"
API_RATE_LIMIT = E.API_RATE_LIMIT
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["skillspassport.api.oauth.PartnerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["skillspassport.api.oauth.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["skillspassport.api.throttling.PartnerClientThrottle"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "skillspassport.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "skillspassport.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Skills Passport partner API",
    "DESCRIPTION": "For partner systems: training providers' learner records, Jobcentre "
    "referrals and employers' recruitment systems. See docs/api.md.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {"PassportLevelEnum": "skillspassport.api.serializers.LEVELS"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "skillspassport.api.schema.add_problems",
    ],
}
# --- end of partner API settings ---------------------------------------------------------------
