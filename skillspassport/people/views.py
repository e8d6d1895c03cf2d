from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import organisations_where, user_has_capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record, audit_searched, audit_shown
from skillspassport.core.pagination import KeysFirstPaginator
from skillspassport.core.services import AlreadySubmitted, submission_result, submitted_once
from skillspassport.people import forms, selectors, services
from skillspassport.people.models import ConsentPurpose, LawfulBasis, Resident
from skillspassport.people.panels import Page, panels_for

PAGE_SIZE = 25


def resident_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not user_has_capability(user=user, capability=Capability.VIEW_RESIDENTS):
        raise PermissionDenied
    form = forms.ResidentSearchForm(request.GET or None)
    query, level = "", None
    if form.is_valid():
        query = form.cleaned_data["q"]
        # "" (not chosen, e.g. on a page link) and "any" mean no filter; "none" means no level.
        chosen = form.cleaned_data["level"]
        level = {"": None, "any": None, "none": ""}.get(chosen, chosen)
    residents = selectors.residents_for_user(user=user, query=query, level=level)
    page = KeysFirstPaginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    if query:
        audit_searched(user=user, kind=selectors.query_kind(query), shown=page, request=request)
    else:
        audit_shown(
            user=user,
            residents=page,
            action=AuditAction.LISTED,
            request=request,
            summary=f"Residents list, page {page.number}",
        )
    can_register = user_has_capability(user=user, capability=Capability.EDIT_RESIDENTS)
    return render(
        request,
        "people/resident_list.html",
        {"form": form, "page": page, "query": query, "can_register": can_register},
    )


@require_http_methods(["GET", "POST"])
def resident_register(request: AuthenticatedRequest) -> HttpResponse:
    """Register a resident, after two checks the adviser answers: people who may be the same
    person (shown side by side: open their record, or say why this is someone else), and a
    postcode outside the council's area (go on with a reason)."""
    user = request.user
    organisations = organisations_where(user=user, capability=Capability.EDIT_RESIDENTS)
    if not organisations.exists():
        raise PermissionDenied
    form = forms.ResidentRegisterForm(request.POST or None, organisations=organisations)
    duplicates: list[selectors.PossibleDuplicate] = []
    outside_area = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if earlier := submission_result(token=data["submission_token"], user=user):
            messages.info(request, "This form had already been sent. Here is the result.")
            return redirect(earlier)
        duplicates = selectors.possible_duplicates(
            user=user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            email=data["email"],
            phone=data["phone"],
            postcode=data["postcode"],
        )
        outside_area = selectors.postcode_outside_area(
            postcode=data["postcode"], organisation=data["organisation"]
        )
        different_reason = data.get("different_reason", "")
        area_reason = data.get("outside_area_reason", "")
        if duplicates and data["confirm_new"] and not different_reason:
            form.add_error("different_reason", "Enter why you are sure they are a different person")
        if outside_area and request.POST.get("outside_area_shown") and not area_reason:
            form.add_error(
                "outside_area_reason",
                "Enter why you are registering them with this council, or correct the postcode",
            )
        ready = (not duplicates or (data["confirm_new"] and different_reason)) and (
            not outside_area or area_reason
        )
        if ready and not form.errors:
            resident = _register(request, form, len(duplicates), bool(outside_area))
            if isinstance(resident, HttpResponse):
                return resident
            messages.success(request, f"{resident.full_name} has been registered.")
            if resident.lsoa_id is None:
                messages.warning(
                    request,
                    f"The postcode {resident.postcode} is not in the postcode lookup, so the "
                    "resident's LSOA, ward and local authority have been left blank.",
                )
            return redirect("people:detail", public_id=resident.public_id)
    audit_shown(
        user=user,
        residents=[d.resident for d in duplicates],
        action=AuditAction.LISTED,
        request=request,
        summary="Possible duplicates shown at registration",
    )
    return render(
        request,
        "people/resident_register.html",
        {
            "form": form,
            "duplicates": duplicates,
            "outside_area": outside_area,
            "entered": form.cleaned_data if duplicates else None,
        },
    )


