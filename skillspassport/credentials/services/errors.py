"""The errors the credential services raise."""

from __future__ import annotations


class CredentialError(ValueError):
    """The credential cannot be issued or changed; the message says why."""


class CredentialPermissionError(CredentialError):
    """The caller may not issue this credential (wrong council, award not allowed)."""
