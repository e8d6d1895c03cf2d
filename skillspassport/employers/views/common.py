"""What the employer pages share: who may edit an employer, and showing a service's refusal."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import Organisation
from skillspassport.accounts.roles import Capability
from skillspassport.employers import selectors
from skillspassport.employers.services import EmployerError


def show_error(form: forms.Form, error: EmployerError) -> None:
    """Show a service's refusal on the field it names, else above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def may_edit(request: AuthenticatedRequest, access: selectors.EmployerAccess) -> bool:
    """Employer contacts edit their own employer; scheme staff need MANAGE_EMPLOYERS."""
    if not access.as_staff:
        return True
    councils = selectors.scheme_council_ids(
        user=request.user, capabilities=[Capability.MANAGE_EMPLOYERS]
    )
    return access.employer.council_id in councils


def editable_employer(request: AuthenticatedRequest, employer_id: int) -> Organisation:
    access = selectors.employer_get_for_user(user=request.user, employer_id=employer_id)
    if not may_edit(request, access):
        raise PermissionDenied
    return access.employer


def staff_only(request: AuthenticatedRequest) -> None:
    if not selectors.scheme_council_ids(
        user=request.user, capabilities=selectors.STAFF_CAPABILITIES
    ):
        raise Http404
