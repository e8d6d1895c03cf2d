"""Production: every secret must be set; HTTPS only; static files from WhiteNoise."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from config import env as E
from config.settings.base import *  # noqa: F403

if not E.SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not E.CREDENTIAL_KEY_SECRET:
    raise ImproperlyConfigured("CREDENTIAL_KEY_SECRET must be set in production.")
if E.DEBUG:
    raise ImproperlyConfigured("DEBUG must not be true in production.")
# SITE_URL is written into every credential, status list and share link: a credential issued
# under the local default or a plain-http address could never be checked by anyone else.
if E.DEFAULT_SITE_URL.rstrip("/") == E.SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL must be set in production to the service's public https:// address."
    )
_site = urlsplit(E.SITE_URL)
if _site.scheme != "https" or not _site.hostname:
    raise ImproperlyConfigured(
        f"SITE_URL must be an https:// address in production (it is {E.SITE_URL!r})."
    )

DEBUG = False
SITE_URL_FROM_REQUEST = False  # links always from SITE_URL, never from a request's Host
SECURE_SSL_REDIRECT = E.SECURE_SSL_REDIRECT
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
