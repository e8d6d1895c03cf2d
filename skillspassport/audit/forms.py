"""Filters for the council-wide audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from skillspassport.accounts.models import User
from skillspassport.audit.models import AuditAction
from skillspassport.core.forms import GovukDateField, GovukForm


class AuditFilterForm(GovukForm):
    start = GovukDateField(
        label="From",
        required=False,
        past_only=False,
        earliest=date(2000, 1, 1),
        help_text="For example, 1 4 2026",
    )
    end = GovukDateField(
        label="To",
        required=False,
        past_only=False,
        earliest=date(2000, 1, 1),
        help_text="For example, 30 9 2026",
    )
    action = forms.ChoiceField(
        label="What was done", required=False, choices=[("", "Anything"), *AuditAction.choices]
    )
    user = forms.ModelChoiceField(
        label="Who", required=False, queryset=User.objects.none(), empty_label="Anyone"
    )
    resident = forms.UUIDField(
        label="Resident reference",
        required=False,
        help_text="The reference at the end of the resident's record address",
        error_messages={"invalid": "Enter a resident reference like 1f0c3a9e-…, or leave it blank"},
    )

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The date in To must be the same as or after the date in From")
        return cleaned
