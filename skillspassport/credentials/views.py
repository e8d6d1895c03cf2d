"""Pages and endpoints for credentials: staff actions on a resident's credentials, the public
verify page and share links, the DID document, status lists and the W3C VC-API."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from skillspassport.accounts.models import Organisation
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import organisations_where
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.credentials import forms, keystore, selectors, services
from skillspassport.credentials.models import IssuedCredential, IssuerKey, StatusPurpose
from skillspassport.credentials.vc import eddsa
from skillspassport.credentials.vc.canon import JsonLdError, TooComplexError
from skillspassport.credentials.vc.contexts import OPEN_BADGES_V3
from skillspassport.credentials.vc.verifier import InputError, Verification, parse_json
from skillspassport.people.selectors import resident_get_for_user

JSONLD = "application/ld+json"

OUTCOME_TEXT = {
    "valid": ("Valid", "This credential is genuine, unchanged and current."),
    "revoked": ("Revoked", "The issuer has withdrawn this credential. Do not rely on it."),
    "suspended": ("Suspended", "The issuer has suspended this credential for now."),
    "expired": ("Expired", "This credential was genuine but is past its end date."),
    "not_yet_valid": ("Not yet valid", "This credential's start date has not come yet."),
    "tampered": (
        "Not genuine",
        (
            "The credential has been changed since it was signed, or the signature is not "
            "the issuer's."
        ),
    ),
    "issuer_mismatch": (
        "Not genuine",
        "The credential was signed with a key that does not belong to the issuer it names.",
    ),
    "untrusted_issuer": (
        "Issuer not recognised",
        "The signature is valid, but the issuer is not one this service recognises.",
    ),
    "unknown_issuer": (
        "Issuer not recognised",
        "The signature could not be checked because the signing key is not one this service knows.",
    ),
    "malformed": ("Cannot be checked", "This is not a credential this service can verify."),
}


# --- Staff: a resident's credentials -------------------------------------------------------


def _credential_for(request: HttpRequest, public_id: str, credential_id: str, cap: Capability):
    resident = resident_get_for_user(user=request.user, public_id=public_id, capability=cap)  # type: ignore[arg-type]
    credential = get_object_or_404(IssuedCredential, resident=resident, public_id=credential_id)
    return resident, credential


def _back(resident: Any) -> HttpResponse:
    return redirect(reverse("people:detail", args=[resident.public_id]) + "#credentials")


@require_POST
def credential_issue(request: HttpRequest, public_id: str) -> HttpResponse:
    user: Any = request.user
    resident = resident_get_for_user(
        user=user, public_id=public_id, capability=Capability.ISSUE_CREDENTIALS
    )
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The credential could not be issued: choose a valid option.")
        return _back(resident)
    years = form.cleaned_data["validity"]
    valid_until = timezone.now() + timedelta(days=365 * int(years)) if years else None
    try:
        issued = services.credential_issue(
            resident=resident,
            strand_code=form.cleaned_data["strand"],
            user=user,
            valid_until=valid_until,
            request=request,
        )
    except services.CredentialError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{issued.document['name']} credential issued.")
    return _back(resident)


@require_GET
def credential_download(request: HttpRequest, public_id: str, credential_id: str) -> HttpResponse:
    resident, credential = _credential_for(
        request, public_id, credential_id, Capability.VIEW_RESIDENTS
    )
    audit_record(
        user=request.user,  # type: ignore[arg-type]
        action=AuditAction.CREDENTIAL_DOWNLOADED,
        resident=resident,
        summary=str(credential.document.get("name")),
        request=request,
    )
    return _json_download(credential)


def _json_download(credential: IssuedCredential) -> HttpResponse:
    response = HttpResponse(
        json.dumps(credential.document, indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    name = f"skills-passport-{credential.strand_code}-{credential.level}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def credential_withdraw(request: HttpRequest, public_id: str, credential_id: str) -> HttpResponse:
    user: Any = request.user
    resident, credential = _credential_for(
        request, public_id, credential_id, Capability.REVOKE_CREDENTIALS
    )
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = {"suspend": services.credential_suspend, "revoke": services.credential_revoke}
        try:
            action[form.cleaned_data["action"]](
                user=user,
                credential=credential,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.CredentialError as exc:
            form.add_error(None, str(exc))
        else:
            done = "revoked" if form.cleaned_data["action"] == "revoke" else "suspended"
            messages.success(request, f"{credential.document['name']} credential {done}.")
            return _back(resident)
    return render(
        request,
        "credentials/withdraw.html",
        {"form": form, "resident": resident, "credential": credential},
    )


@require_POST
def credential_reinstate(request: HttpRequest, public_id: str, credential_id: str) -> HttpResponse:
    resident, credential = _credential_for(
        request, public_id, credential_id, Capability.REVOKE_CREDENTIALS
    )
    try:
        services.credential_reinstate(user=request.user, credential=credential, request=request)  # type: ignore[arg-type]
    except services.CredentialError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{credential.document['name']} credential reinstated.")
    return _back(resident)


@require_POST
def credential_share(request: HttpRequest, public_id: str, credential_id: str) -> HttpResponse:
    resident, credential = _credential_for(
        request, public_id, credential_id, Capability.ISSUE_CREDENTIALS
    )
    withdraw = request.POST.get("withdraw") == "1"
    try:
        if withdraw:
            services.share_link_withdraw(user=request.user, credential=credential, request=request)  # type: ignore[arg-type]
            messages.success(request, "Share link withdrawn: it no longer opens the credential.")
        else:
            services.share_link_create(user=request.user, credential=credential, request=request)  # type: ignore[arg-type]
            messages.success(request, "Share link made. Give it to the resident or an employer.")
    except services.CredentialError as exc:
        messages.error(request, str(exc))
    return _back(resident)


# --- Public: verify page and share links ----------------------------------------------------


def _result_context(result: Verification) -> dict[str, Any]:
    title, explanation = OUTCOME_TEXT[result.outcome.value]
    credential = result.credential or {}
    subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    return {
        "result": result,
        "outcome_title": title,
        "outcome_text": explanation,
        "issuer_name": result.issuer_name,
        "achievement": achievement if isinstance(achievement, dict) else None,
        "credential_name": credential.get("name") if isinstance(credential, dict) else None,
        "valid_from": credential.get("validFrom") if isinstance(credential, dict) else None,
        "valid_until": credential.get("validUntil") if isinstance(credential, dict) else None,
    }


@ratelimit(key="ip", rate=lambda group, request: settings.VERIFY_RATE_LIMIT, block=True)
@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    form = forms.VerifyForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            document = parse_json(form.cleaned_data["raw"])
        except InputError as exc:
            form.add_error("credential", str(exc))
        else:
            context |= _result_context(selectors.credential_verify(document))
    return render(request, "credentials/verify.html", context)


def _shared(token: str) -> IssuedCredential:
    credential = selectors.credential_by_share_token(token)
    if credential is None:
        raise Http404("This share link has been withdrawn or never existed.")
    return credential


@require_GET
def share_page(request: HttpRequest, token: str) -> HttpResponse:
    credential = _shared(token)
    context = _result_context(selectors.credential_verify(credential.document))
    context |= {"token": token, "credential": credential, "share_url": _share_url(token)}
    return render(request, "credentials/share.html", context)


@require_GET
def share_download(request: HttpRequest, token: str) -> HttpResponse:
    return _json_download(_shared(token))


@require_GET
def share_qr(request: HttpRequest, token: str) -> HttpResponse:
    _shared(token)
    out = io.BytesIO()
    segno.make(_share_url(token), error="m").save(
        out, kind="svg", scale=4, dark="#0b0c0c", xmldecl=False, svgns=True
    )
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


def _share_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('credentials:share', args=[token])}"


@require_http_methods(["GET", "POST"])
def share_withdraw_by_resident(request: HttpRequest, token: str) -> HttpResponse:
    """The resident's own "stop sharing" link, printed on their passport."""
    credential = selectors.credential_by_withdraw_token(token)
    if credential is None:
        return render(request, "credentials/share_withdrawn.html", {"already": True})
    if request.method == "POST":
        services.share_link_withdraw(user=None, credential=credential, request=request)
        return render(request, "credentials/share_withdrawn.html", {"already": False})
    return render(
        request, "credentials/share_withdraw.html", {"credential": credential, "token": token}
    )


