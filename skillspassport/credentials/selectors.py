"""Reads about credentials, including verification against this service's own data."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from skillspassport.accounts.access import acting_council_or_none, scope_for
from skillspassport.accounts.models import Organisation, OrganisationKind, User
from skillspassport.accounts.roles import Capability
from skillspassport.credentials import keystore
from skillspassport.credentials.models import (
    ApiClient,
    EndedShareLink,
    IssuedCredential,
    IssuerKey,
    StatusList,
    TrustedIssuer,
)
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


def council_administered_by(
    *, user: User, council_id: int | None = None, choice: object = None
) -> Organisation:
    """A council the user administers: the given one (Http404 if they do not), or else the
    council the page acts for among those they administer (the rule in `accounts.access`,
    `choice` being the request's ``council`` parameter); PermissionDenied if there is none."""
    if council_id is not None:
        administered = scope_for(user, Capability.MANAGE_ORGANISATION).of_kinds(
            OrganisationKind.COUNCIL
        )
        if not administered.holds(council_id):
            raise Http404("No such council")
        return Organisation.objects.get(pk=council_id)
    council = acting_council_or_none(
        user=user,
        capabilities=[Capability.MANAGE_ORGANISATION],
        choice=choice,
        kinds=[OrganisationKind.COUNCIL],
    )
    if council is None:
        raise PermissionDenied
    return council


def council_get_public(*, council_id: int | str) -> Organisation:
    """A council by id, for the public endpoints that publish its keys and status lists (the
    council's name and id are public; Http404 for anything that is not a council)."""
    try:
        return Organisation.objects.get(pk=int(council_id), kind=OrganisationKind.COUNCIL)
    except (Organisation.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such council") from exc


def status_list_published(*, council: Organisation | None, purpose: str) -> dict[str, Any] | None:
    """The issuer's status list as it was last signed, or None if it has none to publish (its
    lists are made, and signed, with its first credential). Only reads."""
    signed = (
        StatusList.objects.filter(council=council, purpose=purpose)
        .values_list("signed_credential", flat=True)
        .first()
    )
    return signed or None


def published_keys(*, council: Organisation | None = None) -> list[IssuerKey]:
    """The public keys a DID document lists: a council's (retired ones too), or, for the
    deployment's own DID, every council's. Only public key material is read from them."""
    keys = IssuerKey.objects.order_by("pk")
    if council is None:
        return list(keys.filter(council__isnull=False))
    return list(keys.filter(council=council))


def api_client_for_application(*, application: Any) -> ApiClient | None:
    """The active API client holding an OAuth application (from a verified bearer token)."""
    return (
        ApiClient.objects.select_related("council")
        .filter(application=application, revoked_at=None)
        .first()
    )


def trusted_issuer_vouched_by(*, council: Organisation, issuer_id: int) -> TrustedIssuer:
    """An issuer in the trust registry that `council` vouched for; Http404 otherwise."""
    return get_object_or_404(TrustedIssuer, pk=issuer_id, vouched_by=council, removed_at=None)


def credential_get_for_resident(*, resident: Resident, credential_id: Any) -> IssuedCredential:
    """A credential issued to a resident already fetched through `resident_get_for_user`."""
    try:
        return IssuedCredential.objects.get(resident=resident, public_id=credential_id)
    except (IssuedCredential.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404("No such credential") from exc


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


def share_link_ended(token: str) -> EndedShareLink | None:
    """Why and when the share link `token` stopped opening its credential, if it once did."""
    if not token or len(token) > 64:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return EndedShareLink.objects.filter(token_sha256=digest).first()


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
