"""A council administrator's credential settings: API clients, the credentials they had
issued, and the outside issuers the council vouches for in the trust registry."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from skillspassport.accounts.access import council_choice
from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import Organisation
from skillspassport.credentials import forms, keystore, selectors, services


def _council(request: AuthenticatedRequest) -> Organisation:
    return selectors.council_administered_by(
        user=request.user,
        choice=council_choice(request),
    )


@require_GET
def overview(request: AuthenticatedRequest) -> HttpResponse:
    council = _council(request)
    labels = dict(selectors.council_award_choices(council=council))
    clients = list(selectors.api_clients_of(council=council))
    for client in clients:
        client.award_labels = [labels.get(code, code) for code in client.allowed_awards]  # type: ignore[attr-defined]
    context = {
        "council": council,
        "council_did": keystore.issuer_did(council),
        "clients": clients,
        "issued": selectors.api_issued_credentials_of(council=council)[:50],
        "trusted": selectors.trusted_issuers(),
    }
    return render(request, "credentials/registry/overview.html", context)


def _secret_page(
    request: AuthenticatedRequest, client: Any, secret: str, *, new: bool
) -> HttpResponse:
    response = render(
        request,
        "credentials/registry/secret.html",
        {"client": client, "secret": secret, "new": new, "token_url": "/o/token/"},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def client_create(request: AuthenticatedRequest) -> HttpResponse:
    council = _council(request)
    form = forms.ApiClientForm(
        request.POST or None, award_choices=selectors.council_award_choices(council=council)
    )
    if request.method == "POST" and form.is_valid():
        try:
            client, secret = services.api_client_create(
                council=council,
                name=form.cleaned_data["name"],
                allowed_awards=form.cleaned_data["awards"],
                sandbox=form.cleaned_data["sandbox"] == "yes",
                user=request.user,
                request=request,
            )
        except services.RegistryError as exc:
            form.add_error(None, str(exc))
        else:
            return _secret_page(request, client, secret, new=True)
    return render(
        request, "credentials/registry/client_form.html", {"form": form, "council": council}
    )


@require_http_methods(["GET", "POST"])
def client_change(request: AuthenticatedRequest, client_id: int, action: str) -> HttpResponse:
    """Confirm, then replace a client's secret (`rotate`) or revoke it (`revoke`)."""
    council = _council(request)
    client = selectors.api_client_of(council=council, client_id=client_id)
    if request.method == "POST":
        try:
            if action == "rotate":
                secret = services.api_client_rotate_secret(
                    client=client,
                    user=request.user,
                    request=request,
                )
                return _secret_page(request, client, secret, new=False)
            services.api_client_revoke(client=client, user=request.user, request=request)
        except services.RegistryError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{client.name} revoked: it can no longer get tokens.")
        return redirect("credentials:registry")
    return render(
        request, "credentials/registry/client_confirm.html", {"client": client, "action": action}
    )


@require_http_methods(["GET", "POST"])
def issued_withdraw(request: AuthenticatedRequest, credential_id: str) -> HttpResponse:
    """Suspend or revoke a credential an API client had issued."""
    council = _council(request)
    credential = selectors.api_issued_credential_of(council=council, public_id=credential_id)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = {"suspend": services.credential_suspend, "revoke": services.credential_revoke}
        try:
            action[form.cleaned_data["action"]](
                user=request.user,
                credential=credential,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.CredentialError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Done: anyone who checks it now sees its new status.")
            return redirect("credentials:registry")
    return render(
        request,
        "credentials/registry/issued_withdraw.html",
        {"form": form, "credential": credential},
    )


@require_http_methods(["GET", "POST"])
def trusted_add(request: AuthenticatedRequest) -> HttpResponse:
    council = _council(request)
    form = forms.TrustedIssuerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issuer = services.trusted_issuer_add(
                council=council,
                user=request.user,
                request=request,
                **form.cleaned_data,
            )
        except services.RegistryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{issuer.name} added to the trust registry.")
            return redirect("credentials:registry")
    return render(request, "credentials/registry/trusted_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def trusted_remove(request: AuthenticatedRequest, issuer_id: int) -> HttpResponse:
    """Only the council that vouched for an issuer may remove it."""
    council = _council(request)
    issuer = selectors.trusted_issuer_vouched_by(council=council, issuer_id=issuer_id)
    if request.method == "POST":
        services.trusted_issuer_remove(issuer=issuer, user=request.user, request=request)
        messages.success(
            request, f"{issuer.name} removed: its credentials are no longer shown as valid."
        )
        return redirect("credentials:registry")
    return render(request, "credentials/registry/trusted_remove.html", {"issuer": issuer})
