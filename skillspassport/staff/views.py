"""Signing in and out, passwords, and a council administrator's user administration."""

from __future__ import annotations

import time
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit

from skillspassport.accounts import selectors
from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import Membership, User
from skillspassport.core.middleware import SIGNED_IN_AT
from skillspassport.core.pagination import KeysFirstPaginator
from skillspassport.staff import forms, services

PAGE_SIZE = 50
ADDRESS_FAILURES = "sign-in-failures-by-address"


def _address_failure_rate(group: str, request: HttpRequest) -> str:
    return f"{settings.LOGIN_ADDRESS_FAILURE_LIMIT}/{settings.LOGIN_COOLOFF_MINUTES}m"


def _address_failures(request: HttpRequest, *, increment: bool) -> bool:
    """Whether this address has failed to sign in too often, with any emails (counting this
    failure if `increment`). Accounts are locked separately by django-axes."""
    usage = get_usage(
        request,
        group=ADDRESS_FAILURES,
        key="ip",
        rate=_address_failure_rate,
        method=["POST"],
        increment=increment,
    )
    return bool(usage and usage["should_limit"])


def _paused(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/locked_out.html", status=429)


class SignInView(auth_views.LoginView):
    form_class = forms.SignInForm
    template_name = "staff/sign_in.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _address_failures(request, increment=False):
            return _paused(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        self.request.session[SIGNED_IN_AT] = time.time()
        services.signed_in(user=form.get_user(), request=self.request)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        if form.non_field_errors():
            services.sign_in_failed(
                email=form.cleaned_data.get("username", ""), request=self.request
            )
            if _address_failures(self.request, increment=True):
                return _paused(self.request)
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    template_name = "staff/signed_out.html"


# --- Passwords -------------------------------------------------------------------------------


def _reset_rate(group: str, request: HttpRequest) -> str:
    return str(settings.PASSWORD_RESET_RATE_LIMIT)


@method_decorator(ratelimit(key="ip", rate=_reset_rate, method="POST", block=True), name="dispatch")
@method_decorator(
    ratelimit(key="post:email", rate=_reset_rate, method="POST", block=True), name="dispatch"
)
class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The answer is the same whether or not the address has an
    account, so the page cannot be used to find out who works here."""

    form_class = forms.PasswordResetRequestForm
    template_name = "staff/password_reset.html"
    email_template_name = "staff/email/password_reset.txt"
    subject_template_name = "staff/email/password_reset_subject.txt"
    success_url = reverse_lazy("staff:password-reset-sent")

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = {
            "site_url": settings.SITE_URL,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        for user in form.get_users(form.cleaned_data["email"]):
            services.password_reset_requested(user=user, request=self.request)
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "staff/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a password from an emailed link: a reset, or an invitation's first password."""

    form_class = forms.NewPasswordForm
    template_name = "staff/password_reset_confirm.html"
    success_url = reverse_lazy("staff:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever holds the emailed link may sign in now, even if the account was locked.
        axes_reset(username=form.user.email)
        services.password_changed(
            user=form.user, how="Chose a password from an emailed link", request=self.request
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "staff/password_reset_complete.html"


@method_decorator(ratelimit(key="user", rate="10/h", method="POST", block=True), name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.ChangePasswordForm
    template_name = "staff/password_change.html"
    success_url = reverse_lazy("staff:password-change-done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(
            user=form.user, how="Changed their password while signed in", request=self.request
        )
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "staff/password_change_done.html"


# --- User administration ---------------------------------------------------------------------


def _manager(request: AuthenticatedRequest) -> User:
    user = request.user
    if not selectors.organisation_ids_managed_by(user=user):
        raise PermissionDenied
    return user


def _role_guide() -> list[tuple[str, str]]:
    return [(role.label, hint) for role, hint in forms.ROLE_HINTS.items()]


@require_GET
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    manager = _manager(request)
    organisations = selectors.organisations_managed_by(user=manager)
    form = forms.UserSearchForm(request.GET or None, organisations=organisations)
    query, role, organisation_id = "", "", None
    if form.is_valid():
        query = form.cleaned_data["q"]
        role = form.cleaned_data["role"]
        organisation_id = form.cleaned_data["organisation"] or None
    users = selectors.managed_users(
        manager=manager, query=query, role=role, organisation_id=organisation_id
    )
    page = KeysFirstPaginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/users/list.html",
        {"form": form, "page": page, "query": query, "organisations": organisations},
    )


@require_http_methods(["GET", "POST"])
def user_invite(request: AuthenticatedRequest) -> HttpResponse:
    manager = _manager(request)
    organisations = selectors.organisations_managed_by(user=manager)
    form = forms.InviteForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_invite(
                by=manager,
                email=data["email"],
                full_name=data["full_name"],
                organisation=data["organisation"],
                role=data["role"],
                request=request,
            )
        except services.UserAdminError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("staff:user-detail", user_id=user.pk)
    return render(request, "staff/users/invite.html", {"form": form, "role_guide": _role_guide()})


def _detail_context(manager: User, user: User, add_form: Any = None) -> dict[str, Any]:
    fully = selectors.user_is_fully_managed(manager=manager, user=user)
    organisations = selectors.organisations_managed_by(user=manager)
    return {
        "subject": user,
        "memberships": user.managed_memberships,  # type: ignore[attr-defined]
        "outside": selectors.memberships_outside(manager=manager, user=user),
        "fully_managed": fully,
        "is_self": user.pk == manager.pk,
        "add_form": add_form or forms.MembershipAddForm(organisations=organisations),
        "role_guide": _role_guide(),
        "invited": not user.has_usable_password(),
    }


@require_GET
def user_detail(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    manager = _manager(request)
    user = selectors.managed_user_get(manager=manager, user_id=user_id)
    return render(request, "staff/users/detail.html", _detail_context(manager, user))


@require_POST
def membership_add(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    manager = _manager(request)
    user = selectors.managed_user_get(manager=manager, user_id=user_id)
    organisations = selectors.organisations_managed_by(user=manager)
    form = forms.MembershipAddForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            membership = services.membership_add(
                by=manager,
                user=user,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                request=request,
            )
        except services.UserAdminError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(
                request,
                f"{user} is now {membership.get_role_display().lower()} at "
                f"{membership.organisation.name}.",
            )
            return redirect("staff:user-detail", user_id=user.pk)
    context = _detail_context(manager, user, add_form=form)
    context["form"] = form  # for the page title's "Error:" prefix and the error summary
    return render(request, "staff/users/detail.html", context, status=200)


def _membership(
    request: AuthenticatedRequest, user_id: int, membership_id: int
) -> tuple[User, Membership]:
    manager = _manager(request)
    user = selectors.managed_user_get(manager=manager, user_id=user_id)
    membership = selectors.managed_membership_get(
        manager=manager, user=user, membership_id=membership_id
    )
    return user, membership


@require_http_methods(["GET", "POST"])
def membership_change(
    request: AuthenticatedRequest, user_id: int, membership_id: int
) -> HttpResponse:
    user, membership = _membership(request, user_id, membership_id)
    form = forms.RoleChangeForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.membership_change_role(
                by=request.user,
                membership=membership,
                role=form.cleaned_data["role"],
                request=request,
            )
        except services.UserAdminError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{user} is now {changed.get_role_display().lower()} at "
                f"{changed.organisation.name}.",
            )
            return redirect("staff:user-detail", user_id=user.pk)
    return render(
        request,
        "staff/users/membership_change.html",
        {"form": form, "subject": user, "membership": membership, "role_guide": _role_guide()},
    )


@require_http_methods(["GET", "POST"])
def membership_remove(
    request: AuthenticatedRequest, user_id: int, membership_id: int
) -> HttpResponse:
    user, membership = _membership(request, user_id, membership_id)
    error = ""
    if request.method == "POST":
        try:
            services.membership_remove(
                by=request.user,
                membership=membership,
                request=request,
            )
        except services.UserAdminError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                f"{user} is no longer {membership.get_role_display().lower()} at "
                f"{membership.organisation.name}.",
            )
            if selectors.managed_users(manager=request.user).filter(pk=user.pk).exists():
                return redirect("staff:user-detail", user_id=user.pk)
            return redirect("staff:users")
    return render(
        request,
        "staff/users/membership_remove.html",
        {"subject": user, "membership": membership, "error": error},
    )


@require_http_methods(["GET", "POST"])
def user_access(request: AuthenticatedRequest, user_id: int, action: str) -> HttpResponse:
    """Confirm, then deactivate or reactivate a user, or send a new invitation link."""
    manager = _manager(request)
    user = selectors.managed_user_get(manager=manager, user_id=user_id)
    done = {
        "deactivate": (services.user_deactivate, f"{user} is deactivated and cannot sign in."),
        "reactivate": (services.user_reactivate, f"{user} can sign in again."),
        "resend": (services.invitation_resend, f"A new invitation link was sent to {user.email}."),
    }
    if action not in done:
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        service, message = done[action]
        try:
            service(by=manager, user=user, request=request)
        except services.UserAdminError as exc:
            error = str(exc)
        else:
            messages.success(request, message)
            return redirect("staff:user-detail", user_id=user.pk)
    return render(
        request,
        "staff/users/access.html",
        {"subject": user, "action": action, "error": error},
    )
