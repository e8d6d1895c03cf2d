"""Filters for the council-wide audit log."""

from __future__ import annotations

from typing import Any

from django import forms

from skillspassport.accounts.models import User
from skillspassport.audit.models import AuditAction
from skillspassport.core.forms import GovukForm, choice_field, date_field, model_choice_field


class AuditFilterForm(GovukForm):
    start = date_field("From", required=False, help_text="For example, 1 4 2026")
    end = date_field("To", required=False, help_text="For example, 30 9 2026")
    action = choice_field(
        "What was done",
        [("", "Anything"), *AuditAction.choices],
        radio=False,
        required=False,
        select="what was done",
    )
    user = model_choice_field(
        "Who", User.objects.none(), required=False, select="a person", empty_label="Anyone"
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
