from __future__ import annotations

from typing import Any

from django import forms

from skillspassport.core.forms import (
    GovukForm,
    OnceOnlyFormMixin,
    choice_field,
    text_field,
    whole_number_field,
)
from skillspassport.privacy.models import RetentionScope


class EraseForm(OnceOnlyFormMixin, GovukForm):
    confirmation = text_field(
        "Type the resident's reference to confirm",
        20,
        name="The reference",
        enter="the resident's reference to confirm the erasure",
    )

    def __init__(self, *args: Any, reference: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reference = reference
        self.fields["confirmation"].help_text = f"The reference is {reference}."
        self.fields["confirmation"].widget.attrs.update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-10",
            }
        )

    def clean_confirmation(self) -> str:
        typed = " ".join(str(self.cleaned_data["confirmation"]).split()).upper()
        if typed != self.reference:
            raise forms.ValidationError(
                "The reference does not match. Type the reference shown, for example "
                f"{self.reference}"
            )
        return typed


class RetentionRuleForm(OnceOnlyFormMixin, GovukForm):
    scope = choice_field(
        "Which records", RetentionScope.choices, select="which records the rule covers"
    )
    years = whole_number_field(
        "Anonymise this many years after the last activity",
        minimum=1,
        maximum=100,
        name="The number of years",
        example="6",
        help_text="A whole number of years, from 1 to 100.",
    )
    active = forms.BooleanField(
        label="Apply this rule in the scheduled run", required=False, initial=True
    )

    def __init__(self, *args: Any, taken: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.taken = taken or set()

    def clean_scope(self) -> str:
        scope = str(self.cleaned_data["scope"])
        if scope in self.taken:
            raise forms.ValidationError(
                "The council already has a rule for these records. Change that rule instead"
            )
        return scope


class RetentionRunForm(OnceOnlyFormMixin, GovukForm):
    """Run a rule on the residents a dry run listed (their ids travel with the form)."""

    residents = forms.CharField(widget=forms.HiddenInput, required=False, max_length=400_000)

    def clean_residents(self) -> set[str]:
        return {part for part in str(self.cleaned_data["residents"]).split(",") if part}


class MergeForm(OnceOnlyFormMixin, GovukForm):
    confirm = forms.BooleanField(
        label="I have checked with the resident that these records are the same person",
        error_messages={"required": "Confirm that you have checked these are the same person"},
    )