# --- Published documents ----------------------------------------------------------------------


@require_GET
def did_document(request: HttpRequest) -> HttpResponse:
    """This deployment's did:web DID document: every council's keys, retired ones included."""
    did = keystore.did_web()
    methods = [
        {
            "id": f"{did}#{key.key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_multikey,
        }
        for key in IssuerKey.objects.order_by("pk")
    ]
    document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }
    response = JsonResponse(document, content_type="application/did+json")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def status_list(request: HttpRequest, council_id: int, purpose: str) -> HttpResponse:
    if purpose not in StatusPurpose.values:
        raise Http404("No such status list")
    council = get_object_or_404(Organisation, pk=council_id, kind="council")
    document = services.status_list_credential(council, purpose)
    response = JsonResponse(document, content_type="application/vc+ld+json")
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- W3C VC-API -------------------------------------------------------------------------------


def _api_error(status: int, *errors: str) -> JsonResponse:
    return JsonResponse({"verified": False, "errors": list(errors), "warnings": []}, status=status)


def _api_body(request: HttpRequest) -> Any:
    if len(request.body) > 1_000_000:
        raise InputError("The request body is larger than 1 MB.")
    return parse_json(request.body)


def _verification_json(result: Verification) -> dict[str, Any]:
    return {
        "verified": result.verified,
        "outcome": result.outcome.value,
        "errors": result.errors,
        "warnings": result.warnings,
        "checks": result.checks,
    }


