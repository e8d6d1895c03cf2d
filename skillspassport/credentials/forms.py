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
    email = forms.EmailField(
        label="The holder's email address (optional)",
        help_text=(
            "To check the credential is theirs. It is compared with the credential's salted "
            "fingerprint, never stored or sent anywhere."
        ),
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the right format, like name@example.com"
        },
    )

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


class HolderCheckForm(GovukForm):
    email = forms.EmailField(
        label="The holder's email address",
        help_text="Ask the person in front of you for the email address they gave the council.",
        max_length=254,
        error_messages={
            "required": "Enter the holder's email address",
            "invalid": "Enter an email address in the right format, like name@example.com",
        },
    )


YES_NO = [("no", "No"), ("yes", "Yes")]


class ApiClientForm(GovukForm):
    name = forms.CharField(
        label="Name",
        help_text='The partner system, e.g. "Hugh Baird College learner records".',
        max_length=100,
        error_messages={"required": "Enter a name for the client"},
    )
    awards = forms.MultipleChoiceField(
        label="Awards it may issue",
        help_text="It can issue only these, only as your council, and in your council's words.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sandbox = forms.ChoiceField(
        label="May it issue test credentials with the sandbox issuer?",
        help_text=(
            "Sandbox credentials are signed by a test key that no one trusts: they are for "
            "testing the partner's system, or running the W3C test suites."
        ),
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, award_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["awards"].choices = award_choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("awards") and cleaned.get("sandbox") != "yes":
            self.add_error("awards", "Choose at least one award, or allow the sandbox")
        return cleaned


class TrustedIssuerForm(GovukForm):
    did = forms.CharField(
        label="The issuer's DID",
        help_text="For example did:web:credentials.example.ac.uk or did:key:z6Mk…",
        max_length=300,
        error_messages={"required": "Enter the issuer's DID"},
    )
    name = forms.CharField(
        label="The issuer's name",
        help_text='Shown as "Issued by" on the verify and share pages.',
        max_length=200,
        error_messages={"required": "Enter the issuer's name"},
    )
    evidence = forms.CharField(
        label="How you confirmed who controls this DID",
        help_text="Who you spoke to, when, and how they proved it (e.g. a signed letter).",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say how you confirmed who controls this DID"},
    )
