"""Writes about staff users: a council administrator's user administration, and passwords.

Every function here checks, itself, that the acting user may make the change: the views
check too, but these rules must hold however they are called. A council administrator may
manage the users of their own council and its partners only
(`selectors.organisation_ids_managed_by`), may never make anyone a superuser or staff, may not
change or deactivate a user who also works for an organisation outside their council (only
remove their own council's memberships of such a user), and may not leave a council without an
active administrator. Every change writes an audit event with the roles before and after.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from skillspassport.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from skillspassport.accounts.selectors import (
    forget_memberships,
    organisation_ids_managed_by,
    user_is_fully_managed,
)
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record


class UserAdminError(Exception):
    """A change the acting user may not make, with a message to show them (against `field`
    of the form, if it is about one field)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _roles_of(*, user: User, org_ids: frozenset[int]) -> list[str]:
    """The user's roles in the given organisations, as "Role, Organisation", sorted."""
    memberships = Membership.objects.filter(user=user, organisation_id__in=org_ids).select_related(
        "organisation"
    )
    return sorted(f"{m.get_role_display()}, {m.organisation.name}" for m in memberships)


def _check_organisation(*, by: User, organisation: Organisation, org_ids: frozenset[int]) -> None:
    if organisation.pk not in org_ids:
        raise UserAdminError(
            "You can only give roles in your own council and its partner organisations.",
            field="organisation",
        )


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise UserAdminError("Choose a role from the list.", field="role")


def _check_changeable(*, by: User, user: User) -> None:
    if user.is_superuser or user.is_staff:
        raise UserAdminError(
            "This is a platform operator's account. Only the platform operators can change it."
        )
    if not user_is_fully_managed(manager=by, user=user):
        raise UserAdminError(
            f"{user} also works for an organisation outside your council, so you cannot "
            "change their account or give them roles. You can remove their roles in your "
            "organisations."
        )


def _check_keeps_an_administrator(
    *, by: User, losing: list[Membership], deactivating: User | None = None
) -> None:
    """Refuse if a council would be left with no active administrator once the `losing`
    memberships are gone (or `deactivating` is switched off)."""
    councils = {
        m.organisation_id
        for m in losing
        if m.role == Role.ADMINISTRATOR and m.organisation.kind == OrganisationKind.COUNCIL
    }
    if deactivating is not None:
        councils |= set(
            Membership.objects.filter(
                user=deactivating,
                role=Role.ADMINISTRATOR,
                organisation__kind=OrganisationKind.COUNCIL,
            ).values_list("organisation_id", flat=True)
        )
    losing_ids = [m.pk for m in losing]
    for council_id in councils:
        remaining = (
            Membership.objects.filter(
                organisation_id=council_id, role=Role.ADMINISTRATOR, user__is_active=True
            )
            .exclude(pk__in=losing_ids)
            .select_for_update()
        )
        if deactivating is not None:
            remaining = remaining.exclude(user=deactivating)
        if not remaining.exists():
            name = Organisation.objects.get(pk=council_id).name
            raise UserAdminError(
                f"{name} must keep at least one administrator. Make someone else an "
                "administrator first."
            )


