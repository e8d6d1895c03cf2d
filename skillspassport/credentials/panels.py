"""The credentials sections of a resident's pages: the resident's verifiable credentials, and
the share codes on the printable passport.

Registered in `CredentialsConfig.ready()` with the resident page registry of `people.panels`.
"""

from __future__ import annotations

from typing import Any

from skillspassport.accounts.roles import Capability
from skillspassport.credentials import selectors
from skillspassport.credentials.models import IssuedCredential
from skillspassport.people.panels import Page, Panel, Viewing
from skillspassport.skills import selectors as skills_selectors


def _credentials(viewing: Viewing) -> list[IssuedCredential]:
    return list(viewing.once(selectors.credentials_of))


def credentials_context(viewing: Viewing) -> dict[str, Any]:
    """The resident's credentials, and the levels they hold that no live credential carries."""
    credentials = _credentials(viewing)
    passport = viewing.once(skills_selectors.passport_summary)
    live = {(c.strand_code, c.level) for c in credentials if c.revoked_at is None}
    issuable = [
        (s.code, f"{s.name}: {s.level_name}")
        for s in [passport.overall, *passport.strands]
        if s.level and (s.code, s.level) not in live
    ]
    return {
        "credentials": credentials,
        "issuable": issuable,
        "can_issue_credentials": viewing.can(Capability.ISSUE_CREDENTIALS),
        "can_revoke_credentials": viewing.can(Capability.REVOKE_CREDENTIALS),
    }


def share_codes_context(viewing: Viewing) -> dict[str, Any]:
    """The QR code and links of each shared credential, for the resident to keep."""
    return {"credentials": _credentials(viewing)}


PANELS = (
    Panel(
        name="credentials.credentials",
        page=Page.RESIDENT,
        order=20,
        template="credentials/_resident_credentials.html",
        context=credentials_context,
    ),
    Panel(
        name="credentials.share_codes",
        page=Page.PRINTABLE_PASSPORT,
        order=20,
        template="credentials/panels/share_codes.html",
        context=share_codes_context,
    ),
)
