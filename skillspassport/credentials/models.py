"""Issuer keys, status lists and the credentials issued to residents."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class IssuerKey(models.Model):
    """A council's Ed25519 signing key. The private half is stored encrypted (see keystore).

    Keys are never deleted: after rotation the old key is retired (no longer signs) but stays
    published in the DID document, so credentials it signed still verify.
    """

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="issuer_keys"
    )
    key_id = models.CharField(max_length=80, unique=True)  # the fragment after did:web:…#
    public_multikey = models.CharField(max_length=60)
    private_encrypted = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["council", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council"],
                condition=Q(retired_at__isnull=True),
                name="one_active_issuer_key_per_council",
            )
        ]

    def __str__(self) -> str:
        return self.key_id


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", "Revocation"
    SUSPENSION = "suspension", "Suspension"


class StatusList(models.Model):
    """One Bitstring Status List per council and purpose, published as a signed credential."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="status_lists"
    )
    purpose = models.CharField(max_length=20, choices=StatusPurpose.choices)
    bits = models.BinaryField()
    next_index = models.PositiveIntegerField(default=0)
    signed_credential = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "purpose"], name="one_list_per_purpose")
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.purpose}"


class IssuedCredential(models.Model):
    """An Open Badges 3.0 credential issued to a resident for a strand (or overall) level."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, related_name="credentials"
    )
    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="issued_credentials"
    )
    strand_code = models.CharField(max_length=30)  # a strand code, or "overall"
    level = models.CharField(max_length=10)
    document = models.JSONField()  # the signed credential, exactly as issued
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank when issued automatically on reaching the level.",
    )
    status_index = models.PositiveIntegerField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.CharField(max_length=500, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=500, blank=True)
    share_token = models.CharField(max_length=43, unique=True, null=True, blank=True)
    # Printed on the resident's passport only (never on the share page): lets the resident,
    # who has no account, stop sharing.
    share_withdraw_token = models.CharField(max_length=43, unique=True, null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "status_index"], name="unique_status_index_per_council"
            ),
            models.UniqueConstraint(
                fields=["resident", "strand_code", "level"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_credential_per_award",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.strand_code} {self.level} for {self.resident_id}"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.suspended_at:
            return "suspended"
        return "active"
