"""The one place the process environment is read.

Every setting that varies between deployments is declared here with its type and default, so
the README's settings table, `.env.example` and the code cannot drift apart: `SETTINGS_DOC`
lists them all.
"""

from __future__ import annotations

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_env_file = BASE_DIR / ".env"
if _env_file.exists():
    environ.Env.read_env(str(_env_file), overwrite=False)

# (name, default shown in docs, description)
SETTINGS_DOC: list[tuple[str, str, str]] = [
    ("DJANGO_SETTINGS_MODULE", "config.settings.local", "Which settings module to use."),
    ("SECRET_KEY", "(generated for local use only)", "Django secret key. Required in production."),
    ("DATABASE_URL", "sqlite:///db.sqlite3", "Database; e.g. postgres://user@host:5432/name."),
    ("ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the app answers to."),
    ("DEBUG", "false (true in local)", "Django debug mode. Never true in production."),
    ("SESSION_IDLE_MINUTES", "120", "Staff sessions end after this many idle minutes."),
    ("LOGIN_FAILURE_LIMIT", "5", "Failed sign-ins before the account and address are locked."),
    ("LOGIN_COOLOFF_MINUTES", "15", "How long a locked sign-in stays locked."),
    (
        "LOGIN_ADDRESS_FAILURE_LIMIT",
        "20",
        "Failed sign-ins from one address, whatever the email, before that address is paused.",
    ),
    (
        "SESSION_ABSOLUTE_HOURS",
        "12",
        "Staff sessions end this many hours after signing in, however active.",
    ),
    (
        "TRUSTED_PROXY_COUNT",
        "0",
        "Proxies or load balancers in front of the app that append to X-Forwarded-For.",
    ),
    ("PASSWORD_RESET_RATE_LIMIT", "5/h", "Password reset emails asked for per address."),
    ("EMAIL_URL", "consolemail://", "Outgoing email; e.g. smtp://user:pass@host:587."),
    ("DEFAULT_FROM_EMAIL", "skills-passport@localhost", "Sender address for emails."),
    (
        "CSRF_TRUSTED_ORIGINS",
        "(empty)",
        "Comma-separated origins, e.g. https://passport.example.gov.uk.",
    ),
    ("SECURE_SSL_REDIRECT", "true in production", "Redirect HTTP to HTTPS (production)."),
    (
        "SITE_URL",
        "http://127.0.0.1:8000",
        (
            "Public https:// address of the app: credential, status list and share links, "
            "and the did:web. Required in production. Unset in local development, share "
            "links and QR codes use the address the server was reached on."
        ),
    ),
    (
        "CREDENTIAL_KEY_SECRET",
        "(derived from SECRET_KEY)",
        "Encrypts issuer signing keys at rest. Required in production (keep it out of the DB).",
    ),
    ("VERIFY_RATE_LIMIT", "60/m", "Public credential verification requests per address."),
    ("API_RATE_LIMIT", "600/min", "Partner API requests per API client (docs/api.md)."),
    (
        "SKILLS_MAP_INDEX_DIR",
        ".cache/skillsmap",
        "Where the optional embedding skills mapper keeps its ESCO label index.",
    ),
    (
        "MEDIA_ROOT",
        "media/ (in the project)",
        "Private uploads (budget receipts). Never served directly; keep it outside the web root.",
    ),
    (
        "CACHE_URL",
        "dbcache://django_cache",
        "Shared cache for rate limits across app servers; e.g. redis://host:6379/0.",
    ),
    ("MAX_REQUEST_MB", "6", "Largest request body accepted anywhere (receipts are up to 5 MB)."),
    (
        "TASKS_BACKEND",
        "database",
        "Task queue for long work and notifications: database (no other server) or rq (Redis).",
    ),
    ("REDIS_URL", "redis://127.0.0.1:6379/0", "Redis for TASKS_BACKEND=rq."),
    (
        "BACKGROUND_STALE_MINUTES",
        "10",
        "Running work silent this long is taken to be lost with a stopped worker and run again.",
    ),
    (
        "NOTIFICATIONS_SENDER",
        "email",
        "How notifications are sent: email (EMAIL_URL) or govuk-notify.",
    ),
    (
        "GOVUK_NOTIFY_API_KEY",
        "(none)",
        "GOV.UK Notify API key, for NOTIFICATIONS_SENDER=govuk-notify.",
    ),
    (
        "GOVUK_NOTIFY_TEMPLATE_ID",
        "(none)",
        "GOV.UK Notify email template whose subject is ((subject)) and body ((body)).",
    ),
]

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=120)
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=12)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
PASSWORD_RESET_RATE_LIMIT = env.str("PASSWORD_RESET_RATE_LIMIT", default="5/h")
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="skills-passport@localhost")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The local address; production refuses to start with it (config/settings/production.py).
DEFAULT_SITE_URL = "http://127.0.0.1:8000"
SITE_URL = env.str("SITE_URL", default=DEFAULT_SITE_URL).rstrip("/")
# Whether SITE_URL was given at all: in local development, links follow the server if not.
SITE_URL_GIVEN = bool(env.str("SITE_URL", default="").strip())
CREDENTIAL_KEY_SECRET = env.str("CREDENTIAL_KEY_SECRET", default="")
VERIFY_RATE_LIMIT = env.str("VERIFY_RATE_LIMIT", default="60/m")
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/min")
SKILLS_MAP_INDEX_DIR = Path(
    env.str("SKILLS_MAP_INDEX_DIR", default=str(BASE_DIR / ".cache" / "skillsmap"))
)
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "media"))
CACHE_URL = env.str("CACHE_URL", default="dbcache://django_cache")
MAX_REQUEST_MB = env.int("MAX_REQUEST_MB", default=6)
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
BACKGROUND_STALE_MINUTES = env.int("BACKGROUND_STALE_MINUTES", default=10)
NOTIFICATIONS_SENDER = env.str("NOTIFICATIONS_SENDER", default="email")
GOVUK_NOTIFY_API_KEY = env.str("GOVUK_NOTIFY_API_KEY", default="")
GOVUK_NOTIFY_TEMPLATE_ID = env.str("GOVUK_NOTIFY_TEMPLATE_ID", default="")
