"""What credentials do when something happens in an app below them."""

from __future__ import annotations

from typing import Any

from skillspassport.credentials.services import credentials_issue_automatically
from skillspassport.people.models import Resident


def issue_on_levels_reached(
    sender: Any, *, resident: Resident, strand_codes: list[str], **kwargs: Any
) -> None:
    """A level the council issues automatically is issued in the transaction that reached it."""
    credentials_issue_automatically(resident=resident, strand_codes=strand_codes)
