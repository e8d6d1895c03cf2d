"""Issuing, revoking, suspending and rotating keys, checked by verifying the results."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from skillspassport.credentials import keystore
from skillspassport.credentials.models import IssuerKey, StatusList
from skillspassport.credentials.selectors import credential_verify
from skillspassport.credentials.services import (
    CredentialError,
    credential_issue,
    credential_reinstate,
    credential_revoke,
    credential_suspend,
    status_list_credential,
)
from skillspassport.credentials.vc import status_list
from skillspassport.credentials.vc.verifier import Outcome


def test_issued_credential_is_open_badges_3_and_verifies(bronze_resident, adviser, council):
    issued = credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)
    doc = issued.document
    assert doc["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["issuer"]["name"] == council.name
    assert doc["issuer"]["id"] == keystore.council_did(council.pk)
    assert doc["name"] == "Skills Passport Digital: Bronze"
    assert doc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert [s["statusPurpose"] for s in doc["credentialStatus"]] == ["revocation", "suspension"]
    assert "8 skills verified" in doc["evidence"][0]["narrative"]
    result = credential_verify(doc)
    assert result.outcome is Outcome.VALID, result.errors


def test_nothing_personal_is_in_the_credential(bronze_resident, adviser):
    doc = credential_issue(resident=bronze_resident, strand_code="digital", user=adviser).document
    text = json.dumps(doc).lower()
    for personal in (
        bronze_resident.email,
        bronze_resident.first_name,
        bronze_resident.last_name,
        bronze_resident.postcode,
        bronze_resident.date_of_birth.isoformat(),
        str(bronze_resident.public_id),
    ):
        assert personal.lower() not in text
    identifier = doc["credentialSubject"]["identifier"][0]
    assert identifier["hashed"] is True
    assert identifier["identityHash"].startswith("sha256$")


def test_no_level_no_credential_and_no_duplicates(bronze_resident, adviser):
    with pytest.raises(CredentialError, match="no level in that strand"):
        credential_issue(resident=bronze_resident, strand_code="numeracy", user=adviser)
    credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)
    with pytest.raises(CredentialError, match="already been issued"):
        credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)


def test_revoke_suspend_and_reinstate_show_in_verification(bronze_resident, adviser, staff):
    issued = credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)
    admin = staff["administrator"]
    credential_suspend(user=admin, credential=issued, reason="Checking evidence")
    assert credential_verify(issued.document).outcome is Outcome.SUSPENDED
    credential_reinstate(user=admin, credential=issued)
    assert credential_verify(issued.document).outcome is Outcome.VALID
    with pytest.raises(CredentialError, match="reason"):
        credential_revoke(user=admin, credential=issued, reason="  ")
    credential_revoke(user=admin, credential=issued, reason="Issued in error")
    result = credential_verify(issued.document)
    assert result.outcome is Outcome.REVOKED
    assert result.errors == ["The issuer has revoked this credential."]
    # The published list says so too.
    listed = status_list_credential(issued.council, "revocation")
    bits = status_list.decode(listed["credentialSubject"]["encodedList"])
    assert status_list.bit_is_set(bits, issued.status_index)
    assert credential_verify(listed).outcome is Outcome.VALID


def test_credentials_signed_by_a_rotated_key_still_verify(bronze_resident, adviser, council):
    old = credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)
    new_key = keystore.issuer_key_rotate(council)
    assert IssuerKey.objects.filter(council=council).count() == 2
    assert old.document["proof"]["verificationMethod"] != keystore.verification_method(new_key)
    assert credential_verify(old.document).verified


def test_expiry_and_tampering(bronze_resident, adviser):
    issued = credential_issue(
        resident=bronze_resident,
        strand_code="digital",
        user=adviser,
        valid_until=timezone.now() + timedelta(days=365),
    )
    assert "validUntil" in issued.document
    changed = copy.deepcopy(issued.document)
    changed["credentialSubject"]["achievement"]["name"] = "Skills Passport Digital: Gold"
    result = credential_verify(changed)
    assert result.outcome is Outcome.TAMPERED
    with pytest.raises(CredentialError, match="future"):
        credential_issue(
            resident=bronze_resident,
            strand_code="overall",
            user=adviser,
            valid_until=timezone.now() - timedelta(days=1),
        )


def test_private_keys_are_encrypted_at_rest(bronze_resident, adviser, council, settings):
    credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)
    key = IssuerKey.objects.get(council=council)
    assert key.private_encrypted.startswith("gAAAAA")  # a Fernet token, not a key
    assert key.public_multikey.startswith("z6Mk")
    settings.CREDENTIAL_KEY_SECRET = "a different secret"
    with pytest.raises(keystore.KeyStoreError, match="CREDENTIAL_KEY_SECRET"):
        keystore.private_key(key)


def test_status_indexes_are_unique_per_council(council, adviser, bronze_resident):
    first = credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)
    assert first.status_index == 0
    assert StatusList.objects.get(council=council, purpose="revocation").next_index == 1


def test_council_can_switch_on_automatic_issuing(council, adviser):
    from datetime import date

    from skillspassport.credentials.models import IssuedCredential
    from skillspassport.people.tests.factories import ResidentFactory
    from skillspassport.skills.models import CouncilScheme, Descriptor, LevelRuleSet
    from skillspassport.skills.services import evidence_record

    CouncilScheme.objects.create(
        council=council,
        rule_set=LevelRuleSet.objects.get(name="default"),
        issue_credentials_automatically=True,
    )
    resident = ResidentFactory(organisation=council, user=adviser)
    evidence_record(
        user=adviser,
        resident=resident,
        descriptors=Descriptor.objects.filter(level__code="foundation"),
        method="qualification",
        shown_on=date(2026, 10, 1),
    )
    issued = IssuedCredential.objects.get(resident=resident)
    assert (issued.strand_code, issued.level, issued.issued_by) == ("digital", "bronze", None)
    assert credential_verify(issued.document).verified


def test_automatic_issuing_is_off_by_default(bronze_resident):
    from skillspassport.credentials.models import IssuedCredential

    assert not IssuedCredential.objects.filter(resident=bronze_resident).exists()


def test_rotate_issuer_key_command(council, bronze_resident, adviser, capsys):
    from django.core.management import CommandError, call_command

    old = credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)
    call_command("rotate_issuer_key", council=council.name)
    assert "now signs with did:web:" in capsys.readouterr().out
    assert IssuerKey.objects.filter(council=council, retired_at=None).count() == 1
    assert credential_verify(old.document).verified
    with pytest.raises(CommandError):
        call_command("rotate_issuer_key", council="Nowhere")


def test_suspension_and_revocation_reasons_stay_out_of_the_audit_log(
    bronze_resident, adviser, staff
):
    from skillspassport.audit.models import AuditEvent

    issued = credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)
    admin = staff["administrator"]
    credential_suspend(user=admin, credential=issued, reason="Told us about her Crohn's")
    credential_reinstate(user=admin, credential=issued)
    credential_revoke(user=admin, credential=issued, reason="Moved in with Jo Bloggs")
    summaries = " ".join(AuditEvent.objects.values_list("summary", flat=True))
    assert "Crohn" not in summaries
    assert "Bloggs" not in summaries
    issued.refresh_from_db()
    assert issued.revocation_reason == "Moved in with Jo Bloggs"  # kept where erasure reaches it
