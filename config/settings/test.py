"""Tests: fast password hashing, in-memory email, no lock-outs leaking between tests."""

from config import env as E
from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
CREDENTIAL_KEY_SECRET = "test-credential-key-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES = {"default": __import__("dj_database_url").parse(E.DATABASE_URL)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

# Serve static files straight from the app directories (no collectstatic needed).
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
VERIFY_RATE_LIMIT = "10000/m"  # the rate-limit test sets its own
# Throttles that count across requests from the test client's one address: tests that check
# them set their own limits and clear the cache.
LOGIN_ADDRESS_FAILURE_LIMIT = 10_000
PASSWORD_RESET_RATE_LIMIT = "10000/h"  # noqa: S105 - a rate, not a password
