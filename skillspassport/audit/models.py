"""An append-only log of every view and change of a resident's personal data."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


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

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["resident", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log cannot be changed.")