@csrf_exempt
@ratelimit(key="ip", rate=lambda group, request: settings.VERIFY_RATE_LIMIT, block=True)
@require_POST
def api_verify_credential(request: HttpRequest) -> JsonResponse:
    try:
        body = _api_body(request)
    except InputError as exc:
        return _api_error(413 if "1 MB" in str(exc) else 400, str(exc))
    if not isinstance(body, dict) or "verifiableCredential" not in body:
        return _api_error(400, 'Send {"verifiableCredential": {...}, "options": {...}}.')
    result = selectors.credential_verify(body["verifiableCredential"])
    return JsonResponse(_verification_json(result), status=200 if result.verified else 400)


@csrf_exempt
@ratelimit(key="ip", rate=lambda group, request: settings.VERIFY_RATE_LIMIT, block=True)
@require_POST
def api_verify_presentation(request: HttpRequest) -> JsonResponse:
    try:
        body = _api_body(request)
    except InputError as exc:
        return _api_error(413 if "1 MB" in str(exc) else 400, str(exc))
    if not isinstance(body, dict) or "verifiablePresentation" not in body:
        return _api_error(400, 'Send {"verifiablePresentation": {...}, "options": {...}}.')
    result, each = selectors.presentation_verify(body["verifiablePresentation"])
    payload = _verification_json(result) | {
        "credentialResults": [_verification_json(r) for r in each]
    }
    return JsonResponse(payload, status=200 if result.verified else 400)


@require_POST
def api_issue_credential(request: HttpRequest) -> JsonResponse:
    """VC-API issue: sign the given credential as the user's council (staff only).

    Session-authenticated, so CSRF applies. The issuer must be this deployment's DID (or left
    out, and it is filled in with the council's profile).
    """
    user: Any = request.user
    if not user.is_authenticated:
        return _api_error(401, "Sign in as staff to issue credentials.")
    councils = [
        org.scheme_council
        for org in organisations_where(user=user, capability=Capability.ISSUE_CREDENTIALS)
        if org.scheme_council is not None
    ]
    if not councils:
        raise PermissionDenied
    council = councils[0]
    try:
        body = _api_body(request)
    except InputError as exc:
        return _api_error(413 if "1 MB" in str(exc) else 400, str(exc))
    credential = body.get("credential") if isinstance(body, dict) else None
    if not isinstance(credential, dict):
        return _api_error(400, 'Send {"credential": {...}, "options": {...}}.')
    if "proof" in credential:
        return _api_error(400, "The credential already has a proof.")
    did = keystore.did_web()
    issuer = credential.get("issuer")
    if issuer is None:
        # A Profile with the council's name where the Open Badges context defines it.
        open_badges = OPEN_BADGES_V3 in (credential.get("@context") or [])
        credential["issuer"] = (
            {"id": did, "type": ["Profile"], "name": council.name} if open_badges else did
        )
    elif (issuer.get("id") if isinstance(issuer, dict) else issuer) != did:
        return _api_error(400, f"This service can only issue as {did}.")
    key = keystore.issuer_key_for(council)
    try:
        signed = eddsa.sign(
            credential,
            keystore.private_key(key),
            verification_method=keystore.verification_method(key),
            created=services.now_iso(),
        )
    except (JsonLdError, TooComplexError) as exc:
        return _api_error(400, str(exc))
    return JsonResponse(signed, status=201)
