"""Issuing credentials: a resident's passport (from the adviser's button or automatically on
reaching a level) and whatever an API client asks for.

Both take an index in the issuer's status lists (`status.allocate_index`), are signed as the
issuer and recorded with an audit event, so each one has a row and status list entries and can
be listed, suspended and revoked (`changes`).
"""

from __future__ import annotations

import secrets
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.credentials import badges, keystore
from skillspassport.credentials.models import ApiClient, IssuedCredential
from skillspassport.credentials.services.errors import CredentialError, CredentialPermissionError
from skillspassport.credentials.services.status import (
    allocate_index,
    sign_as_issuer,
    status_entries,
)
from skillspassport.credentials.vc import eddsa
from skillspassport.credentials.vc import issue as vc_issue
from skillspassport.credentials.vc.canon import JsonLdError, TooComplexError
from skillspassport.credentials.vc.contexts import CREDENTIALS_V2, STATUS_V1
from skillspassport.people.models import Resident
from skillspassport.skills.models import OVERALL, Evidence, EvidenceMethod, PassportLevel
from skillspassport.skills.selectors import framework_spec, rule_set_for_organisation


def _council_of(resident: Resident) -> Organisation:
    council = resident.organisation.scheme_council
    if council is None:
        raise CredentialError(f"{resident.organisation} is not part of a council's scheme.")
    return council


def _award(organisation: Organisation, strand_code: str, level: str) -> badges.Award:
    """The award for `level` in `strand_code` under the council's current rules; KeyError or
    ValueError if the council has no such award."""
    rule_set = rule_set_for_organisation(organisation=organisation)
    spec = framework_spec(rule_set.framework)
    rules = rule_set.rules
    awards = [a["code"] for a in rules["awards"]]
    names = {a["code"]: a["name"] for a in rules["awards"]}
    upto = awards[: awards.index(level) + 1]
    if strand_code == OVERALL:
        strands = [spec.strands[s].name for s in rules["overall"]["strands"]]
        criteria = [f"{names[level]} or above in every strand: {', '.join(strands)}."]
        return badges.Award(
            OVERALL, "Overall", level, names[level], criteria, rule_set.framework.code
        )
    per_award = rules["strands"][strand_code]
    criteria = [
        f"{names[a]}: {req['summary']}."
        for a in upto
        for req in per_award.get(a, [])
        if req.get("summary")
    ]
    criteria.append("Only evidence verified by a tutor or adviser counts.")
    return badges.Award(
        strand_code,
        spec.strands[strand_code].name,
        level,
        names[level],
        criteria,
        rule_set.framework.code,
    )


def _evidence_summary(resident: Resident, strand_code: str) -> badges.EvidenceSummary:
    items = (
        Evidence.objects.current()
        .filter(resident=resident)
        .exclude(method=EvidenceMethod.SELF_ASSESSED)
    )
    if strand_code != OVERALL:
        items = items.filter(descriptor__area__strand__code=strand_code)
    rows = list(items.values_list("method", "shown_on"))
    labels = dict(EvidenceMethod.choices)
    dates = [shown for _m, shown in rows]
    return badges.EvidenceSummary(
        count=len(rows),
        by_method=dict(Counter(labels[m] for m, _s in rows)),
        first_shown=min(dates) if dates else None,
        last_shown=max(dates) if dates else None,
    )


@transaction.atomic
def credential_issue(
    *,
    resident: Resident,
    strand_code: str,
    user: User | None = None,
    valid_until: datetime | None = None,
    request: Any = None,
) -> IssuedCredential:
    """Issue the credential for the level the resident holds now in `strand_code`."""
    if valid_until is not None and valid_until <= timezone.now():
        raise CredentialError("The end date must be in the future.")
    held = PassportLevel.objects.filter(resident=resident, strand_code=strand_code).first()
    if held is None or not held.level:
        raise CredentialError("The resident has no level in that strand yet.")
    live = IssuedCredential.objects.filter(
        resident=resident, strand_code=strand_code, level=held.level, revoked_at=None
    )
    if live.exists():
        raise CredentialError("A credential for this level has already been issued.")
    council = _council_of(resident)
    index = allocate_index(council)
    public_id = uuid.uuid4()
    identity, identity_type = (
        (resident.email.strip().casefold(), "emailAddress")
        if resident.email
        else (str(resident.public_id), "identifier")
    )
    document = badges.build(
        credential_id=f"urn:uuid:{public_id}",
        site_url=settings.SITE_URL,
        issuer_id=keystore.issuer_did(council),
        issuer_name=council.name,
        award=_award(resident.organisation, strand_code, held.level),
        identity=identity,
        identity_type=identity_type,
        salt=secrets.token_hex(16),
        evidence=_evidence_summary(resident, strand_code),
        status_entries=status_entries(council, index),
        valid_from=timezone.now(),
        valid_until=valid_until,
    )
    credential = IssuedCredential.objects.create(
        public_id=public_id,
        resident=resident,
        council=council,
        strand_code=strand_code,
        level=held.level,
        document=sign_as_issuer(document, council),
        issued_by=user,
        status_index=index,
    )
    audit_record(
        user=user,
        action=AuditAction.CREDENTIAL_ISSUED,
        resident=resident,
        summary=str(credential.document["name"]),
        request=request,
    )
    return credential