def _register(
    request: AuthenticatedRequest,
    form: forms.ResidentRegisterForm,
    duplicates_shown: int,
    outside_area: bool,
) -> Resident | HttpResponse:
    user, data = request.user, form.cleaned_data
    consents = {ConsentPurpose.SCHEME.value: data["scheme_basis"]}
    consents |= dict.fromkeys(data["consents"], LawfulBasis.CONSENT.value)
    try:
        with submitted_once(token=data["submission_token"], user=user) as claim:
            resident = services.resident_register(
                user=user,
                organisation=data["organisation"],
                consents=consents,
                guardian=form.guardian,
                duplicate_override_reason=data["different_reason"] if duplicates_shown else "",
                duplicates_shown=duplicates_shown,
                outside_area_reason=data["outside_area_reason"] if outside_area else "",
                request=request,
                **{k: data[k] for k in services.PERSONAL_FIELDS},
            )
            claim.result_url = reverse("people:detail", args=[resident.public_id])
    except AlreadySubmitted as done:
        messages.info(request, "This form had already been sent. Here is the result.")
        return redirect(done.result_url)
    return resident


def resident_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The resident's record: people's own sections and the panels of the apps above it."""
    user = request.user
    resident = selectors.resident_get_for_user(user=user, public_id=public_id)
    if str(resident.public_id) != str(public_id):
        # A record merged into another: its address leads to the surviving record.
        return redirect("people:detail", public_id=resident.public_id)
    audit_record(user=user, action=AuditAction.VIEWED, resident=resident, request=request)

    def can(capability: Capability) -> bool:
        return user_has_capability(
            user=user, capability=capability, organisation_id=resident.organisation_id
        )

    panels = panels_for(page=Page.RESIDENT, resident=resident, user=user)
    context = {
        "resident": resident,
        "panels": panels,
        "can_edit": can(Capability.EDIT_RESIDENTS),
        "can_view_audit": can(Capability.VIEW_AUDIT),
        "can_merge": can(Capability.MERGE_RESIDENTS),
        "can_manage_cases": can(Capability.MANAGE_CASES),
        "open_case": (
            resident.cases.filter(closed_on__isnull=True).first()
            if can(Capability.MANAGE_CASES)
            else None
        ),
    }
    return render(request, "people/resident_detail.html", context)


@require_http_methods(["GET", "POST"])
def resident_edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    resident = selectors.resident_get_for_user(
        user=user, public_id=public_id, capability=Capability.EDIT_RESIDENTS
    )
    initial = {f: getattr(resident, f) for f in services.PERSONAL_FIELDS}
    form = forms.ResidentDetailsForm(request.POST or None, initial=initial)
    duplicates: list[selectors.PossibleDuplicate] = []
    if request.method == "POST" and form.is_valid():
        changed = services.resident_update(
            user=user, resident=resident, details=form.cleaned_data, request=request
        )
        if changed:
            messages.success(request, "Details saved.")
            resident.refresh_from_db()
            if "postcode" in changed and resident.lsoa_id is None:
                messages.warning(
                    request,
                    f"The postcode {resident.postcode} is not in the postcode lookup, so the "
                    "resident's LSOA, ward and local authority have been left blank.",
                )
        else:
            messages.info(request, "Nothing was changed.")
        return redirect("people:detail", public_id=resident.public_id)
    audit_shown(user=user, residents=[resident], request=request, summary="Opened the details form")
    return render(
        request,
        "people/resident_edit.html",
        {"form": form, "resident": resident, "duplicates": duplicates},
    )


@require_http_methods(["GET", "POST"])
def consent_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    resident = selectors.resident_get_for_user(
        user=user, public_id=public_id, capability=Capability.EDIT_RESIDENTS
    )
    form = forms.ConsentForm(request.POST or None, born=resident.date_of_birth)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submitted_once(token=data["submission_token"], user=user) as claim:
                services.consent_give(
                    user=user,
                    resident=resident,
                    purpose=data["purpose"],
                    lawful_basis=data["lawful_basis"],
                    note=data["note"],
                    guardian=form.guardian,
                    request=request,
                )
                claim.result_url = reverse("people:detail", args=[resident.public_id]) + "#consent"
        except AlreadySubmitted as done:
            return redirect(done.result_url)
        except services.ConsentError as exc:
            form.add_error("purpose", str(exc))
        else:
            messages.success(request, "Consent recorded.")
            return redirect(claim.result_url)
    audit_shown(user=user, residents=[resident], request=request, summary="Opened the consent form")
    return render(request, "people/consent_add.html", {"form": form, "resident": resident})


@require_POST
def consent_withdraw(
    request: AuthenticatedRequest, public_id: str, consent_id: int
) -> HttpResponse:
    user = request.user
    resident = selectors.resident_get_for_user(
        user=user, public_id=public_id, capability=Capability.EDIT_RESIDENTS
    )
    form = forms.WithdrawConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The withdrawal could not be recorded: " + _first_error(form))
    else:
        try:
            with submitted_once(token=form.cleaned_data["submission_token"], user=user) as claim:
                services.consent_withdraw(
                    user=user,
                    resident=resident,
                    consent_id=consent_id,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
                claim.result_url = reverse("people:detail", args=[resident.public_id]) + "#consent"
            messages.success(request, "Consent withdrawal recorded.")
        except AlreadySubmitted:
            pass
        except services.ConsentError as exc:
            messages.error(request, str(exc))
    return redirect(reverse("people:detail", args=[resident.public_id]) + "#consent")


def _first_error(form: django_forms.Form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return "please try again"


@require_http_methods(["GET", "POST"])
def equality_edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Advisers may enter answers once; administrators may also read and change them."""
    user = request.user
    resident = selectors.resident_get_for_user(
        user=user, public_id=public_id, capability=Capability.RECORD_EQUALITY
    )
    can_view = user_has_capability(
        user=user, capability=Capability.VIEW_EQUALITY, organisation_id=resident.organisation_id
    )
    existing = selectors.equality_get_for_user(user=user, resident=resident) if can_view else None
    if not can_view and selectors.equality_recorded(resident=resident):
        messages.info(
            request,
            "Equality monitoring has already been recorded for this resident. Only an "
            "administrator can read or change it.",
        )
        return redirect("people:detail", public_id=resident.public_id)
    initial = {}
    if existing is not None:
        audit_record(
            user=user, action=AuditAction.EQUALITY_VIEWED, resident=resident, request=request
        )
        initial = {name: getattr(existing, name) for name, _q, _c in forms.equality.QUESTIONS}
    form = forms.EqualityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        answers = {name: form.cleaned_data[name] for name, _q, _c in forms.equality.QUESTIONS}
        try:
            with submitted_once(token=form.cleaned_data["submission_token"], user=user) as claim:
                services.equality_record(
                    user=user, resident=resident, answers=answers, request=request
                )
                claim.result_url = reverse("people:detail", args=[resident.public_id])
        except AlreadySubmitted as done:
            return redirect(done.result_url)
        messages.success(request, "Equality monitoring answers saved.")
        return redirect(claim.result_url)
    return render(
        request,
        "people/equality_edit.html",
        {"form": form, "resident": resident, "existing": existing},
    )


def passport_print(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The passport printed for the resident to keep: levels, skills and share codes."""
    user = request.user
    resident = selectors.resident_get_for_user(user=user, public_id=public_id)
    audit_record(user=user, action=AuditAction.PRINTED, resident=resident, request=request)
    panels = panels_for(page=Page.PRINTABLE_PASSPORT, resident=resident, user=user)
    return render(request, "people/passport_print.html", {"resident": resident, "panels": panels})


def resident_audit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    resident = selectors.resident_get_for_user(
        user=user, public_id=public_id, capability=Capability.VIEW_AUDIT
    )
    if str(resident.public_id) != str(public_id):
        return redirect("people:audit", public_id=resident.public_id)
    audit_record(user=user, action=AuditAction.AUDIT_VIEWED, resident=resident, request=request)
    page = Paginator(selectors.audit_events_for_record(resident=resident), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "people/audit.html", {"resident": resident, "page": page})
