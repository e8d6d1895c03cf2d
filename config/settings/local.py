"""Local development and the demo: SQLite by default, debug on, a throwaway secret key."""

from config import env as E
from config.settings.base import *  # noqa: F403

DEBUG = E.env.bool("DEBUG", default=True)
SECRET_KEY = E.SECRET_KEY or "local-only-insecure-key-do-not-use-in-production"
CREDENTIAL_KEY_SECRET = E.CREDENTIAL_KEY_SECRET or f"credential-keys:{SECRET_KEY}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the app directories (no collectstatic needed).
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
