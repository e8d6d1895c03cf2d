"""The VC Data Model's rules on the JSON of a credential or presentation, as plain-English reasons.

An issuer must refuse, and a verifier reject, a document that breaks them. `credential_problems`
and `presentation_problems` return every reason found (an empty list when there is none). They
look only at the JSON; what needs JSON-LD processing (contexts this service does not hold,
undefined or redefined terms, types that are not IRIs) is refused by canonicalisation, and
proofs by the cryptosuite.

A document whose first context is the VCDM 1.1 one (https://www.w3.org/2018/credentials/v1)
is held to the 1.1 rules (issuanceDate and expirationDate; credentialStatus, credentialSchema
and refreshService each need an id). Any other is held to VCDM 2.0.

The rules, and the tests of the W3C vc-data-model-2.0-test-suite (tests/*.js) each answers:

- @context present, its first item the base context, the rest URLs or objects
  (4.03-contexts: "MUST include a @context property", "first item is a URL with the value
  https://www.w3.org/ns/credentials/v2", "Subsequent items ... any combination of URLs and/or
  objects"; combo3 "https ://not-a-url", combo4 a number; the same for presentations;
  1.03-conformance: "MUST produce errors when non-conforming documents are detected").
- type present, including VerifiableCredential / VerifiablePresentation, every value a
  non-empty string (4.05-types: "MUST contain a type property", "one or more terms and/or
  absolute URL strings", "Verifiable Credential objects MUST have a type specified",
  "Verifiable Presentation objects MUST have a type specified"; 4.13 "One value of this
  property MUST be VerifiablePresentation").
- id, where present, a single URL (4.04-identifiers: credential-id-not-url, -multi,
  -nonidentifier, -subject-multi; 4.13 "If [the id field is] present ... Identifiers").
- issuer present, a URL or an object whose id is a URL (4.07-issuer: "MUST have an issuer
  property", issuer-no-url, -null, -object-id-null, -object-id-no-url).
- credentialSubject present: an object or a non-empty list of objects, each with at least one
  claim (4.08-credential-subject: no-subject, subject-no-claims, subject-multiple-empty).
- validFrom and validUntil XML Schema dateTimeStamps (with a time zone), validFrom no later
  than validUntil (4.09-validity-period: validfrom-invalid, validuntil-invalid, and
  testTemporality's validUntil-validFrom-fail).
- credentialStatus, evidence, termsOfUse, refreshService, credentialSchema, confidenceMethod
  and renderMethod: objects, each with a type of strings, and any id a single URL; a
  credentialSchema's id is required (4.05-types: "`credentialStatus` / `termsOfUse` /
  `evidence` / `refreshService` / `credentialSchema` objects MUST have a type specified";
  4.10-status: status-missing-type, status-type-nonurl (a number), status-multiple-id,
  status-nonurl-id; 4.11-data-schemas: schema-no-type, schema-no-id, schema-non-url-id;
  5-advanced-concepts: "Each refreshService value MUST specify its type", "Each termsOfUse
  value MUST specify its type"). confidenceMethod and renderMethod are held to the same rule
  as VCDM 2.0 §5.8 and §5.12 ask of their values.
- name and description, on the credential and on an issuer object, each a string or language
  value objects with @value and only @language and @direction besides (4.06-names-and-
  descriptions: the "-extra-prop-en-fail" inputs).
- relatedResource: objects, not strings, each with a URL id unique among them and a digestSRI
  or digestMultibase of the right form; for a resource whose digest VCDM 2.0 publishes (the
  base context, §B.1), a SHA-256 digest must match it (5-advanced-concepts: "MUST be one or
  more objects", "The identifier for the resource is REQUIRED", "MUST be unique", "MUST
  contain at least a digestSRI or a digestMultibase value", "If the digest provided by the
  issuer does not match ... MUST produce an error").
- A presentation's holder, where present, a URL or an object whose id is a URL; its
  verifiableCredential objects, never strings, and an enveloped one typed
  EnvelopedVerifiableCredential with a data: URL id (4.13-verifiable-presentations: "If
  present (holder) ...", "the values MUST NOT be non-object values"; 4.13.2-envelopes).

Not checked here: what needs JSON-LD processing (4.05 type-unmapped and type-mapped-nonurl,
5-advanced-concepts redef-type, 4.03 context URLs this service does not hold, all refused by
canon.py), and a sha384 or sha512 digest of a related resource, which cannot be checked
without fetching it.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import base58

from skillspassport.credentials.vc.contexts import CREDENTIALS_V1, CREDENTIALS_V2

# An absolute URL: a scheme, a colon, and no white space (did:, urn:, https:, data: ...).
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
_DATETIME = re.compile(r"^-?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(?P<zone>Z|[+-]\d\d:\d\d)?$")
_SRI = re.compile(r"^(?P<alg>sha256|sha384|sha512)-(?P<digest>[A-Za-z0-9+/]+={0,2})$")
_DIGEST_BYTES = {"sha256": 32, "sha384": 48, "sha512": 64}
# VCDM 2.0 §B.1 publishes the SHA-256 digest of the base context file.
PUBLISHED_SHA256 = {
    CREDENTIALS_V2: "24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9",
}
_TYPED = ("credentialStatus", "evidence", "termsOfUse", "refreshService", "credentialSchema")
_TYPED_V2 = ("confidenceMethod", "renderMethod")
_ID_REQUIRED_V1 = ("credentialStatus", "credentialSchema", "refreshService")


def is_url(value: Any) -> bool:
    return isinstance(value, str) and _URL.match(value) is not None


def parse_datetime(value: Any, *, zone_required: bool = True) -> datetime | None:
    """An XML Schema dateTimeStamp (dateTime with a zone), or None; without `zone_required`
    a dateTime with no zone is read as UTC, as VCDM 1.1 and Data Integrity allow."""
    if not isinstance(value, str):
        return None
    match = _DATETIME.match(value)
    if match is None or (zone_required and not match["zone"]):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def credential_problems(doc: Any) -> list[str]:
    """Every way `doc` is not a verifiable credential the data model allows."""
    if not isinstance(doc, Mapping):
        return ["A credential must be a JSON object."]
    problems = _context_problems(doc)
    v1 = _is_v1(doc)
    types = doc.get("type")
    if "type" not in doc:
        problems.append("The credential has no type; it must include VerifiableCredential.")
    elif not _is_type_value(types):
        problems.append("The type must be a string or a list of strings.")
    elif "VerifiableCredential" not in _as_list(types):
        problems.append("The type must include VerifiableCredential.")
    problems += _id_problems(doc, "The credential's")
    problems += _issuer_problems(doc)
    problems += _subject_problems(doc.get("credentialSubject"), "credentialSubject" in doc)
    problems += _date_problems(doc, v1=v1)
    for key in _TYPED if v1 else _TYPED + _TYPED_V2:
        if key in doc:
            problems += _typed_problems(
                key,
                doc[key],
                id_required=key == "credentialSchema" or (v1 and key in _ID_REQUIRED_V1),
            )
    if not v1:
        for key in ("name", "description"):
            if key in doc and not _is_language_values(doc[key]):
                problems.append(_language_problem(key))
        if "relatedResource" in doc:
            problems += _related_resource_problems(doc["relatedResource"])
    return problems


def presentation_problems(doc: Any) -> list[str]:
    """Every way `doc` is not a verifiable presentation the data model allows.

    The credentials in it are checked one by one when they are verified; here only their form.
    """
    if not isinstance(doc, Mapping):
        return ["A presentation must be a JSON object."]
    problems = _context_problems(doc)
    types = doc.get("type")
    if "type" not in doc:
        problems.append("The presentation has no type; it must include VerifiablePresentation.")
    elif not _is_type_value(types):
        problems.append("The type must be a string or a list of strings.")
    elif "VerifiablePresentation" not in _as_list(types):
        problems.append("The type must include VerifiablePresentation.")
    problems += _id_problems(doc, "The presentation's")
    if "holder" in doc:
        holder = doc["holder"]
        holder_id = holder.get("id") if isinstance(holder, Mapping) else holder
        if not is_url(holder_id):
            problems.append("The holder must be a URL, or an object whose id is a URL.")
    if "verifiableCredential" in doc:
        for index, item in enumerate(_as_list(doc["verifiableCredential"]), start=1):
            if not isinstance(item, Mapping):
                problems.append(
                    f"Credential {index} in the presentation is not a JSON object (a credential "
                    "as a string or URL is not allowed)."
                )
            elif is_enveloped(item):
                problems += [f"Credential {index}: {p}" for p in _envelope_problems(item)]
    return problems


def is_enveloped(item: Mapping[str, Any]) -> bool:
    """An EnvelopedVerifiableCredential: a credential secured as a whole (JOSE, COSE) in a
    data: URL, rather than with an embedded proof. Shapes without a type count, by their id."""
    types = _as_list(item.get("type"))
    return "EnvelopedVerifiableCredential" in types or (
        "VerifiableCredential" not in types and str(item.get("id", "")).startswith("data:")
    )


def _envelope_problems(item: Mapping[str, Any]) -> list[str]:
    problems = []
    if "EnvelopedVerifiableCredential" not in _as_list(item.get("type")):
        problems.append("An enveloped credential's type must be EnvelopedVerifiableCredential.")
    if not (isinstance(item.get("id"), str) and re.match(r"^data:[^,]*,.", item["id"])):
        problems.append("An enveloped credential's id must be a data: URL holding it.")
    if CREDENTIALS_V2 not in _as_list(item.get("@context")):
        problems.append(f"An enveloped credential's @context must include {CREDENTIALS_V2}.")
    return problems


def _is_v1(doc: Mapping[str, Any]) -> bool:
    contexts = _as_list(doc.get("@context"))
    return bool(contexts) and contexts[0] == CREDENTIALS_V1


def _context_problems(doc: Mapping[str, Any]) -> list[str]:
    if "@context" not in doc:
        return [f"The document has no @context; its first must be {CREDENTIALS_V2}."]
    contexts = _as_list(doc["@context"])
    problems = []
    if not contexts or contexts[0] not in (CREDENTIALS_V2, CREDENTIALS_V1):
        problems.append(
            f"The first @context must be {CREDENTIALS_V2} (or {CREDENTIALS_V1} for VCDM 1.1)."
        )
    for item in contexts[1:]:
        if not (is_url(item) or isinstance(item, Mapping)):
            problems.append(
                f"Each @context after the first must be a URL or an object, not {item!r}."
            )
    return problems


def _id_problems(doc: Mapping[str, Any], whose: str) -> list[str]:
    if "id" in doc and not is_url(doc["id"]):
        return [f"{whose} id must be a single URL, not {doc['id']!r}."]
    return []


def _issuer_problems(doc: Mapping[str, Any]) -> list[str]:
    if "issuer" not in doc:
        return ["The credential names no issuer."]
    issuer = doc["issuer"]
    if isinstance(issuer, Mapping):
        problems = [] if is_url(issuer.get("id")) else ["The issuer's id must be a URL."]
        if not _is_v1(doc):
            for key in ("name", "description"):
                if key in issuer and not _is_language_values(issuer[key]):
                    problems.append(_language_problem(f"The issuer's {key}"))
        return problems
    if not is_url(issuer):
        return ["The issuer must be a URL, or an object whose id is a URL."]
    return []


def _subject_problems(subject: Any, present: bool) -> list[str]:
    if not present:
        return ["The credential has no credentialSubject."]
    subjects = _as_list(subject)
    if not subjects:
        return ["The credentialSubject list is empty."]
    problems = []
    for item in subjects:
        if not isinstance(item, Mapping):
            problems.append("Each credentialSubject must be a JSON object.")
        elif not item:
            problems.append("A credentialSubject makes no claims (it is an empty object).")
        elif "id" in item and not is_url(item["id"]):
            problems.append("A credentialSubject's id must be a single URL.")
    return problems


def _date_problems(doc: Mapping[str, Any], *, v1: bool) -> list[str]:
    if v1:
        start, end, zone_required = "issuanceDate", "expirationDate", False
    else:
        start, end, zone_required = "validFrom", "validUntil", True
    problems = []
    if v1 and start not in doc:
        problems.append("A VCDM 1.1 credential must have an issuanceDate.")
    parsed = {}
    for key in (start, end):
        if key in doc:
            parsed[key] = parse_datetime(doc[key], zone_required=zone_required)
            if parsed[key] is None:
                problems.append(
                    f"{key} is not a date and time"
                    + (" with a time zone" if zone_required else "")
                    + f" (XML Schema), such as 2026-01-31T09:00:00Z: {doc[key]!r}."
                )
    begins, ends = parsed.get(start), parsed.get(end)
    if begins is not None and ends is not None and begins > ends:
        problems.append(f"{end} ({doc[end]}) is earlier than {start} ({doc[start]}).")
    return problems


def _typed_problems(key: str, value: Any, *, id_required: bool) -> list[str]:
    items = _as_list(value)
    if not items:
        return [f"{key} is an empty list."]
    problems = []
    for item in items:
        if not isinstance(item, Mapping):
            problems.append(f"Each {key} must be a JSON object.")
            continue
        if "type" not in item:
            problems.append(f"Each {key} must have a type.")
        elif not _is_type_value(item["type"]):
            problems.append(f"A {key} type must be a string or a list of strings.")
        if "id" in item or id_required:
            if "id" not in item:
                problems.append(f"Each {key} must have an id.")
            elif not is_url(item["id"]):
                problems.append(f"A {key} id must be a single URL, not {item['id']!r}.")
    return problems


def _related_resource_problems(value: Any) -> list[str]:
    items = _as_list(value)
    problems: list[str] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, Mapping):
            problems.append("Each relatedResource must be a JSON object, not a string or URL.")
            continue
        resource = item.get("id")
        if not isinstance(resource, str) or not is_url(resource):
            problems.append("Each relatedResource must have an id that is a URL.")
        elif resource in seen:
            problems.append(f"The relatedResource {resource} is listed more than once.")
        else:
            seen.add(resource)
        if "digestSRI" not in item and "digestMultibase" not in item:
            problems.append(f"The relatedResource {resource} has no digestSRI or digestMultibase.")
        digests = []
        for sri in _as_list(item.get("digestSRI", [])):
            found = _sri_digest(sri)
            if found is None:
                problems.append(
                    f"The digestSRI of {resource} is not a sha256, sha384 or sha512 digest."
                )
            else:
                digests.append(found)
        for multibase in _as_list(item.get("digestMultibase", [])):
            found = _multibase_digest(multibase)
            if found is None:
                problems.append(f"The digestMultibase of {resource} is not a multibase digest.")
            else:
                digests.append(found)
        published = PUBLISHED_SHA256.get(resource) if isinstance(resource, str) else None
        for algorithm, digest in digests:
            if published and algorithm == "sha256" and digest.hex() != published:
                problems.append(
                    f"The digest given for {resource} does not match the resource's own."
                )
    return problems


def _sri_digest(value: Any) -> tuple[str, bytes] | None:
    match = _SRI.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        digest = base64.b64decode(match["digest"], validate=True)
    except binascii.Error:
        return None
    if len(digest) != _DIGEST_BYTES[match["alg"]]:
        return None
    return match["alg"], digest


def _multibase_digest(value: Any) -> tuple[str, bytes] | None:
    """A digest as multibase base64url ("u") or base58btc ("z"): a raw SHA-256 digest, or a
    multihash of one (sha2-256 0x12, sha2-384 0x20, sha2-512 0x13)."""
    if not isinstance(value, str) or len(value) < 2:
        return None
    try:
        if value[0] == "u" and re.fullmatch(r"[A-Za-z0-9_\-]+", value[1:]):
            raw = base64.urlsafe_b64decode(value[1:] + "=" * (-len(value[1:]) % 4))
        elif value[0] == "z":
            raw = base58.b58decode(value[1:])
        else:
            return None
    except ValueError:
        return None
    if len(raw) == 32:
        return "sha256", raw
    multihash = {0x12: ("sha256", 32), 0x20: ("sha384", 48), 0x13: ("sha512", 64)}
    if len(raw) >= 2 and raw[0] in multihash and raw[1] == multihash[raw[0]][1] == len(raw) - 2:
        return multihash[raw[0]][0], raw[2:]
    return None


def _is_type_value(value: Any) -> bool:
    items = _as_list(value)
    return bool(items) and all(isinstance(t, str) and t for t in items)


def _is_language_values(value: Any) -> bool:
    items = _as_list(value)
    return bool(items) and all(_is_language_value(item) for item in items)


def _is_language_value(item: Any) -> bool:
    if isinstance(item, str):
        return True
    return (
        isinstance(item, Mapping)
        and isinstance(item.get("@value"), str)
        and set(item) <= {"@value", "@language", "@direction"}
        and isinstance(item.get("@language", ""), str)
        and item.get("@direction", "ltr") in ("ltr", "rtl")
    )


def _language_problem(what: str) -> str:
    return (
        f"{what[0].upper()}{what[1:]} must be a string, or language value objects with "
        "@value and only @language and @direction besides."
    )


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
