from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import validate_email

from skillspassport.accounts.models import Organisation
from skillspassport.areas.postcodes import normalise_postcode
from skillspassport.core.forms import GovukDateField, GovukForm, OnceOnlyFormMixin, style_widget
from skillspassport.people import equality
from skillspassport.people.models import ConsentPurpose, ContactMethod, LawfulBasis
from skillspassport.people.selectors import phone_key

NAME_PATTERN = re.compile(r"^[^\d<>@#$%^*_=+{}\[\]|\\/~`\"]+$")


def _name_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=100,
        error_messages={
            "required": f"Enter the resident's {label.lower()}",
            "max_length": f"{label} must be 100 characters or fewer",
        },
    )


class ResidentDetailsForm(GovukForm):
    first_name = _name_field("First name")
    last_name = _name_field("Last name")
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 1985")
    email = forms.CharField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        error_messages={"max_length": "Email address must be 254 characters or fewer"},
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=20,
        help_text="A UK landline or mobile number",
        error_messages={"max_length": "Phone number must be 20 characters or fewer"},
    )
    address_line_1 = forms.CharField(
        label="Address line 1 (optional)", required=False, max_length=100
    )
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)", required=False, max_length=100
    )
    town = forms.CharField(label="Town or city (optional)", required=False, max_length=60)
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={
            "required": "Enter the resident's postcode",
            "max_length": "Enter a real postcode, like L20 3AB",
        },
    )
    preferred_contact = forms.ChoiceField(
        label="How would they like to be contacted?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the resident would like to be contacted"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("email", "phone", "address_line_1", "address_line_2", "town"):
            self.fields[name].error_messages.setdefault(
                "max_length", f"{self.fields[name].label} is too long"
            )
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


OPTIONAL_PURPOSES = [(p.value, p.label) for p in ConsentPurpose if p != ConsentPurpose.SCHEME]


class ResidentRegisterForm(OnceOnlyFormMixin, ResidentDetailsForm):
    organisation = forms.ModelChoiceField(
        label="Organisation responsible for this record",
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Select the organisation responsible for this record",
            "invalid_choice": "Select one of the organisations listed",
        },
    )
    scheme_basis = forms.ChoiceField(
        label="Lawful basis for holding their record in the scheme",
        choices=[
            (LawfulBasis.CONSENT.value, "They have agreed (consent)"),
            (LawfulBasis.PUBLIC_TASK.value, "Public task (the council's employment-support duty)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the lawful basis for holding their record"},
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


class ConsentForm(OnceOnlyFormMixin, GovukForm):
    purpose = forms.ChoiceField(
        label="Purpose",
        choices=ConsentPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the purpose"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the lawful basis"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Note must be 500 characters or fewer"},
    )


class WithdrawConsentForm(OnceOnlyFormMixin, GovukForm):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=500,
        error_messages={"max_length": "Reason must be 500 characters or fewer"},
    )


class EqualityForm(OnceOnlyFormMixin, GovukForm):
    """Every question is optional and offers "Prefer not to say"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, question, choices in equality.QUESTIONS:
            self.fields[name] = forms.ChoiceField(
                label=question,
                choices=choices.choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Select one of the answers listed"},
            )
        for field in self.fields.values():
            style_widget(field.widget)


class ResidentSearchForm(GovukForm):
    q = forms.CharField(
        label="Search residents",
        required=False,
        max_length=100,
        help_text="Name, email, phone, postcode or date of birth (DD/MM/YYYY)",
        error_messages={"max_length": "Search must be 100 characters or fewer"},
    )
    level = forms.ChoiceField(
        label="Passport level",
        required=False,
        choices=[
            ("any", "Any level"),
            ("none", "No level yet"),
            ("bronze", "Bronze"),
            ("silver", "Silver"),
            ("gold", "Gold"),
        ],
    )
