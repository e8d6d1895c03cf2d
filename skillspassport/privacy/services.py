"""Writes for data-subject rights: rectification history, subject access exports (audited),
erasure by anonymisation, and applying retention rules.

Erasure never deletes a row: protected foreign keys refuse that, and the figures reported to
councillors are counted from the rows. It replaces what identifies the person and keeps the
non-identifying facts the figures are counted from. See docs/adr/0013-data-subject-rights.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.background.models import Notification
from skillspassport.credentials.models import ERASURE_REVOCATION_REASON, IssuedCredential
from skillspassport.credentials.services import credential_revoke
from skillspassport.employers.models import Referral, SustainmentCheck
from skillspassport.people.matching import fold
from skillspassport.people.models import ConsentRecord, Resident
from skillspassport.people.selectors import email_key, name_key, phone_key
from skillspassport.privacy import retention
from skillspassport.privacy.analytics.generalise import generalised_birth_date
from skillspassport.privacy.models import (
    Erasure,
    ErasureReason,
    ResidentRevision,
    RetentionRule,
)
from skillspassport.privacy.selectors import resident_reference
from skillspassport.privacy.subject_access import SubjectAccessExport, subject_access_build
from skillspassport.skills.models import Evidence
from skillspassport.support.models import BudgetDecision, BudgetSpend, Case, CaseNote, Device, Goal
from skillspassport.training.models import Enrolment

ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "resident"
# Stands in for free text that a form requires (a goal, a note, a spend's description).
ERASED_TEXT = "(erased)"
REVOCATION_REASON = ERASURE_REVOCATION_REASON


class ErasureError(ValueError):
    """The erasure cannot go ahead; the message says why."""


# --- Rectification --------------------------------------------------------------------------


def _as_text(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def revision_record(
    *, resident: Resident, user: User | None, previous: Mapping[str, Any]
) -> ResidentRevision | None:
    """Keep the values `resident` had before a change (called inside the change's transaction
    by `people.services.resident_update`). Nothing is kept when nothing changed."""
    if not previous:
        return None
    return ResidentRevision.objects.create(
        resident=resident,
        changed_by=user if user is not None and user.is_authenticated else None,
        fields=sorted(previous),
        previous={name: _as_text(value) for name, value in sorted(previous.items())},
    )


# --- Subject access --------------------------------------------------------------------------


def subject_access_export(
    *, user: User | None, resident: Resident, file_format: str, request: Any = None
) -> SubjectAccessExport:
    """Everything held about `resident`, with an audit event naming the format."""
    export = subject_access_build(resident=resident)
    audit_record(
        user=user,
        action=AuditAction.SUBJECT_ACCESS_EXPORTED,
        resident=resident,
        summary=f"Subject access export ({file_format})",
        request=request,
    )
    return export


# --- Erasure ---------------------------------------------------------------------------------


def _revoke_credentials(resident: Resident, user: User | None, request: Any) -> int:
    revoked = 0
    for credential in IssuedCredential.objects.filter(resident=resident, revoked_at__isnull=True):
        # Through the revocation service, so the status list is flipped and re-signed.
        credential_revoke(
            user=cast(User, user), credential=credential, reason=REVOCATION_REASON, request=request
        )
        revoked += 1
    # The stored copy keeps the award and dates but no longer the hashed email it was issued
    # to; share links stop working.
    for credential in IssuedCredential.objects.filter(resident=resident):
        document = dict(credential.document)
        subject = dict(document.get("credentialSubject") or {})
        if "identifier" in subject:
            subject["identifier"] = []
            document["credentialSubject"] = subject
        credential.document = document
        credential.share_token = None
        credential.share_withdraw_token = None
        credential.revocation_reason = REVOCATION_REASON
        credential.suspension_reason = ""
        credential.save(
            update_fields=[
                "document",
                "share_token",
                "share_withdraw_token",
                "revocation_reason",
                "suspension_reason",
            ]
        )
    return revoked


def _withdraw_consents(resident: Resident, user: User | None, request: Any) -> int:
    from skillspassport.people.services import consent_withdraw

    withdrawn = 0
    for record in ConsentRecord.objects.active().filter(resident=resident):
        consent_withdraw(
            user=cast(User, user), resident=resident, consent_id=record.pk, request=request
        )
        withdrawn += 1
    return withdrawn


def _remove_receipts(resident: Resident) -> None:
    names = [
        name
        for name in BudgetSpend.objects.filter(ledger__resident=resident)
        .exclude(receipt="")
        .values_list("receipt", flat=True)
        if name
    ]
    BudgetSpend.objects.filter(ledger__resident=resident).update(
        receipt="", receipt_type="", description=ERASED_TEXT, decision_note=""
    )
    BudgetDecision.objects.filter(spend__ledger__resident=resident).update(note="")

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    # Files are not in the transaction: remove them only once the rows no longer name them.
    transaction.on_commit(delete_files)


def _anonymise(resident: Resident) -> None:
    # Messages sent to the resident (their share link) hold their address, now or earlier.
    addresses = {resident.email} | {
        str(previous.get("email") or "")
        for previous in ResidentRevision.objects.filter(resident=resident).values_list(
            "previous", flat=True
        )
        if isinstance(previous, dict)
    }
    for address in addresses - {""}:
        Notification.objects.filter(to__iexact=address).update(
            to=ERASED_NOTIFICATION_ADDRESS, subject=ERASED_TEXT, body=ERASED_TEXT
        )
    Resident.objects.filter(pk=resident.pk).update(
        first_name=ERASED_FIRST_NAME,
        last_name=ERASED_LAST_NAME,
        date_of_birth=generalised_birth_date(resident.date_of_birth),
        email="",
        phone="",
        address_line_1="",
        address_line_2="",
        town="",
        postcode="",
        name_key=name_key(ERASED_FIRST_NAME, ERASED_LAST_NAME),
        last_name_key=fold(ERASED_LAST_NAME).replace(" ", ""),
        email_key=email_key(""),
        phone_key=phone_key(""),
        duplicate_override_reason="",
        outside_area_reason="",
        updated_at=timezone.now(),
    )
    ResidentRevision.objects.filter(resident=resident).update(previous={})
    ConsentRecord.objects.filter(resident=resident).update(
        note="", withdrawal_reason="", guardian_name="", guardian_relationship=""
    )
    Evidence.objects.filter(resident=resident).update(note="", withdrawal_reason="")
    Referral.objects.filter(resident=resident).update(note="", withdrawal_reason="", closed_note="")
    SustainmentCheck.objects.filter(job_start__resident=resident).update(note="")
    Enrolment.objects.filter(resident=resident).update(
        withdrawal_reason="", non_completion_reason=""
    )
    Case.objects.filter(resident=resident).update(referral_contact="")
    Goal.objects.filter(case__resident=resident).update(text=ERASED_TEXT)
    # Case notes refuse changes through their own manager; erasure is the one exception.
    CaseNote._base_manager.filter(case__resident=resident).update(text=ERASED_TEXT)
    Device.objects.filter(case__resident=resident).update(serial=ERASED_TEXT, condition="")
    _remove_receipts(resident)


ERASED_NOTIFICATION_ADDRESS = "erased@erased.invalid"


@dataclass(frozen=True)
class ErasureResult:
    erasure: Erasure
    credentials_revoked: int
    consents_withdrawn: int


@transaction.atomic
def resident_erase(
    *,
    user: User | None,
    resident: Resident,
    confirmation: str,
    reason: ErasureReason = ErasureReason.REQUEST,
    rule: RetentionRule | None = None,
    request: Any = None,
) -> ErasureResult:
    """Anonymise `resident` for good. `confirmation` must be their reference
    (`resident_reference`). `user` is None only for a scheduled retention run."""
    locked = Resident.objects.select_for_update().select_related("organisation").get(pk=resident.pk)
    if Erasure.objects.filter(resident=locked).exists():
        raise ErasureError("This resident's record has already been erased.")
    if " ".join(confirmation.split()).upper() != resident_reference(locked.public_id):
        raise ErasureError("Type the resident's reference exactly as shown to confirm the erasure.")
    if reason == ErasureReason.RETENTION and rule is None:
        raise ErasureError("An erasure under a retention rule must name the rule.")
    revoked = _revoke_credentials(locked, user, request)
    withdrawn = _withdraw_consents(locked, user, request)
    _anonymise(locked)
    erasure = Erasure.objects.create(
        resident=locked,
        erased_by=user if user is not None and user.is_authenticated else None,
        reason=reason,
        rule=rule,
    )
    summary = (
        "Anonymised at the resident's request"
        if reason == ErasureReason.REQUEST
        else f"Anonymised under retention rule {rule.pk} ({rule.years} years)"  # type: ignore[union-attr]
    )
    audit_record(
        user=user,
        action=AuditAction.RESIDENT_ERASED,
        resident=locked,
        summary=f"{summary}; {revoked} credentials revoked, {withdrawn} consents withdrawn",
        request=request,
    )
    return ErasureResult(erasure, revoked, withdrawn)


# --- Retention -------------------------------------------------------------------------------


@dataclass
class RetentionOutcome:
    rule: RetentionRule
    candidates: list[retention.Candidate]
    erased: int = 0


def retention_apply(
    *,
    user: User | None,
    rules: Iterable[RetentionRule],
    dry_run: bool,
    only: set[str] | None = None,
    request: Any = None,
    on_erased: Callable[[RetentionRule], object] | None = None,
) -> list[RetentionOutcome]:
    """Apply each rule (or, with `dry_run`, only say what it would do).

    `only` limits a run to residents (public ids as text) a person saw in a dry run, so the
    app never erases more than it listed. Each erasure is its own transaction; the rule's
    audit event counts what was done.
    """
    outcomes = []
    now = timezone.now()
    for rule in rules:
        candidates = retention.candidates_for(rule=rule, now=now)
        if only is not None:
            candidates = [c for c in candidates if c.public_id in only]
        outcome = RetentionOutcome(rule, candidates)
        if not dry_run:
            for candidate in candidates:
                resident = Resident.objects.get(pk=candidate.resident_id)
                try:
                    resident_erase(
                        user=user,
                        resident=resident,
                        confirmation=resident_reference(resident.public_id),
                        reason=ErasureReason.RETENTION,
                        rule=rule,
                        request=request,
                    )
                except ErasureError:  # erased by someone else since the list was made
                    continue
                outcome.erased += 1
                if on_erased is not None:
                    on_erased(rule)
            RetentionRule.objects.filter(pk=rule.pk).update(last_applied_at=timezone.now())
            audit_record(
                user=user,
                action=AuditAction.RETENTION_APPLIED,
                organisation=rule.council,
                summary=f"Rule {rule.pk} ({rule}): {outcome.erased} residents anonymised",
                request=request,
            )
        outcomes.append(outcome)
    return outcomes


@transaction.atomic
def retention_rule_save(
    *,
    user: User,
    council: Organisation,
    rule: RetentionRule | None,
    scope: str,
    years: int,
    active: bool,
    request: Any = None,
) -> RetentionRule:
    """Create or change one of a council's retention rules, audited with before/after."""
    before: dict[str, object] = {}
    if rule is None:
        rule = RetentionRule(council=council, created_by=user)
    else:
        rule = RetentionRule.objects.select_for_update().get(pk=rule.pk, council=council)
        before = {"scope": rule.scope, "years": rule.years, "active": rule.active}
    rule.scope, rule.years, rule.active = scope, years, active
    rule.updated_by, rule.updated_at = user, timezone.now()
    rule.save()
    after = {"scope": scope, "years": years, "active": active}
    changes = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
    audit_record(
        user=user,
        action=AuditAction.RULES_CHANGED,
        organisation=council,
        summary=f"Retention rule {rule.pk}: {rule}",
        changes=changes,
        request=request,
    )
    return rule