def set_password_link(*, user: User) -> str:
    """A link, valid for PASSWORD_RESET_TIMEOUT, to choose a password (Django's reset tokens:
    it stops working once used, or once the password or last sign-in changes)."""
    path = reverse(
        "staff:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def _send_invitation(*, user: User, by: User, organisation: Organisation, role: str) -> None:
    context = {
        "user": user,
        "by": by,
        "organisation": organisation,
        "role": Role(role).label,
        "link": set_password_link(user=user),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        "site_url": settings.SITE_URL,
    }
    send_mail(
        subject="You have been invited to Skills Passport",
        message=render_to_string("staff/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def user_invite(
    *,
    by: User,
    email: str,
    full_name: str,
    organisation: Organisation,
    role: str,
    request: HttpRequest | None = None,
) -> User:
    """Create a user with no usable password and one membership, and email them a link to
    choose a password."""
    org_ids = organisation_ids_managed_by(user=by)
    _check_organisation(by=by, organisation=organisation, org_ids=org_ids)
    _check_role(role)
    email = email.strip().lower()
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise UserAdminError(
                _already_registered(by=by, email=email, org_ids=org_ids), field="email"
            )
        try:
            with transaction.atomic():
                user = User.objects.create_user(email, None, full_name=full_name.strip())
        except IntegrityError:
            raise UserAdminError(
                _already_registered(by=by, email=email, org_ids=org_ids), field="email"
            ) from None
        Membership.objects.create(user=user, organisation=organisation, role=role)
        audit_record(
            user=by,
            action=AuditAction.USER_INVITED,
            organisation=organisation,
            summary=f"Invited {email} as {Role(role).label}, {organisation.name}",
            changes={"roles": ([], _roles_of(user=user, org_ids=org_ids))},
            request=request,
        )
        transaction.on_commit(
            lambda: _send_invitation(user=user, by=by, organisation=organisation, role=role)
        )
    return user


def _already_registered(*, by: User, email: str, org_ids: frozenset[int]) -> str:
    if Membership.objects.filter(user__email__iexact=email, organisation_id__in=org_ids).exists():
        return (
            "There is already an account for this email address in your organisations. "
            "Find them in the list of users to change their roles."
        )
    return (
        "There is already an account for this email address. Ask the platform operators if "
        "they should also work for your council."
    )


def invitation_resend(*, by: User, user: User, request: HttpRequest | None = None) -> None:
    """Email a fresh set-password link to an invited user who has not chosen a password."""
    _check_changeable(by=by, user=user)
    if user.has_usable_password() or not user.is_active:
        raise UserAdminError(f"{user} has already chosen a password or is deactivated.")
    membership = (
        Membership.objects.filter(
            user=user, organisation_id__in=organisation_ids_managed_by(user=by)
        )
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise UserAdminError("This user has no role in your organisations.")
    audit_record(
        user=by,
        action=AuditAction.USER_INVITED,
        organisation=membership.organisation,
        summary=f"Sent {user.email} a new invitation link",
        request=request,
    )
    transaction.on_commit(
        lambda: _send_invitation(
            user=user, by=by, organisation=membership.organisation, role=membership.role
        )
    )


def membership_add(
    *,
    by: User,
    user: User,
    organisation: Organisation,
    role: str,
    request: HttpRequest | None = None,
) -> Membership:
    org_ids = organisation_ids_managed_by(user=by)
    _check_organisation(by=by, organisation=organisation, org_ids=org_ids)
    _check_role(role)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _check_changeable(by=by, user=user)
        before = _roles_of(user=user, org_ids=org_ids)
        if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
            raise UserAdminError(
                f"{user} is already {Role(role).label.lower()} at {organisation.name}."
            )
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        forget_memberships(user=by)
        audit_record(
            user=by,
            action=AuditAction.USER_CHANGED,
            organisation=organisation,
            summary=f"Gave {user.email} the role {Role(role).label}, {organisation.name}",
            changes={"roles": (before, _roles_of(user=user, org_ids=org_ids))},
            request=request,
        )
    return membership


def membership_change_role(
    *, by: User, membership: Membership, role: str, request: HttpRequest | None = None
) -> Membership:
    org_ids = organisation_ids_managed_by(user=by)
    _check_organisation(by=by, organisation=membership.organisation, org_ids=org_ids)
    _check_role(role)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=membership.user_id)
        _check_changeable(by=by, user=user)
        membership = Membership.objects.select_related("organisation").get(pk=membership.pk)
        if membership.role == role:
            return membership
        if Membership.objects.filter(
            user=user, organisation=membership.organisation, role=role
        ).exists():
            raise UserAdminError(
                f"{user} is already {Role(role).label.lower()} at {membership.organisation.name}."
            )
        _check_keeps_an_administrator(by=by, losing=[membership])
        before = _roles_of(user=user, org_ids=org_ids)
        old_label = membership.get_role_display()
        membership.role = role
        membership.save(update_fields=["role"])
        forget_memberships(user=by)
        audit_record(
            user=by,
            action=AuditAction.USER_CHANGED,
            organisation=membership.organisation,
            summary=(
                f"Changed {user.email} from {old_label} to {Role(role).label}, "
                f"{membership.organisation.name}"
            ),
            changes={"roles": (before, _roles_of(user=user, org_ids=org_ids))},
            request=request,
        )
    return membership


def membership_remove(
    *, by: User, membership: Membership, request: HttpRequest | None = None
) -> None:
    """Remove one membership. Allowed for any user with a membership the acting user manages,
    including one who also works elsewhere (their other memberships are untouched)."""
    org_ids = organisation_ids_managed_by(user=by)
    _check_organisation(by=by, organisation=membership.organisation, org_ids=org_ids)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=membership.user_id)
        membership = Membership.objects.select_related("organisation").get(pk=membership.pk)
        _check_keeps_an_administrator(by=by, losing=[membership])
        before = _roles_of(user=user, org_ids=org_ids)
        summary = (
            f"Removed {user.email}'s role {membership.get_role_display()}, "
            f"{membership.organisation.name}"
        )
        organisation = membership.organisation
        membership.delete()
        forget_memberships(user=by)
        audit_record(
            user=by,
            action=AuditAction.USER_CHANGED,
            organisation=organisation,
            summary=summary,
            changes={"roles": (before, _roles_of(user=user, org_ids=org_ids))},
            request=request,
        )


def _first_managed_organisation(*, user: User, org_ids: frozenset[int]) -> Organisation | None:
    membership = (
        Membership.objects.filter(user=user, organisation_id__in=org_ids)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    return membership.organisation if membership else None


def user_deactivate(*, by: User, user: User, request: HttpRequest | None = None) -> User:
    """Switch a user off: they cannot sign in, and any session they have ends at its next
    request. Their memberships stay, so the record of who did what is intact."""
    org_ids = organisation_ids_managed_by(user=by)
    if user.pk == by.pk:
        raise UserAdminError("You cannot deactivate your own account.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _check_changeable(by=by, user=user)
        if not user.is_active:
            raise UserAdminError(f"{user} is already deactivated.")
        _check_keeps_an_administrator(by=by, losing=[], deactivating=user)
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(
            user=by,
            action=AuditAction.USER_DEACTIVATED,
            organisation=_first_managed_organisation(user=user, org_ids=org_ids),
            summary=f"Deactivated {user.email}",
            changes={
                "is_active": (True, False),
                "roles": (roles := _roles_of(user=user, org_ids=org_ids), roles),
            },
            request=request,
        )
    return user


def user_reactivate(*, by: User, user: User, request: HttpRequest | None = None) -> User:
    org_ids = organisation_ids_managed_by(user=by)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _check_changeable(by=by, user=user)
        if user.is_active:
            raise UserAdminError(f"{user} is already active.")
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(
            user=by,
            action=AuditAction.USER_CHANGED,
            organisation=_first_managed_organisation(user=user, org_ids=org_ids),
            summary=f"Reactivated {user.email}",
            changes={"is_active": (False, True)},
            request=request,
        )
    return user


def _home_organisation(user: User) -> Organisation | None:
    membership = user.memberships.select_related("organisation").order_by("pk").first()
    return membership.organisation if membership else None


def password_reset_requested(*, user: User, request: HttpRequest | None = None) -> None:
    """Record that a reset link was sent to `user` (asked for by someone not signed in)."""
    audit_record(
        user=user,
        action=AuditAction.PASSWORD_RESET_REQUESTED,
        organisation=_home_organisation(user),
        summary="A password reset link was emailed to the account's address",
        request=request,
    )


def password_changed(*, user: User, how: str, request: HttpRequest | None = None) -> None:
    audit_record(
        user=user,
        action=AuditAction.PASSWORD_CHANGED,
        organisation=_home_organisation(user),
        summary=how,
        request=request,
    )


def signed_in(*, user: User, request: HttpRequest | None = None) -> None:
    audit_record(
        user=user,
        action=AuditAction.SIGNED_IN,
        organisation=_home_organisation(user),
        summary="Signed in",
        request=request,
    )


def sign_in_failed(*, email: str, request: HttpRequest | None = None) -> None:
    """Record a failed sign-in to an existing account (the actor is unknown, so no user).
    Nothing is recorded for addresses that have no account: typed values are not kept."""
    account = User.objects.filter(email__iexact=email).first()
    if account is None:
        return
    audit_record(
        user=None,
        action=AuditAction.SIGN_IN_FAILED,
        organisation=_home_organisation(account),
        summary=f"Failed sign-in to {account.email}",
        request=request,
    )
