"""Issuer keys, status lists and the credentials issued to residents."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from skillspassport.core.querysets import RecordQuerySet


class IssuerKey(models.Model):
    """A council's Ed25519 signing key. The private half is stored encrypted (see keystore).

    Keys are never deleted: after rotation the old key is retired (no longer signs) but stays
    published in the DID document, so credentials it signed still verify.
    """

    council = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="issuer_keys",
        null=True,
        blank=True,
        help_text="Blank for the sandbox issuer's key (a did:key that no registry trusts).",
    )
    key_id = models.CharField(max_length=80, unique=True)  # the fragment after did:web:…#
    public_multikey = models.CharField(max_length=60)
    private_encrypted = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["council", "created_at"]
        constraints = [
            # Coalesce: the sandbox (no council) has one active key too.
            models.UniqueConstraint(
                Coalesce("council", Value(0)),
                condition=Q(retired_at__isnull=True),
                name="one_active_issuer_key_per_issuer",
            ),
        ]

    def __str__(self) -> str:
        return self.key_id


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", "Revocation"
    SUSPENSION = "suspension", "Suspension"


class StatusList(models.Model):
    """One Bitstring Status List per council and purpose, published as a signed credential."""

    council = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="status_lists",
        null=True,
        blank=True,
        help_text="Blank for the sandbox issuer's lists.",
    )
    purpose = models.CharField(max_length=20, choices=StatusPurpose.choices)
    bits = models.BinaryField()
    next_index = models.PositiveIntegerField(default=0)
    signed_credential = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Coalesce("council", Value(0)), "purpose", name="one_list_per_issuer_and_purpose"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.purpose}"


# The revocation reason erasure gives (privacy.services.resident_erase): the credential stops
# verifying, but it was gained, and erasure leaves every figure unchanged (ADR 0013).
ERASURE_REVOCATION_REASON = "The resident's record was erased"


class IssuedCredentialQuerySet(RecordQuerySet["IssuedCredential"]):
    def not_revoked(self) -> IssuedCredentialQuerySet:
        return self.filter(revoked_at__isnull=True)

    def not_withdrawn(self) -> IssuedCredentialQuerySet:
        """Credentials the council has not withdrawn: never revoked, or revoked only because
        the resident's record was erased."""
        return self.filter(
            Q(revoked_at__isnull=True) | Q(revocation_reason=ERASURE_REVOCATION_REASON)
        )

    def issued_between(self, first: date, last: date) -> IssuedCredentialQuerySet:
        """Credentials issued on the days `first` to `last`, revoked since or not."""
        return self._within_days("issued_at", first, last)

    def gained_between(self, first: date, last: date) -> IssuedCredentialQuerySet:
        """Credentials gained on the days `first` to `last`: issued then and not withdrawn since
        (a credential revoked by the council no longer vouches for anything; one revoked because
        the resident's record was erased still counts, as erasure changes no figure)."""
        return self.not_withdrawn().issued_between(first, last)


class IssuedCredential(models.Model):
    """A credential this service signed: a resident's passport level, or one an API client asked
    for. Every signature the service makes is one of these rows, so each can be listed,
    suspended and revoked."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.PROTECT,
        related_name="credentials",
        null=True,
        blank=True,
        help_text="Blank for a credential an API client had issued for its own subject.",
    )
    council = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="issued_credentials",
        null=True,
        blank=True,
        help_text="The issuing council; blank for the sandbox issuer.",
    )
    api_client = models.ForeignKey(
        "credentials.ApiClient",
        on_delete=models.PROTECT,
        related_name="issued_credentials",
        null=True,
        blank=True,
    )
    strand_code = models.CharField(max_length=30, blank=True)  # a strand code, or "overall"
    level = models.CharField(max_length=10, blank=True)
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

    objects = IssuedCredentialQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                Coalesce("council", Value(0)), "status_index", name="unique_status_index_per_issuer"
            ),
            models.UniqueConstraint(
                fields=["resident", "strand_code", "level"],
                condition=Q(revoked_at__isnull=True, resident__isnull=False),
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


class ShareLinkEnd(models.TextChoices):
    WITHDRAWN = "withdrawn", "Withdrawn by the council"
    STOPPED = "stopped", "Stopped by the holder"
    REVOKED = "revoked", "The credential was revoked"


class EndedShareLink(models.Model):
    """A share link that no longer opens its credential, kept so that whoever follows it is
    told what happened and when. Only a SHA-256 digest of the link's token is kept: the token
    itself is gone from the credential, so the link can never open it again."""

    token_sha256 = models.CharField(max_length=64, unique=True)
    credential = models.ForeignKey(
        IssuedCredential, on_delete=models.CASCADE, related_name="ended_share_links"
    )
    why = models.CharField(max_length=10, choices=ShareLinkEnd.choices)
    ended_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-ended_at"]

    def __str__(self) -> str:
        return f"{self.get_why_display()} {self.ended_at:%Y-%m-%d}"


class ApiClient(models.Model):
    """A partner system that may issue credentials as one council through the VC-API.

    It authenticates with OAuth 2.0 client credentials (the `application`, from
    django-oauth-toolkit). It may issue only the awards on its allow-list, and only as its own
    council. A sandbox client may also use the sandbox issuer (a did:key no registry trusts),
    which is what the W3C test suites are run against.
    """

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(max_length=100)
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    allowed_awards = models.JSONField(
        default=list,
        blank=True,
        help_text='Awards it may issue, as "strand:level" codes (e.g. "digital:bronze").',
    )
    sandbox = models.BooleanField(
        default=False, help_text="May issue test credentials with the untrusted sandbox issuer."
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["council", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "name"],
                condition=Q(revoked_at__isnull=True),
                name="unique_live_api_client_name",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.council})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class TrustedIssuer(models.Model):
    """An issuer outside this service that a council has checked and vouches for.

    With the councils this service hosts, these make up the trust registry: the only source of
    an issuer's name on the verify and share pages.
    """

    did = models.CharField(max_length=300, unique=True)
    name = models.CharField(max_length=200)
    evidence = models.TextField(
        help_text="How the council confirmed who controls this DID (who, when, how)."
    )
    vouched_by = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="trusted_issuers"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.did})"
