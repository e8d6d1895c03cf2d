"""Reads about credentials, including verification against this service's own data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from skillspassport.accounts.models import Organisation, OrganisationKind, User
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import organisation_ids_where
from skillspassport.credentials import keystore
from skillspassport.credentials.models import ApiClient, IssuedCredential, StatusList, TrustedIssuer
from skillspassport.credentials.vc import status_list
from skillspassport.credentials.vc.verifier import (
    StatusAnswer,
    Verification,
    verify_credential,
    verify_presentation,
)
from skillspassport.people.models import Resident
from skillspassport.skills.models import OVERALL
from skillspassport.skills.selectors import framework_spec, rule_set_for_organisation

_STATUS_PATH = re.compile(
    r"^/credentials/status/(?P<council>\d+|sandbox)/(?P<purpose>revocation|suspension)$"
)


def status_of_entry(entry: Mapping[str, Any]) -> StatusAnswer:
    """A BitstringStatusListEntry's bit, if the list is one this service publishes."""
    url = str(entry.get("statusListCredential", ""))
    if not url.startswith(settings.SITE_URL + "/"):
        return StatusAnswer.UNKNOWN
    match = _STATUS_PATH.match(url[len(settings.SITE_URL) :])
    if match is None or match["purpose"] != entry.get("statusPurpose"):
        return StatusAnswer.UNKNOWN
    council_id = None if match["council"] == "sandbox" else int(match["council"])
    found = StatusList.objects.filter(council_id=council_id, purpose=match["purpose"]).first()
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


def issuer_name_in_registry(issuer_id: str, method: str) -> str | None:
    """The trust registry: the name this service knows `issuer_id` by, or None.

    The registry is the councils this service hosts (each under its own DID, and under the
    deployment's DID for credentials issued before councils had their own) and the outside
    issuers a council has vouched for. The sandbox issuer is never in it. A name is only ever
    taken from here, never from the credential.
    """
    did, _, fragment = method.partition("#")
    if did != issuer_id:
        return None
    if issuer_id.startswith("did:web:"):
        key = keystore.key_for_method(did, fragment)
        if key is not None and key.council is not None:
            return key.council.name
    trusted = TrustedIssuer.objects.filter(did=issuer_id, removed_at=None).first()
    return trusted.name if trusted else None


def credential_verify(document: Any, *, now: datetime | None = None) -> Verification:
    return verify_credential(
        document,
        resolve_key=keystore.public_key_for_method,
        check_status=status_of_entry,
        issuer_name=issuer_name_in_registry,
        now=now,
    )


def presentation_verify(
    document: Any, *, challenge: str | None = None, domain: str | list[str] | None = None
) -> tuple[Verification, list[Verification]]:
    return verify_presentation(
        document,
        resolve_key=keystore.public_key_for_method,
        check_status=status_of_entry,
        issuer_name=issuer_name_in_registry,
        challenge=challenge,
        domain=domain,
    )


def council_administered_by(*, user: User, council_id: int | None = None) -> Organisation:
    """A council the user administers (the given one, or their only one); 404/403 otherwise."""
    councils = Organisation.objects.filter(
        id__in=organisation_ids_where(user=user, capability=Capability.MANAGE_ORGANISATION),
        kind=OrganisationKind.COUNCIL,
    ).order_by("pk")
    if council_id is not None:
        found = councils.filter(pk=council_id).first()
        if found is None:
            raise Http404("No such council")
        return found
    first = councils.first()
    if first is None:
        raise PermissionDenied
    return first


def api_clients_of(*, council: Organisation) -> QuerySet[ApiClient]:
    return (
        ApiClient.objects.filter(council=council)
        .select_related("created_by", "revoked_by", "application")
        .annotate(issued=Count("issued_credentials"))
        .order_by(F("revoked_at").asc(nulls_first=True), "name")
    )


def api_client_of(*, council: Organisation, client_id: int) -> ApiClient:
    return get_object_or_404(
        ApiClient.objects.select_related("application"), council=council, pk=client_id
    )


def api_issued_credentials_of(*, council: Organisation) -> QuerySet[IssuedCredential]:
    """Credentials the council's API clients had signed: as the council, or in its clients'
    sandbox."""
    return (
        IssuedCredential.objects.filter(api_client__council=council)
        .select_related("api_client", "revoked_by")
        .order_by("-issued_at")
    )


def api_issued_credential_of(*, council: Organisation, public_id: str) -> IssuedCredential:
    return get_object_or_404(api_issued_credentials_of(council=council), public_id=public_id)


def trusted_issuers() -> QuerySet[TrustedIssuer]:
    return TrustedIssuer.objects.filter(removed_at=None).select_related("vouched_by", "added_by")


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


def council_award_choices(*, council: Organisation) -> list[tuple[str, str]]:
    """The awards the council issues under its current rules, as ("strand:level", label)."""
    rule_set = rule_set_for_organisation(organisation=council)
    spec = framework_spec(rule_set.framework)
    awards = [(a["code"], a["name"]) for a in rule_set.rules["awards"]]
    choices = [(f"{OVERALL}:{code}", f"Overall: {name}") for code, name in awards]
    for strand_code in rule_set.rules["strands"]:
        strand = spec.strands[strand_code].name
        choices += [(f"{strand_code}:{code}", f"{strand}: {name}") for code, name in awards]
    return choices
