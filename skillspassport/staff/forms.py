from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.db.models import QuerySet

from skillspassport.accounts.models import Organisation, Role, User
from skillspassport.core.forms import (
    GovukForm,
    GovukFormMixin,
    choice_field,
    model_choice_field,
    style_widget,
    text_field,
)


class SignInForm(GovukFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    error_messages = {
        "invalid_login": "The email address or password is not right. Check them and try again.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].label = "Password"

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


# --- User administration -----------------------------------------------------------------------

ROLE_HINTS = {
    Role.ADMINISTRATOR: "Everything, including users, rights requests and the audit log",
    Role.ADVISER: "Registers residents, records evidence, casework and referrals",
    Role.TUTOR: "Runs courses and records learners' evidence",
    Role.EMPLOYER_CONTACT: "Acts for their employer: its roles and the residents referred to it",
    Role.ANALYST: "Figures and priority areas, no personal data",
    Role.VIEWER: "Reads residents' records, changes nothing (for example, a team manager)",
    Role.PROGRAMME_MANAGER: "Funds, projects and budget approvals",
    Role.COUNCILLOR: "Figures and published reports only",
}


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.council_id:
            return f"{obj.name} (partner)"
        return str(obj.name)


def _organisation_field(organisations: QuerySet[Organisation]) -> OrganisationChoiceField:
    """One of the organisations a user may be given a role in (their council's)."""
    return model_choice_field(
        "Organisation",
        organisations,
        select="an organisation",
        field_class=OrganisationChoiceField,
        empty_label="Choose an organisation",
        error_messages={
            "invalid_choice": "Select one of your council's organisations from the list"
        },
    )


def _role_field(label: str = "Role") -> forms.ChoiceField:
    return choice_field(label, Role.choices, select="a role")


class UserSearchForm(GovukForm):
    q = text_field("Name or email", 100, required=False)
    role = choice_field("Role", [("", "Any role"), *Role.choices], radio=False, required=False)
    organisation = forms.TypedChoiceField(label="Organisation", required=False, coerce=int)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Any organisation"), *((o.pk, o.name) for o in organisations)]

    def clean_q(self) -> str:
        return str(self.cleaned_data["q"]).replace("\x00", "").strip()


class InviteForm(GovukForm):
    full_name = text_field("Full name", 150, enter="their full name")
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="They will get an email with a link to choose a password.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _organisation_field(organisations)
        self.fields["role"] = _role_field()
        style_widget(self.fields["organisation"].widget)
        style_widget(self.fields["role"].widget)

    def clean_full_name(self) -> str:
        name = str(self.cleaned_data["full_name"]).replace("\x00", "").strip()
        if not name:
            raise forms.ValidationError("Enter their full name")
        return name

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class MembershipAddForm(GovukForm):
    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _organisation_field(organisations)
        self.fields["role"] = _role_field()
        style_widget(self.fields["organisation"].widget)
        style_widget(self.fields["role"].widget)


class RoleChangeForm(GovukForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field("New role")
        style_widget(self.fields["role"].widget)


# --- Passwords ---------------------------------------------------------------------------------


class PasswordResetRequestForm(GovukFormMixin, PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def get_users(self, email: str) -> Iterator[Any]:
        """Active users with this email, including invited users who have not yet chosen a
        password (Django leaves those out; here every account signs in with a password)."""
        return iter(User.objects.filter(email__iexact=email.strip(), is_active=True))


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = (
            "At least 12 characters. Not a common password, and not like your name or email."
        )
        self.fields["new_password2"].label = "Type the new password again"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Type the new password again"
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "The two passwords do not match. Type them again.",
        }


class ChangePasswordForm(NewPasswordForm, PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is not right. Type it again.",
        }
