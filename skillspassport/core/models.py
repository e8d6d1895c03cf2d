"""Cross-cutting records."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class FormSubmission(models.Model):
    """A form's one-time token, claimed in the same transaction as the write it guards.

    A second post of the same form (double click, resend after a slow response) finds the
    token taken and is sent to the result of the first instead of writing twice.
    """

    token = models.UUIDField(primary_key=True, default=uuid.uuid4)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    result_url = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return str(self.token)
