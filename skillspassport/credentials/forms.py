from __future__ import annotations

from typing import Any

from django import forms

from skillspassport.core.forms import GovukForm

VALIDITY_CHOICES = [
    ("", "No end date"),
    ("1", "1 year"),
    ("3", "3 years"),
]


class IssueForm(GovukForm):
    strand = forms.CharField(widget=forms.HiddenInput, max_length=30)
    validity = forms.ChoiceField(
        label="Valid for", choices=VALIDITY_CHOICES, required=False, widget=forms.RadioSelect
    )


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        help_text="The resident can be told this. It is not put in the credential.",
        error_messages={
            "required": "Enter the reason",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )
    action = forms.ChoiceField(
        label="What do you want to do?",
        choices=[
            ("suspend", "Suspend it for now (it can be reinstated)"),
            ("revoke", "Revoke it for good"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select suspend or revoke"},
    )


class VerifyForm(GovukForm):
    credential = forms.CharField(
        label="Paste the credential (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        max_length=1_000_000,
        error_messages={"max_length": "The credential must be smaller than 1 MB"},
    )
    file = forms.FileField(label="Or upload the credential file", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text, upload = cleaned.get("credential"), cleaned.get("file")
        if upload is not None:
            if upload.size > 1_000_000:
                self.add_error("file", "The file must be smaller than 1 MB")
                return cleaned
            cleaned["raw"] = upload.read()
        elif text:
            cleaned["raw"] = text.encode()
        elif not self.errors:
            self.add_error("credential", "Paste a credential or choose a file")
        return cleaned
