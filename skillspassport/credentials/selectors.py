"""Reads about credentials, including verification against this service's own data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from skillspassport.credentials import keystore
from skillspassport.credentials.models import IssuedCredential, IssuerKey, StatusList
from skillspassport.credentials.vc import status_list
from skillspassport.credentials.vc.verifier import (
    StatusAnswer,
    Verification,
    verify_credential,
    verify_presentation,
)
from skillspassport.people.models import Resident

_STATUS_PATH = re.compile(
    r"^/credentials/status/(?P<council>\d+)/(?P<purpose>revocation|suspension)$"
)


def status_of_entry(entry: Mapping[str, Any]) -> StatusAnswer:
    """A BitstringStatusListEntry's bit, if the list is one this service publishes."""
    url = str(entry.get("statusListCredential", ""))
    if not url.startswith(settings.SITE_URL + "/"):
        return StatusAnswer.UNKNOWN
    match = _STATUS_PATH.match(url[len(settings.SITE_URL) :])
    if match is None or match["purpose"] != entry.get("statusPurpose"):
        return StatusAnswer.UNKNOWN
    found = StatusList.objects.filter(
        council_id=int(match["council"]), purpose=match["purpose"]
    ).first()
    try:
        index = int(str(entry.get("statusListIndex")))
    except ValueError:
        return StatusAnswer.UNKNOWN
    if found is None:
        return StatusAnswer.UNKNOWN
    try:
        return StatusAnswer.SET if status_list.bit_is_set(found.bits, index) else StatusAnswer.UNSET
    except status_list.StatusListError:
        return StatusAnswer.UNKNOWN


def issuer_name_of(issuer_id: str, verification_method: str) -> str | None:
    """The trust registry, for now: only this deployment's own councils, by their did:web keys."""
    did, _, fragment = verification_method.partition("#")
    if did != keystore.did_web() or issuer_id != did:
        return None
    if keystore.public_key_for_method(verification_method) is None:
        return None
    key = IssuerKey.objects.filter(key_id=fragment).select_related("council").first()
    return key.council.name if key else None


def credential_verify(document: Any) -> Verification:
    return verify_credential(
        document,
        resolve_key=keystore.public_key_for_method,
        check_status=status_of_entry,
        issuer_name=issuer_name_of,
    )


def presentation_verify(document: Any) -> tuple[Verification, list[Verification]]:
    return verify_presentation(
        document,
        resolve_key=keystore.public_key_for_method,
        check_status=status_of_entry,
        issuer_name=issuer_name_of,
    )


def credentials_of(*, resident: Resident) -> QuerySet[IssuedCredential]:
    return IssuedCredential.objects.filter(resident=resident).order_by("-issued_at")


def credential_by_share_token(token: str) -> IssuedCredential | None:
    if not token or len(token) > 64:
        return None
    return (
        IssuedCredential.objects.select_related("council")
        .filter(share_token=token, revoked_at=None)
        .first()
    )


def credential_by_withdraw_token(token: str) -> IssuedCredential | None:
    if not token or len(token) > 64:
        return None
    return IssuedCredential.objects.filter(share_withdraw_token=token).first()
