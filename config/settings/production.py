"""Production: every secret must be set; HTTPS only; static files from WhiteNoise."""

from django.core.exceptions import ImproperlyConfigured

from config import env as E
from config.settings.base import *  # noqa: F403

if not E.SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not E.IDENTIFIER_SALT:
    raise ImproperlyConfigured("IDENTIFIER_SALT must be set in production.")
if not E.CREDENTIAL_KEY_SECRET:
    raise ImproperlyConfigured("CREDENTIAL_KEY_SECRET must be set in production.")
if E.DEBUG:
    raise ImproperlyConfigured("DEBUG must not be true in production.")

DEBUG = False
SECURE_SSL_REDIRECT = E.SECURE_SSL_REDIRECT
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
