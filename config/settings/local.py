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

# With SITE_URL unset, share links and QR codes point at the address the server was reached on
# (runserver on any port); credentials' DIDs still use SITE_URL's default. Production requires
# SITE_URL (config/settings/production.py).
SITE_URL_FROM_REQUEST = not E.SITE_URL_GIVEN