@transaction.atomic
def credential_issue_for_client(
    *,
    client: ApiClient,
    credential: Mapping[str, Any],
    sandbox: bool = False,
    cryptosuite: str = eddsa.CRYPTOSUITE,
    request: Any = None,
) -> IssuedCredential:
    """Sign a credential an API client sent (VC-API issue), as its council or the sandbox.

    As the council, only an Open Badges credential for one of the council's own awards on the
    client's allow-list is signed, and its achievement, name and description are the council's
    own wording, not the client's. The sandbox (a did:key that no registry trusts) signs any
    valid credential: it exists so the W3C test suites can be run against the service.
    """
    if not client.active:
        raise CredentialPermissionError("This API client has been revoked.")
    if sandbox and not client.sandbox:
        raise CredentialPermissionError("This API client may not use the sandbox issuer.")
    if cryptosuite not in eddsa.CRYPTOSUITES:
        raise CredentialError(
            f"Unknown cryptosuite {cryptosuite!r}: use one of {', '.join(eddsa.CRYPTOSUITES)}."
        )
    if "proof" in credential:
        raise CredentialError("Send the credential without a proof: this service signs it.")
    if "credentialStatus" in credential and not sandbox:
        raise CredentialError(
            "Send the credential without credentialStatus: the council keeps its status lists "
            "and adds the entries when it signs."
        )
    council = None if sandbox else client.council
    document = dict(credential)
    award = None if council is None else _award_for_client(client, council, document)
    public_id = uuid.uuid4()
    document.setdefault("id", f"urn:uuid:{public_id}")
    index = allocate_index(council)
    _add_status(
        document, [*_as_list(credential.get("credentialStatus")), *status_entries(council, index)]
    )
    try:
        prepared = vc_issue.prepare(
            document, issuer_id=keystore.issuer_did(council), cryptosuite=cryptosuite
        )
        signed = sign_as_issuer(prepared, council, cryptosuite)
    except vc_issue.InvalidCredentialError as exc:
        raise CredentialError(" ".join(exc.problems)) from exc
    except (JsonLdError, TooComplexError) as exc:
        raise CredentialError(str(exc)) from exc
    issued = IssuedCredential.objects.create(
        public_id=public_id,
        council=council,
        api_client=client,
        strand_code=award.strand_code if award else "",
        level=award.level if award else "",
        document=signed,
        status_index=index,
    )
    name = signed.get("name") if isinstance(signed.get("name"), str) else signed["id"]
    audit_record(
        user=None,
        action=AuditAction.CREDENTIAL_ISSUED,
        organisation=client.council,
        summary=f"{name} (API client {client.name}{', sandbox' if sandbox else ''})",
        request=request,
    )
    return issued


# The one status term a VCDM 1.1 credential needs, inline: the 1.1 base context does not define
# it, and verifiers that hold only the 1.1 and Data Integrity contexts (as the W3C suites do)
# could not load the status context by URL.
STATUS_ENTRY_TERM = {
    "BitstringStatusListEntry": {
        "@id": "https://www.w3.org/ns/credentials/status#BitstringStatusListEntry",
        "@context": {
            "@protected": True,
            "id": "@id",
            "type": "@type",
            "statusListCredential": {
                "@id": "https://www.w3.org/ns/credentials/status#statusListCredential",
                "@type": "@id",
            },
            "statusListIndex": "https://www.w3.org/ns/credentials/status#statusListIndex",
            "statusPurpose": "https://www.w3.org/ns/credentials/status#statusPurpose",
        },
    }
}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _add_status(document: dict[str, Any], entries: list[Any]) -> None:
    """Status entries (after any a sandbox client sent), and for a VCDM 1.1 credential the term
    that defines them."""
    document["credentialStatus"] = entries
    contexts = document.get("@context")
    if isinstance(contexts, list) and CREDENTIALS_V2 not in contexts and STATUS_V1 not in contexts:
        document["@context"] = [*contexts, STATUS_ENTRY_TERM]


def _award_for_client(
    client: ApiClient, council: Organisation, document: dict[str, Any]
) -> badges.Award:
    """The council award the credential claims, if the client may issue it; its wording goes
    into `document` in place of the client's."""
    types = document.get("type")
    if not isinstance(types, list) or "OpenBadgeCredential" not in types:
        raise CredentialPermissionError(
            f"{council.name} issues Skills Passport awards only: send an OpenBadgeCredential."
        )
    subject = document.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    claimed = achievement.get("id") if isinstance(achievement, Mapping) else None
    prefix = f"{settings.SITE_URL}/framework/#achievement-"
    if not isinstance(claimed, str) or not claimed.startswith(prefix):
        raise CredentialPermissionError(
            f"The achievement must be one of {council.name}'s awards ({prefix}<strand>-<level>)."
        )
    strand_code, _, level = claimed.removeprefix(prefix).rpartition("-")
    if f"{strand_code}:{level}" not in client.allowed_awards:
        raise CredentialPermissionError(
            f"This API client may not issue {strand_code} {level}: it is not on its allow-list."
        )
    try:
        award = _award(council, strand_code, level)
    except (KeyError, ValueError) as exc:
        raise CredentialPermissionError(f"{council.name} has no award {claimed}.") from exc
    title = badges.award_title(award)
    document["name"] = title
    document["description"] = f"{council.name} certifies this Skills Passport level."
    document["credentialSubject"] = {
        **subject,  # type: ignore[dict-item]
        "achievement": badges.achievement(settings.SITE_URL, award),
    }
    return award


def credentials_issue_automatically(*, resident: Resident, strand_codes: Iterable[str]) -> int:
    """After levels change: issue credentials for new levels if the council has switched it on."""
    from skillspassport.skills.models import CouncilScheme

    council = resident.organisation.scheme_council
    scheme = CouncilScheme.objects.filter(council=council).first() if council else None
    if scheme is None or not scheme.issue_credentials_automatically:
        return 0
    issued = 0
    for strand_code in strand_codes:
        try:
            credential_issue(resident=resident, strand_code=strand_code)
        except CredentialError:
            continue
        issued += 1
    return issued
