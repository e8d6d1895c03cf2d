from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.validators import validate_email
from django.utils import timezone

from skillspassport.accounts.models import Organisation
from skillspassport.areas.postcodes import normalise_postcode
from skillspassport.core.forms import (
    GovukDateField,
    GovukForm,
    OnceOnlyFormMixin,
    choice_field,
    date_field,
    model_choice_field,
    style_widget,
    text_field,
)
from skillspassport.people import equality
from skillspassport.people.models import (
    MIN_AGE,
    MIN_AGE_OWN_CONSENT,
    ConsentPurpose,
    ContactMethod,
    LawfulBasis,
)
from skillspassport.people.selectors import phone_key
from skillspassport.people.services import Guardian, age_on, needs_guardian

NAME_PATTERN = re.compile(r"^[^\d<>@#$%^*_=+{}\[\]|\\/~`\"]+$")


class ResidentDetailsForm(GovukForm):
    first_name = text_field("First name", 100, enter="the resident's first name")
    last_name = text_field("Last name", 100, enter="the resident's last name")
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 1985")
    email = text_field("Email address (optional)", 254, required=False)
    phone = text_field(
        "Phone number (optional)", 20, required=False, help_text="A UK landline or mobile number"
    )
    address_line_1 = text_field("Address line 1 (optional)", 100, required=False)
    address_line_2 = text_field("Address line 2 (optional)", 100, required=False)
    town = text_field("Town or city (optional)", 60, required=False)
    postcode = text_field(
        "Postcode",
        10,
        enter="the resident's postcode",
        error_messages={"max_length": "Enter a real postcode, like L20 3AB"},
    )
    preferred_contact = choice_field(
        "How would they like to be contacted?",
        ContactMethod.choices,
        select="how the resident would like to be contacted",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postcode"].widget.attrs["class"] += " govuk-input--width-10"
        self.fields["phone"].widget.attrs["class"] += " govuk-input--width-20"
        self.fields["email"].widget.attrs.update(
            {"type": "email", "autocomplete": "off", "spellcheck": "false"}
        )

    def _clean_name(self, field: str) -> str:
        value = " ".join(self.cleaned_data[field].split())
        if not NAME_PATTERN.match(value):
            raise forms.ValidationError(
                f"{self.fields[field].label} must only include letters, spaces, "
                "hyphens and apostrophes"
            )
        return value

    def clean_first_name(self) -> str:
        return self._clean_name("first_name")

    def clean_last_name(self) -> str:
        return self._clean_name("last_name")

    def clean_email(self) -> str:
        value: str = self.cleaned_data["email"].strip()
        if value:
            try:
                validate_email(value)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "Enter an email address in the correct format, like name@example.com"
                ) from None
        return value

    def clean_phone(self) -> str:
        value: str = self.cleaned_data["phone"].strip()
        if value:
            digits = phone_key(value)
            if not re.fullmatch(r"[\d\s()+-]+", value) or not re.fullmatch(r"0\d{9,10}", digits):
                raise forms.ValidationError(
                    "Enter a UK phone number, like 0151 123 4567 or 07700 900 982"
                )
        return value

    def clean_postcode(self) -> str:
        value = normalise_postcode(self.cleaned_data["postcode"])
        if value is None:
            raise forms.ValidationError("Enter a real postcode, like L20 3AB")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        method = cleaned.get("preferred_contact")
        if (
            method == ContactMethod.EMAIL
            and not cleaned.get("email")
            and "email" not in self.errors
        ):
            self.add_error("email", "Enter an email address, or choose another way to contact them")
        if (
            method in (ContactMethod.PHONE, ContactMethod.TEXT)
            and not cleaned.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error("phone", "Enter a phone number, or choose another way to contact them")
        if (
            method == ContactMethod.POST
            and not cleaned.get("address_line_1")
            and "address_line_1" not in self.errors
        ):
            self.add_error(
                "address_line_1",
                "Enter the first line of the address, or choose another way to contact them",
            )
        return cleaned


class GuardianFieldsMixin(forms.Form):
    """A parent or guardian's consent, required for a resident under `MIN_AGE_OWN_CONSENT`."""

    guardian_name = text_field(
        "Parent or guardian's full name",
        200,
        required=False,
        error_messages={"required": "Enter the parent or guardian's full name"},
    )
    guardian_relationship = text_field(
        "Their relationship to the resident",
        100,
        required=False,
        help_text="For example, mother, father, foster carer or legal guardian",
    )
    guardian_consented_on = date_field(
        "Date the parent or guardian gave consent",
        past_only=True,
        required=False,
        help_text="For example, 27 3 2026",
    )

    def clean_guardian_name(self) -> str:
        return " ".join(self.cleaned_data["guardian_name"].split())

    def clean_guardian_relationship(self) -> str:
        return " ".join(self.cleaned_data["guardian_relationship"].split())

    def check_guardian(self, born: date | None) -> Guardian | None:
        """Require the guardian's details for a resident under 16; the Guardian, or None."""
        if born is None or not needs_guardian(born):
            return None
        cleaned = self.cleaned_data
        under = f"The resident is under {MIN_AGE_OWN_CONSENT}: "
        missing = {
            "guardian_name": under + "enter the parent or guardian's full name",
            "guardian_relationship": under + "enter their relationship to the resident",
            "guardian_consented_on": under + "enter the date the parent or guardian gave consent",
        }
        for field, message in missing.items():
            if not cleaned.get(field) and field not in self.errors:
                self.add_error(field, message)
        consented_on = cleaned.get("guardian_consented_on")
        if consented_on is not None and consented_on < born:
            self.add_error(
                "guardian_consented_on",
                "Date the parent or guardian gave consent must be after the date of birth",
            )
        if any(field in self.errors for field in missing):
            return None
        return Guardian(
            name=cleaned["guardian_name"],
            relationship=cleaned["guardian_relationship"],
            consented_on=cleaned["guardian_consented_on"],
        )


OPTIONAL_PURPOSES = [(p.value, p.label) for p in ConsentPurpose if p != ConsentPurpose.SCHEME]


class ResidentRegisterForm(OnceOnlyFormMixin, GuardianFieldsMixin, ResidentDetailsForm):
    organisation = model_choice_field(
        "Organisation responsible for this record",
        Organisation.objects.none(),
        empty_label=None,
    )
    scheme_basis = choice_field(
        "Lawful basis for holding their record in the scheme",
        [
            (LawfulBasis.CONSENT.value, "They have agreed (consent)"),
            (LawfulBasis.PUBLIC_TASK.value, "Public task (the council's employment-support duty)"),
        ],
        select="the lawful basis for holding their record",
    )
    consents = forms.MultipleChoiceField(
        label="What else have they agreed to? (optional)",
        choices=OPTIONAL_PURPOSES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Only tick what the resident has agreed to today. "
            "They can change their mind at any time."
        ),
    )
    confirm_new = forms.BooleanField(
        label="None of these is the same person: register a new resident",
        required=False,
    )
    different_reason = text_field(
        "Why are you sure they are a different person?",
        500,
        required=False,
        help_text="For example, checked their date of birth and address with them",
    )
    outside_area_reason = text_field(
        "Why are you registering them with this council?",
        500,
        required=False,
        help_text="For example, they have just moved into the area, or work here",
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        only = list(organisations[:2])
        self.only_organisation = only[0] if len(only) == 1 else None
        if self.only_organisation is not None:
            # One organisation: nothing to choose, so the field is not shown or required.
            self.fields["organisation"].required = False
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_organisation(self) -> Organisation:
        chosen: Organisation | None = self.cleaned_data.get("organisation")
        return chosen or self.only_organisation  # type: ignore[return-value]

    def clean_different_reason(self) -> str:
        return " ".join(self.cleaned_data["different_reason"].split())

    def clean_outside_area_reason(self) -> str:
        return " ".join(self.cleaned_data["outside_area_reason"].split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        born = cleaned.get("date_of_birth")
        if born is not None and age_on(born, timezone.localdate()) < MIN_AGE:
            self.add_error(
                "date_of_birth",
                f"The resident must be {MIN_AGE} or older to join the scheme. Younger children "
                "can be supported through their school or the family learning service.",
            )
            born = None
        self.guardian = self.check_guardian(born)
        return cleaned


class ConsentForm(OnceOnlyFormMixin, GuardianFieldsMixin, GovukForm):
    """Consent for a purpose; for a resident under 16, who of their family gave it."""

    purpose = choice_field("Purpose", ConsentPurpose.choices)
    lawful_basis = choice_field("Lawful basis", LawfulBasis.choices)
    note = text_field("Note (optional)", 500, required=False, rows=3)

    def __init__(self, *args: Any, born: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.born = born
        self.asks_guardian = needs_guardian(born)
        if not self.asks_guardian:
            for name in ("guardian_name", "guardian_relationship", "guardian_consented_on"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.guardian = self.check_guardian(self.born) if self.asks_guardian else None
        return cleaned


class WithdrawConsentForm(OnceOnlyFormMixin, GovukForm):
    reason = text_field("Reason (optional)", 500, required=False)


class EqualityForm(OnceOnlyFormMixin, GovukForm):
    """Every question is optional and offers "Prefer not to say"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, question, choices in equality.QUESTIONS:
            self.fields[name] = choice_field(
                question,
                choices.choices,
                required=False,
                error_messages={"invalid_choice": "Select one of the answers listed"},
            )
        for field in self.fields.values():
            style_widget(field.widget)


class ResidentSearchForm(GovukForm):
    q = text_field(
        "Search residents",
        100,
        required=False,
        name="Search",
        help_text="Name, email, phone, postcode or date of birth (DD/MM/YYYY)",
    )
    level = choice_field(
        "Passport level",
        [
            ("any", "Any level"),
            ("none", "No level yet"),
            ("bronze", "Bronze"),
            ("silver", "Silver"),
            ("gold", "Gold"),
        ],
        radio=False,
        required=False,
    )
