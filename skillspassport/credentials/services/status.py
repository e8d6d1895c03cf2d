"""Signing as an issuer, and its Bitstring Status Lists: where they are published, the
entries a new credential gets, and flipping a credential's bit.

A council's (or the sandbox's) two lists are made, and signed, with the first credential it
issues, in that transaction; they are published as they were last signed. The public GET of a
list only reads (`selectors.status_list_published`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation
from skillspassport.credentials import keystore
from skillspassport.credentials.models import IssuedCredential, StatusList, StatusPurpose
from skillspassport.credentials.services.errors import CredentialError
from skillspassport.credentials.vc import eddsa, status_list


def now_iso() -> str:
    return timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sign_as_issuer(
    document: dict[str, Any], council: Organisation | None, cryptosuite: str = eddsa.CRYPTOSUITE
) -> dict[str, Any]:
    """`document` signed with the active key of the council (the sandbox's when None)."""
    key = keystore.issuer_key_for(council)
    return eddsa.sign(
        document,
        keystore.private_key(key),
        verification_method=keystore.verification_method(key),
        created=now_iso(),
        cryptosuite=cryptosuite,
    )


def status_list_url(council: Organisation | None, purpose: str) -> str:
    """Where an issuer's list is published: by council id, or "sandbox" for the sandbox issuer."""
    owner = council.pk if council is not None else "sandbox"
    return f"{settings.SITE_URL}/credentials/status/{owner}/{purpose}"


def _status_list(council: Organisation | None, purpose: str) -> StatusList:
    found = StatusList.objects.select_for_update().filter(council=council, purpose=purpose).first()
    if found is None:
        # Created inside the caller's transaction, so the new row is already ours alone; and
        # signed at once, so that it can be published as soon as a credential names it.
        found = StatusList.objects.create(
            council=council, purpose=purpose, bits=bytes(status_list.new_bitstring())
        )
        status_list_sign(found)
    return found


def status_list_sign(status: StatusList) -> dict[str, Any]:
    """Sign the list as a BitstringStatusListCredential and keep it for serving."""
    url = status_list_url(status.council, status.purpose)
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": keystore.issuer_did(status.council),
        "validFrom": now_iso(),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status.purpose,
            "encodedList": status_list.encode(bytes(status.bits)),
        },
    }
    signed = sign_as_issuer(document, status.council)
    status.signed_credential = signed
    status.updated_at = timezone.now()
    status.save(update_fields=["signed_credential", "updated_at"])
    return signed


def status_list_credential(council: Organisation | None, purpose: str) -> dict[str, Any]:
    """The issuer's list as a signed credential, making and signing it if need be (a write:
    for issuing and the `status_lists_sign` command, never for a public GET)."""
    with transaction.atomic():
        status = _status_list(council, purpose)
        return status.signed_credential or status_list_sign(status)


def allocate_index(council: Organisation | None) -> int:
    revocation = _status_list(council, StatusPurpose.REVOCATION)
    _status_list(council, StatusPurpose.SUSPENSION)
    index = revocation.next_index
    if index >= len(revocation.bits) * 8:
        raise CredentialError("This issuer's status list is full; ask the service operator.")
    revocation.next_index = index + 1
    revocation.save(update_fields=["next_index"])
    return index


def status_entries(council: Organisation | None, index: int) -> list[dict[str, str]]:
    return [
        {
            "id": f"{status_list_url(council, purpose)}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(index),
            "statusListCredential": status_list_url(council, purpose),
        }
        for purpose in (StatusPurpose.REVOCATION, StatusPurpose.SUSPENSION)
    ]


def status_flip(credential: IssuedCredential, purpose: str, value: bool) -> None:
    status = _status_list(credential.council, purpose)
    bits = bytearray(status.bits)
    status_list.set_bit(bits, credential.status_index, value)
    status.bits = bytes(bits)
    status.save(update_fields=["bits"])
    status_list_sign(status)


@transaction.atomic
def status_lists_sign() -> int:
    """Sign every list that has no signed copy to publish yet (lists made before they were
    signed as they were made). Returns how many were signed."""
    unsigned = StatusList.objects.select_for_update().filter(signed_credential__isnull=True)
    signed = 0
    for status in unsigned.order_by("pk"):
        status_list_sign(status)
        signed += 1
    return signed
