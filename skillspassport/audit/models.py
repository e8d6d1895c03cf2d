"""An append-only log of every view and change of a resident's personal data."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from skillspassport.audit import hashing


class AuditAction(models.TextChoices):
    LISTED = "listed", "Listed or searched residents"
    VIEWED = "viewed", "Viewed record"
    PRINTED = "printed", "Opened printable passport"
    CREATED = "created", "Registered resident"
    UPDATED = "updated", "Changed details"
    CONSENT_GIVEN = "consent_given", "Recorded consent"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Recorded consent withdrawal"
    EQUALITY_RECORDED = "equality_recorded", "Recorded equality monitoring"
    EQUALITY_VIEWED = "equality_viewed", "Viewed equality monitoring"
    EVIDENCE_RECORDED = "evidence_recorded", "Recorded evidence"
    EVIDENCE_WITHDRAWN = "evidence_withdrawn", "Withdrew evidence"
    AUDIT_VIEWED = "audit_viewed", "Read the audit log"
    CREDENTIAL_ISSUED = "credential_issued", "Issued a credential"
    CREDENTIAL_DOWNLOADED = "credential_downloaded", "Downloaded a credential"
    CREDENTIAL_REVOKED = "credential_revoked", "Revoked a credential"
    CREDENTIAL_SUSPENDED = "credential_suspended", "Suspended a credential"
    CREDENTIAL_REINSTATED = "credential_reinstated", "Lifted a credential's suspension"
    CREDENTIAL_SHARED = "credential_shared", "Made a share link"
    CREDENTIAL_UNSHARED = "credential_unshared", "Withdrew a share link"
    OUTREACH_EXPORTED = "outreach_exported", "Exported an outreach list"
    REFERRED = "referred", "Referred to an opportunity"
    REFERRAL_VIEWED = "referral_viewed", "Employer viewed a referral"
    REFERRAL_UPDATED = "referral_updated", "Recorded a referral outcome or withdrawal"
    JOB_START_RECORDED = "job_start_recorded", "Recorded a job start"
    SUSTAINMENT_RECORDED = "sustainment_recorded", "Recorded a sustainment check"
    ENROLLED = "enrolled", "Enrolled on a course or waiting list"
    ENROLMENT_CHANGED = "enrolment_changed", "Changed an enrolment"
    ATTENDANCE_RECORDED = "attendance_recorded", "Recorded attendance"
    COURSE_COMPLETED = "course_completed", "Recorded course completion"
    INVITED = "invited", "Invited to a programme"
    CASE_OPENED = "case_opened", "Opened a case"
    CASE_UPDATED = "case_updated", "Changed a case or its action plan"
    CASE_NOTE_ADDED = "case_note_added", "Added a case note"
    CASE_CLOSED = "case_closed", "Closed a case"
    BUDGET_SPEND_RECORDED = "budget_spend_recorded", "Recorded a personal budget spend"
    BUDGET_SPEND_DECIDED = "budget_spend_decided", "Approved or refused a budget spend"
    RECEIPT_VIEWED = "receipt_viewed", "Opened a receipt"
    DEVICE_RECORDED = "device_recorded", "Recorded a device or data SIM"
    PLACEMENT_RECORDED = "placement_recorded", "Recorded a work placement"
    API_CLIENT_CREATED = "api_client_created", "Created an API client"
    API_CLIENT_SECRET_ROTATED = "api_client_rotated", "Replaced an API client's secret"
    API_CLIENT_REVOKED = "api_client_revoked", "Revoked an API client"
    TRUSTED_ISSUER_ADDED = "trusted_issuer_added", "Added a trusted issuer"
    TRUSTED_ISSUER_REMOVED = "trusted_issuer_removed", "Removed a trusted issuer"
    SEARCHED = "searched", "Searched residents"
    CONTACTS_EXPORTED = "contacts_exported", "Exported residents' contact details"
    USER_INVITED = "user_invited", "Invited a user"
    USER_CHANGED = "user_changed", "Changed a user's roles or access"
    USER_DEACTIVATED = "user_deactivated", "Deactivated a user"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Asked for a password reset"
    PASSWORD_CHANGED = "password_changed", "Changed or set a password"
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
    FUNDING_DECIDED = "funding_decided", "Decided a funding proposal"
    CONFLICT_DECLARED = "conflict_declared", "Declared a conflict of interest"
    ASSESSMENT_SCORED = "assessment_scored", "Scored a funding proposal"
    REPORT_CREATED = "report_created", "Started a monitoring report"
    REPORT_DRAFTED = "report_drafted", "Saved a monitoring report's narrative"
    REPORT_PUBLISHED = "report_published", "Published a monitoring report"
    PLAN_SAVED = "plan_saved", "Saved a targeting plan"
    RULES_CHANGED = "rules_changed", "Changed scheme rules or settings"
    SUBJECT_ACCESS_EXPORTED = "subject_access_exported", "Exported a subject access request"
    RESIDENT_ERASED = "resident_erased", "Erased (anonymised) a resident"
    RETENTION_APPLIED = "retention_applied", "Applied a retention rule"
    AUDIT_EXPORTED = "audit_exported", "Exported the audit log"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log cannot be changed.")

    def delete(self) -> NoReturn:
        raise PermissionError("The audit log cannot be changed.")

    def bulk_create(
        self, objs: Iterable[AuditEvent], *args: Any, **kwargs: Any
    ) -> list[AuditEvent]:
        """Append events to the chain, in the order given, in one locked batch.

        The chain head's row is updated first: on PostgreSQL that row lock serialises
        appenders until the transaction commits (so the chain cannot fork); SQLite takes its
        single writer lock at the same statement."""
        events = list(objs)
        if not events:
            return events
        if any(event.pk is not None for event in events):
            raise PermissionError("The audit log cannot be changed.")
        with transaction.atomic(using=self.db, savepoint=False):
            last_seq, previous = _claim(self.db, len(events))
            for offset, event in enumerate(events, start=1):
                event.seq = last_seq + offset
                event.hash = hashing.link(previous, event.canonical())
                previous = event.hash
            created = super().bulk_create(events)
            AuditChainHead.objects.using(self.db).filter(pk=AuditChainHead.ONLY).update(
                hash=previous
            )
        return created


def _claim(db: str, count: int) -> tuple[int, str]:
    """Reserve `count` places after the chain's head; answer the head's (seq, hash)."""
    table = connections[db].ops.quote_name(AuditChainHead._meta.db_table)
    sql = f"UPDATE {table} SET seq = seq + %s WHERE id = %s RETURNING seq, hash"  # noqa: S608
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [count, AuditChainHead.ONLY])
        row = cursor.fetchone()
        if row is None:
            # No head yet (a new or flushed database): start it from the last event there is.
            last = AuditEvent.objects.using(db).order_by("-seq").first()
            AuditChainHead.objects.using(db).create(
                pk=AuditChainHead.ONLY,
                seq=last.seq if last else 0,
                hash=last.hash if last else hashing.GENESIS,
            )
            cursor.execute(sql, [count, AuditChainHead.ONLY])
            row = cursor.fetchone()
    new_seq, head_hash = row
    return int(new_seq) - count, str(head_hash)


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    # No database constraint: the log outlives erasure of the record it describes.
    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="audit_events",
    )
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    summary = models.CharField(max_length=300, blank=True)
    fields = models.JSONField(default=list, blank=True, help_text="Names of fields changed.")
    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text="Before and after values, {field: [before, after]}, for changes to things "
        "that are not a resident's personal data (roles, rules, decisions, reports).",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    seq = models.PositiveBigIntegerField(
        unique=True, editable=False, help_text="Place in the chain, from 1."
    )
    hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="SHA-256 over the previous event's hash and this event's fields.",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["resident", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log cannot be changed.")
        type(self).objects.using(kwargs.get("using") or "default").bulk_create([self])

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log cannot be changed.")

    def canonical(self) -> bytes:
        """This event's fields as hashed into the chain (values as the database holds them)."""
        self.fields = json.loads(json.dumps(list(self.fields), cls=DjangoJSONEncoder))
        self.changes = json.loads(json.dumps(dict(self.changes), cls=DjangoJSONEncoder))
        self.ip_address = _stored_ip(self.ip_address)
        return hashing.canonical(
            seq=int(self.seq or 0),
            at=self.at,
            user_id=self.user_id,
            organisation_id=self.organisation_id,
            resident_id=self.resident_id,
            action=str(self.action),
            summary=self.summary,
            fields=self.fields,
            changes=self.changes,
            ip_address=self.ip_address,
        )


def _stored_ip(value: str | None) -> str | None:
    """The address as `GenericIPAddressField` stores it (IPv6 in its compressed form)."""
    if value and ":" in value:
        try:
            return clean_ipv6_address(value)
        except ValidationError:
            return value
    return value or None


class AuditChainHead(models.Model):
    """One row: the last place taken in the chain and its hash. Appenders lock it; the
    verifier checks the last event against it, so removing events from the end shows."""

    ONLY = 1

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=hashing.GENESIS)

    def __str__(self) -> str:
        return f"Audit chain at {self.seq}"
