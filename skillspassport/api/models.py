"""A partner organisation's access to the API, and the answers kept for idempotent creates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PartnerAccess(models.Model):
    """What one API client (the same clients as the VC-API) may do in the partner API.

    It acts for `organisation` (the council itself or one of its partners) through `account`,
    a user who is a member of that organisation in one role and cannot sign in. `scopes` are
    the OAuth scopes the client may ask for (`api.scopes.SCOPES`).
    """

    api_client = models.OneToOneField(
        "credentials.ApiClient", on_delete=models.PROTECT, related_name="partner_access"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="partner_api_access"
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_access"
    )
    scopes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "partner access"

    def __str__(self) -> str:
        return f"{self.api_client} for {self.organisation}"


class IdempotentRequest(models.Model):
    """The first answer to a create sent with an Idempotency-Key, replayed for the same body."""

    access = models.ForeignKey(PartnerAccess, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    body_sha256 = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["access", "key"], name="one_answer_per_client_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.method} {self.path})"
