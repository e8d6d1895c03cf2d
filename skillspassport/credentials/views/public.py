"""Public pages and documents: the verify page, share links, DID documents and status lists.

An issuer's name is shown only from the trust registry (`result.issuer_name`), never from the
credential; what an untrusted or failed credential says about itself is labelled as its claim.
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable
from typing import Any

import segno
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from skillspassport.accounts.models import Organisation
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.core.middleware import answers_oversized_requests
from skillspassport.core.site import public_base_url
from skillspassport.credentials import badges, forms, keystore, selectors, services
from skillspassport.credentials.models import IssuedCredential, IssuerKey, StatusPurpose
from skillspassport.credentials.vc.canon import TooComplexError
from skillspassport.credentials.vc.jsonparse import MAX_BYTES, MAX_DEPTH
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


# Why a pasted or uploaded credential could not be read, in words for the person checking it
# (the parser's own messages are for software, on the VC-API).
INPUT_PROBLEMS = {
    "not_json": (
        "This is not a credential file: it is not in the format (JSON) a credential is written "
        "in. Check you pasted all of it, from the first { to the last }, or upload the file "
        "you were given."
    ),
    "duplicate_key": (
        "This is not a credential this service can check: it gives the same detail twice, "
        "which a genuine credential never does."
    ),
    "too_large": (
        f"The credential is too large to check: it is over {MAX_BYTES // 1_000_000} MB. "
        "A Skills Passport credential is a few kilobytes, so check you chose the right file."
    ),
    "too_deep": (
        f"This is not a credential this service can check: it is nested more than {MAX_DEPTH} "
        "levels deep, far more than any genuine credential."
    ),
    "number": (
        "This is not a credential this service can check: it holds a number too long to read."
    ),
}
TOO_COMPLEX = (
    "This credential is too complex to check: it has far more parts than a genuine credential."
)
TOO_LARGE_PASTE = (
    "The credential is too large to check: what you sent is over {limit}. A Skills Passport "
    "credential is a few kilobytes, so check you pasted or chose the right one."
)
NOT_A_CREDENTIAL = (
    "It is not a credential this service can check: it is not signed, or it is missing "
    "details every verifiable credential has (such as its type, issuer and subject)."
)


def input_problem(exc: InputError | TooComplexError) -> str:
    """The verify page's words for a credential that cannot be read."""
    if isinstance(exc, InputError):
        return INPUT_PROBLEMS.get(exc.kind, INPUT_PROBLEMS["not_json"])
    return TOO_COMPLEX


def reasons(result: Verification, valid_until: str | None) -> list[str]:
    """Why the credential failed, in plain words: one line per outcome found."""
    found = {result.outcome.value} | {
        outcome for outcome in OUTCOME_TEXT if any(_matches(outcome, e) for e in result.errors)
    }
    lines = []
    if "malformed" in found:
        lines.append(NOT_A_CREDENTIAL)
    if "tampered" in found:
        lines.append(
            "Its signature does not match its content: something in it was changed after the "
            "issuer signed it."
        )
    if "issuer_mismatch" in found:
        lines.append("It was signed with a key that does not belong to the issuer it names.")
    if "unknown_issuer" in found:
        lines.append(
            "It was signed with a key this service does not hold, so who issued it cannot be "
            "confirmed. Only credentials from the councils this service hosts, and issuers "
            "they have vouched for, can be checked here."
        )
    if "revoked" in found:
        lines.append("The issuer has revoked it: it is no longer evidence of the holder's skills.")
    if "suspended" in found:
        lines.append("The issuer has suspended it for now.")
    if "expired" in found:
        when = _day(valid_until)
        lines.append(f"It expired on {when}." if when else "It is past its end date.")
    if "not_yet_valid" in found:
        lines.append("Its start date has not come yet.")
    return lines


_ERROR_MARKERS = {
    "revoked": "has revoked",
    "suspended": "has suspended",
    "expired": "It expired on",
    "not_yet_valid": "It is not valid until",
}


def _matches(outcome: str, error: str) -> bool:
    marker = _ERROR_MARKERS.get(outcome)
    return marker is not None and marker in error


def _day(value: str | None) -> str | None:
    """An ISO date-time as "1 December 2026", or None if it is not one."""
    if not value:
        return None
    parsed = parse_datetime(value) or parse_date(value[:10])
    if parsed is None:
        return None
    return f"{parsed.day} {parsed:%B %Y}"


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
        "reasons": reasons(result, _text(credential.get("validUntil"))),
    }
    if email:
        context["holder_checked"] = True
        context["holder_match"] = badges.identity_matches(credential, email=email)
    return context


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def verify_page_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """The verify page with a form error, for a request refused from its Content-Length
    (RequestSizeLimitMiddleware): none of the body is read."""
    megabytes = f"{limit / 1_000_000:.0f} MB" if limit < 2_000_000 else f"{limit >> 20} MB"
    form = forms.VerifyForm({}, too_large=TOO_LARGE_PASTE.format(limit=megabytes))
    return render(request, "credentials/verify.html", {"form": form}, status=413)


@answers_oversized_requests(verify_page_too_large)
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
            form.add_error("credential", input_problem(exc))
        else:
            context |= result_context(result, email=form.cleaned_data.get("email", ""))
    status = 400 if form.errors else 200
    return render(request, "credentials/verify.html", context, status=status)


class ShareLinkGoneError(Exception):
    """The share link opens nothing: never made, or withdrawn, stopped or revoked."""


def _shared(token: str) -> IssuedCredential:
    credential = selectors.credential_by_share_token(token)
    if credential is None:
        raise ShareLinkGoneError(token)
    return credential


def share_link_gone(request: HttpRequest, token: str) -> HttpResponse:
    """A public page for a link that opens nothing: what happened and when (410) for a link
    that once worked; for any other token the same public page without a story (404)."""
    ended = selectors.share_link_ended(token)
    return render(
        request, "credentials/share_gone.html", {"ended": ended}, status=410 if ended else 404
    )


def _public_share_link(
    view: Callable[[HttpRequest, str], HttpResponse],
) -> Callable[[HttpRequest, str], HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        try:
            return view(request, token)
        except ShareLinkGoneError:
            return share_link_gone(request, token)

    return wrapped


@ratelimit(key="ip", rate=verify_rate, block=True)
@require_http_methods(["GET", "POST"])
@_public_share_link
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
        "share_url": _share_url(request, token),
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
@_public_share_link
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
@_public_share_link
def share_qr(request: HttpRequest, token: str) -> HttpResponse:
    _shared(token)
    out = io.BytesIO()
    segno.make(_share_url(request, token), error="m").save(
        out, kind="svg", scale=4, dark="#0b0c0c", xmldecl=False, svgns=True
    )
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


def _share_url(request: HttpRequest, token: str) -> str:
    return f"{public_base_url(request)}{reverse('credentials:share', args=[token])}"


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
