from __future__ import annotations

from typing import Any

from django import forms

from skillspassport.core.forms import GovukForm, choice_field, text_field

VALIDITY_CHOICES = [
    ("", "No end date"),
    ("1", "1 year"),
    ("3", "3 years"),
]


class IssueForm(GovukForm):
    strand = forms.CharField(widget=forms.HiddenInput, max_length=30)
    validity = choice_field(
        "Valid for", VALIDITY_CHOICES, required=False, select="how long it is valid for"
    )


class ReasonForm(GovukForm):
    reason = text_field(
        "Reason",
        500,
        help_text="The resident can be told this. It is not put in the credential.",
    )
    action = choice_field(
        "What do you want to do?",
        [
            ("suspend", "Suspend it for now (it can be reinstated)"),
            ("revoke", "Revoke it for good"),
        ],
        error_messages={
            "required": "Select suspend or revoke",
            "invalid_choice": "Select suspend or revoke",
        },
    )


class VerifyForm(GovukForm):
    credential = text_field(
        "Paste the credential (JSON)",
        1_000_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
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

    def __init__(self, *args: Any, too_large: str = "", **kwargs: Any) -> None:
        """`too_large`: the error for a request refused unread for its size."""
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.too_large:
            self.add_error("credential", self.too_large)
            return cleaned
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
    name = text_field(
        "Name",
        100,
        enter="a name for the client",
        help_text='The partner system, e.g. "Hugh Baird College learner records".',
    )
    awards = forms.MultipleChoiceField(
        label="Awards it may issue",
        help_text="It can issue only these, only as your council, and in your council's words.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sandbox = choice_field(
        "May it issue test credentials with the sandbox issuer?",
        YES_NO,
        select="whether it may issue test credentials",
        help_text=(
            "Sandbox credentials are signed by a test key that no one trusts: they are for "
            "testing the partner's system, or running the W3C test suites."
        ),
        initial="no",
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
    did = text_field(
        "The issuer's DID",
        300,
        help_text="For example did:web:credentials.example.ac.uk or did:key:z6Mk…",
    )
    name = text_field(
        "The issuer's name", 200, help_text='Shown as "Issued by" on the verify and share pages.'
    )
    evidence = text_field(
        "How you confirmed who controls this DID",
        2000,
        rows=4,
        name="Evidence",
        enter="how you confirmed who controls this DID",
        help_text="Who you spoke to, when, and how they proved it (e.g. a signed letter).",
    )


def _strand_choices() -> list[tuple[str, str]]:
    from skillspassport.skills.models import OVERALL, Strand

    strands = dict(Strand.objects.order_by("position").values_list("code", "name"))
    return [(OVERALL, "Overall"), *strands.items()]


class BulkForm(GovukForm):
    """A CSV of residents (a column 'resident' of their ids) and the strand to act on."""

    strand = choice_field("Which credential", [], select="which credential")
    file = forms.FileField(
        label="CSV of residents",
        help_text="A column named resident holding each resident's id, 1 MB or smaller.",
        error_messages={
            "required": "Choose the CSV of residents",
            "invalid": "Choose the CSV of residents",
            "empty": "The file is empty",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strand"].choices = _strand_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        from skillspassport.credentials import bulk

        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if not (upload.name or "").lower().endswith(".csv"):
            self.add_error("file", "The file must be a CSV file (.csv)")
        elif upload.size > bulk.MAX_BYTES:
            self.add_error("file", "The file must be 1 MB or smaller")
        else:
            try:
                cleaned["rows"] = bulk.residents_read(upload.read())
            except bulk.BulkFileError as exc:
                self.add_error("file", str(exc))
        return cleaned


class BulkRevokeForm(BulkForm):
    reason = text_field(
        "Reason",
        500,
        help_text="Kept with each credential revoked. It is not put in the credential.",
        enter="the reason for revoking",
    )
