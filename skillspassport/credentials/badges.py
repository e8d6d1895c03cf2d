"""The Open Badges 3.0 credential for a passport level, as an unsigned JSON-LD document.

Pure functions: the caller gathers the facts (names, rules, evidence counts) and signs.
Nothing personal goes in: the resident appears only as a salted hash, and the evidence as a
summary of how many skills were verified and how.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from skillspassport.credentials.vc.contexts import CREDENTIALS_V2, OPEN_BADGES_V3

OVERALL = "overall"


@dataclass(frozen=True)
class Award:
    strand_code: str  # a strand code, or "overall"
    strand_name: str
    level: str  # bronze / silver / gold
    level_name: str
    criteria: Sequence[str]  # plain-English requirements, lowest award first
    framework_code: str


@dataclass(frozen=True)
class EvidenceSummary:
    count: int
    by_method: Mapping[str, int]  # method label -> count
    first_shown: date | None
    last_shown: date | None


def identity_hash(identity: str, salt: str) -> str:
    """Open Badges `identityHash`: "sha256$" + hex SHA-256 of the identity followed by the salt."""
    return "sha256$" + hashlib.sha256((identity + salt).encode()).hexdigest()


def identity_matches(credential: Mapping[str, Any], *, email: str) -> bool | None:
    """Whether `email` is the one the credential was issued to: compared with each salted
    emailAddress IdentityObject's hash. None when the credential holds no such identity."""
    subject = credential.get("credentialSubject")
    identifiers = subject.get("identifier") if isinstance(subject, Mapping) else None
    if isinstance(identifiers, Mapping):
        identifiers = [identifiers]
    if not isinstance(identifiers, list):
        return None
    candidates = [
        item
        for item in identifiers
        if isinstance(item, Mapping)
        and item.get("identityType") == "emailAddress"
        and item.get("hashed") is True
        and isinstance(item.get("salt"), str)
        and isinstance(item.get("identityHash"), str)
    ]
    if not candidates:
        return None
    wanted = email.strip().casefold()
    return any(
        hmac.compare_digest(identity_hash(wanted, item["salt"]), item["identityHash"])
        for item in candidates
    )


def achievement_id(site_url: str, award: Award) -> str:
    return f"{site_url}/framework/#achievement-{award.strand_code}-{award.level}"


def award_title(award: Award) -> str:
    if award.strand_code == OVERALL:
        return f"Skills Passport {award.level_name}"
    return f"Skills Passport {award.strand_name}: {award.level_name}"


def achievement(site_url: str, award: Award) -> dict[str, Any]:
    """The Open Badges Achievement for an award, in the council's own words."""
    title = award_title(award)
    strand = f" {award.strand_name.lower()} strand" if award.strand_code != OVERALL else ""
    return {
        "id": achievement_id(site_url, award),
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": title,
        "description": (
            f"{award.level_name} in the Skills Passport{strand} (framework {award.framework_code})."
        ),
        "criteria": {"narrative": " ".join(award.criteria)},
    }


def _evidence_narrative(evidence: EvidenceSummary, award: Award) -> str:
    methods = ", ".join(f"{label.lower()} {n}" for label, n in sorted(evidence.by_method.items()))
    when = ""
    if evidence.first_shown and evidence.last_shown:
        when = (
            f" Shown between {evidence.first_shown:%B %Y} and {evidence.last_shown:%B %Y}."
            if evidence.first_shown.strftime("%Y%m") != evidence.last_shown.strftime("%Y%m")
            else f" Shown in {evidence.last_shown:%B %Y}."
        )
    skills = "skill" if evidence.count == 1 else "skills"
    return (
        f"{evidence.count} {skills} verified by a tutor or adviser ({methods}), against the "
        f"Skills Passport framework {award.framework_code}.{when}"
    )


def build(
    *,
    credential_id: str,
    site_url: str,
    issuer_id: str,
    issuer_name: str,
    award: Award,
    identity: str,
    identity_type: str,
    salt: str,
    evidence: EvidenceSummary,
    status_entries: Sequence[Mapping[str, Any]],
    valid_from: datetime,
    valid_until: datetime | None = None,
) -> dict[str, Any]:
    title = award_title(award)
    document: dict[str, Any] = {
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name, "url": site_url},
        "validFrom": _iso(valid_from),
        "name": title,
        "description": f"{issuer_name} certifies this Skills Passport level.",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(identity, salt),
                    "identityType": identity_type,
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "achievement": achievement(site_url, award),
        },
        "evidence": [
            {
                "type": ["Evidence"],
                "name": "Verified skills",
                "narrative": _evidence_narrative(evidence, award),
            }
        ],
        "credentialStatus": list(status_entries),
    }
    if valid_until is not None:
        document["validUntil"] = _iso(valid_until)
    return document


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
