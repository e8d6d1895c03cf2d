"""Public pages and documents: the verify page, share links, DID documents and status lists.

An issuer's name is shown only from the trust registry (`result.issuer_name`), never from the
credential; what an untrusted or failed credential says about itself is labelled as its claim.
"""

from __future__ import annotations

import io
import json
from typing import Any

import segno
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from skillspassport.accounts.models import Organisation
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.credentials import badges, forms, keystore, selectors, services
from skillspassport.credentials.models import IssuedCredential, IssuerKey, StatusPurpose
from skillspassport.credentials.vc.canon import TooComplexError
from skillspassport.credentials.vc.verifier import InputError, Verification, parse_json

OUTCOME_TEXT = {
    "valid": ("Valid", "This credential is genuine, unchanged and current."),
    "revoked": ("Revoked", "The issuer has withdrawn this credential. Do not rely on it."),
    "suspended": ("Suspended", "The issuer has suspended this credential for now."),
    "expired": ("Expired", "This credential is past its end date."),
    "not_yet_valid": ("Not yet valid", "This credential's start date has not come yet."),
    "tampered": (
        "Not genuine",
        "The credential has been changed since it was signed: the signature does not match.",
    ),
    "issuer_mismatch": (
        "Not genuine",
        "It was signed with a key that does not belong to the issuer it names.",
    ),
    "unknown_issuer": (
        "Issuer cannot be checked",
        "The signing key is not one this service can find, so the signature was not checked.",
    ),
    "untrusted_issuer": (
        "Issuer not recognised",
        (
            "The signature is valid, but this issuer is not one this service recognises: "
            "nothing here confirms who issued it. Do not rely on it as a council's passport."
        ),
    ),
    "malformed": ("Cannot be checked", "This is not a credential this service can verify."),
}


def verify_rate(group: str, request: HttpRequest) -> str:
    """Public verification requests allowed per address (a setting, read per request)."""
    return str(settings.VERIFY_RATE_LIMIT)


def result_context(result: Verification, *, email: str = "") -> dict[str, Any]:
    title, explanation = OUTCOME_TEXT[result.outcome.value]
    credential = result.credential if isinstance(result.credential, dict) else {}
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    context = {
        "result": result,
        "outcome_title": title,
        "outcome_text": explanation,
        # Only ever from the registry: the credential's own issuer.name is not evidence.
        "issuer_name": result.issuer_name if result.trusted else None,
        "issuer_id": result.issuer_id,
        "claims_confirmed": result.trusted,
        "achievement": achievement if isinstance(achievement, dict) else None,
        "credential_name": _text(credential.get("name")),
        "valid_from": _text(credential.get("validFrom")),
        "valid_until": _text(credential.get("validUntil")),
    }
    if email:
        context["holder_checked"] = True
        context["holder_match"] = badges.identity_matches(credential, email=email)
    return context


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@ratelimit(key="ip", rate=verify_rate, block=True)
@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    form = forms.VerifyForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            document = parse_json(form.cleaned_data["raw"])
            result = selectors.credential_verify(document)
        except (InputError, TooComplexError) as exc:
            form.add_error("credential", str(exc))
        else:
            context |= result_context(result, email=form.cleaned_data.get("email", ""))
    status = 400 if form.errors else 200
    return render(request, "credentials/verify.html", context, status=status)


def _shared(token: str) -> IssuedCredential:
    credential = selectors.credential_by_share_token(token)
    if credential is None:
        raise Http404("This share link has been withdrawn or never existed.")
    return credential


@ratelimit(key="ip", rate=verify_rate, block=True)
@require_http_methods(["GET", "POST"])
def share_page(request: HttpRequest, token: str) -> HttpResponse:
    """The shared credential, checked now; an employer may check it is the holder's by typing
    the email address the holder gives them (compared with the salted hash, never shown)."""
    credential = _shared(token)
    form = forms.HolderCheckForm(request.POST or None)
    email = form.cleaned_data["email"] if request.method == "POST" and form.is_valid() else ""
    context = result_context(selectors.credential_verify(credential.document), email=email)
    context |= {
        "token": token,
        "credential": credential,
        "share_url": _share_url(token),
        "holder_form": form,
    }
    audit_shown(
        user=request.user,
        residents=[credential.resident],
        request=request,
        summary="Shared credential opened from its link",
    )
    return render(request, "credentials/share.html", context)


@require_GET
def share_download(request: HttpRequest, token: str) -> HttpResponse:
    credential = _shared(token)
    audit_shown(
        user=request.user,
        residents=[credential.resident],
        request=request,
        action=AuditAction.CREDENTIAL_DOWNLOADED,
        summary="Downloaded from its share link",
    )
    return json_download(credential)


def json_download(credential: IssuedCredential) -> HttpResponse:
    response = HttpResponse(
        json.dumps(credential.document, indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    name = f"skills-passport-{credential.strand_code}-{credential.level}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


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


def _did_document(did: str, keys: list[IssuerKey], method_did: str | None = None) -> HttpResponse:
    methods = [
        {
            "id": f"{method_did or did}#{key.key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_multikey,
        }
        for key in keys
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
def did_document(request: HttpRequest) -> HttpResponse:
    """The deployment's own did:web: the keys of credentials issued before each council had a
    DID of its own (councils' keys only; retired ones included)."""
    keys = selectors.published_keys()
    return _did_document(keystore.did_web(), keys)


@require_GET
def council_did_document(request: HttpRequest, council_id: int) -> HttpResponse:
    """A council's own DID document (did:web:<host>:councils:<id>): all its keys, retired too."""
    council = selectors.council_get_public(council_id=council_id)
    keys = selectors.published_keys(council=council)
    return _did_document(keystore.council_did(council.pk), keys)


@require_GET
def status_list(request: HttpRequest, owner: str, purpose: str) -> HttpResponse:
    """A council's (by id) or the sandbox's status list, as a signed credential."""
    if purpose not in StatusPurpose.values:
        raise Http404("No such status list")
    council: Organisation | None = None
    if owner != "sandbox":
        if not owner.isdigit():
            raise Http404("No such status list")
        council = selectors.council_get_public(council_id=owner)
    document = selectors.status_list_published(council=council, purpose=purpose)
    if document is None:  # nothing issued yet: a public GET never makes the list
        raise Http404("No such status list")
    response = JsonResponse(document, content_type="application/vc+ld+json")
    response["Cache-Control"] = "public, max-age=300"
    return response
