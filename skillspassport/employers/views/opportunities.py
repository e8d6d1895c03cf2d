"""Employer pages: the compact, roles, opportunities, matches, referrals and outcomes.

Views authorise through the guarded fetches in `selectors`, bind a form, call one service and
render or redirect. Employer contacts reach residents only through referrals to them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from skillspassport.accounts.access import acting_council
from skillspassport.accounts.models import Organisation, User
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import organisation_ids_where, user_has_capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.credentials.selectors import credentials_of
from skillspassport.employers import forms, selectors, services, skillsmap
from skillspassport.employers.models import (
    ReferralStatus,
    SicSection,
    SkillSource,
)
from skillspassport.employers.services import EmployerError
from skillspassport.people.selectors import resident_get_for_user
from skillspassport.skills.selectors import passport_summary


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _show_error(form: Any, error: EmployerError) -> None:
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)


def _may_edit(request: HttpRequest, access: selectors.EmployerAccess) -> bool:
    """Employer contacts edit their own employer; scheme staff need MANAGE_EMPLOYERS."""
    if not access.as_staff:
        return True
    councils = selectors.scheme_council_ids(
        user=_user(request), capabilities=[Capability.MANAGE_EMPLOYERS]
    )
    return access.employer.council_id in councils


def _editable_employer(request: HttpRequest, employer_id: int) -> Organisation:
    access = selectors.employer_get_for_user(user=_user(request), employer_id=employer_id)
    if not _may_edit(request, access):
        raise PermissionDenied
    return access.employer


def _staff_only(request: HttpRequest) -> None:
    if not selectors.scheme_council_ids(
        user=_user(request), capabilities=selectors.STAFF_CAPABILITIES
    ):
        raise Http404


# --- Employers and the compact -----------------------------------------------------------------


@require_http_methods(["GET"])
def employer_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    own = selectors.own_employer_ids(user=user)
    is_staff = bool(
        selectors.scheme_council_ids(user=user, capabilities=selectors.STAFF_CAPABILITIES)
    )
    if is_staff:
        employers = list(selectors.employers_for_staff(user=user))
    elif len(own) == 1:
        return redirect("employers:detail", employer_id=next(iter(own)))
    elif own:
        employers = list(selectors.own_employers(user=user))
    else:
        raise Http404
    pledges = list(selectors.pledges_of(employers=employers))
    progress = selectors.pledge_progress(pledges=pledges)
    pledged: Counter[int] = Counter()
    fulfilled: Counter[int] = Counter()
    for item in progress:
        pledged[item.pledge.employer_id] += item.pledged
        fulfilled[item.pledge.employer_id] += item.fulfilled
    today = timezone.localdate()
    open_counts = selectors.open_opportunity_counts(employers=employers, today=today)
    rows = [
        {
            "employer": e,
            "pledged": pledged[e.pk],
            "fulfilled": fulfilled[e.pk],
            "open": open_counts.get(e.pk, 0),
        }
        for e in employers
    ]
    return render(
        request,
        "employers/list.html",
        {
            "rows": rows,
            "total_pledged": sum(pledged.values()),
            "total_fulfilled": sum(fulfilled.values()),
            "may_add": bool(
                selectors.scheme_council_ids(user=user, capabilities=[Capability.MANAGE_EMPLOYERS])
            ),
            "is_staff": is_staff,
        },
    )


@require_http_methods(["GET", "POST"])
def employer_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    council = acting_council(request, Capability.MANAGE_EMPLOYERS)
    form = forms.EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(actor=user, council=council, **form.cleaned_data)
        except EmployerError as error:
            _show_error(form, error)
        else:
            messages.success(request, f"{employer} added to the scheme.")
            return redirect("employers:detail", employer_id=employer.pk)
    return render(request, "employers/form.html", {"form": form, "title": "Add an employer"})


@require_http_methods(["GET"])
def employer_detail(request: HttpRequest, employer_id: int) -> HttpResponse:
    access = selectors.employer_get_for_user(user=_user(request), employer_id=employer_id)
    employer = access.employer
    pledges = selectors.pledge_progress(pledges=employer.pledges.all())
    opportunities = list(
        employer.opportunities.select_related("site", "role").annotate(
            referred=Count("referrals", filter=~Q(referrals__status=ReferralStatus.WITHDRAWN))
        )
    )
    roles = list(employer.job_roles.prefetch_related("needs", "skills"))
    words = selectors.framework_words(organisation=employer)
    for role in roles:
        role.need_labels = [  # type: ignore[attr-defined]
            words.need(n.area_code, n.strand, n.level) for n in role.needs.all()
        ]
    if access.as_staff:
        referrals = selectors.referrals_visible_to(user=_user(request)).filter(
            opportunity__employer=employer
        )
    else:
        referrals = selectors.referrals_for_employer(employer=employer)
    shown = list(referrals[:50])
    audit_shown(
        user=_user(request),
        residents=[r.resident for r in shown],
        action=AuditAction.LISTED,
        request=request,
        summary="Referrals on an employer's page",
    )
    return render(
        request,
        "employers/detail.html",
        {
            "employer": employer,
            "profile": getattr(employer, "employer_profile", None),
            "sites": employer.employer_sites.all(),
            "pledges": pledges,
            "roles": roles,
            "opportunities": opportunities,
            "referrals": shown,
            "as_staff": access.as_staff,
            "may_edit": _may_edit(request, access),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def site_add(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = _editable_employer(request, employer_id)
    form = forms.SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_add(actor=_user(request), employer=employer, **form.cleaned_data)
        except EmployerError as error:
            _show_error(form, error)
        else:
            messages.success(request, "Site added.")
            return redirect("employers:detail", employer_id=employer.pk)
    return render(
        request,
        "employers/form.html",
        {"form": form, "title": f"Add a site for {employer}", "employer": employer},
    )


@require_http_methods(["GET", "POST"])
def pledge_add(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = _editable_employer(request, employer_id)
    form = forms.PledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_sign(actor=_user(request), employer=employer, **form.cleaned_data)
        except EmployerError as error:
            _show_error(form, error)
        else:
            messages.success(request, "Pledge added to the compact.")
            return redirect("employers:detail", employer_id=employer.pk)
    return render(
        request,
        "employers/form.html",
        {
            "form": form,
            "title": f"Add a pledge to {employer}'s compact",
            "employer": employer,
            "lede": "What each passport level unlocks at this employer, and how many a year.",
        },
    )


# --- Opportunities, matches and referrals ------------------------------------------------------


@require_http_methods(["GET", "POST"])
def opportunity_add(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = _editable_employer(request, employer_id)
    roles = {str(r.pk): r for r in employer.job_roles.all()}
    pledges = {str(p.pk): p for p in employer.pledges.all()}
    sites = {str(s.pk): s for s in selectors.sites_of(employer=employer)}
    form = forms.OpportunityForm(
        request.POST or None,
        roles=[(k, str(v)) for k, v in roles.items()],
        pledges=[(k, str(v)) for k, v in pledges.items()],
        sites=[(k, str(v)) for k, v in sites.items()],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opportunity = services.opportunity_create(
                actor=_user(request),
                employer=employer,
                title=data["title"],
                opportunity_type=data["opportunity_type"],
                places=data["places"],
                closing_on=data["closing_on"],
                minimum=form.minimum(),
                role=roles.get(data["role"]),
                pledge=pledges.get(data["pledge"]),
                site=sites.get(data["site"]),
                hours_per_week=data["hours_per_week"],
                hourly_wage=data["hourly_wage"],
                description=data["description"],
            )
        except EmployerError as error:
            _show_error(form, error)
        else:
            messages.success(request, "Opportunity published.")
            return redirect("employers:opportunity", opportunity_id=opportunity.pk)
    return render(
        request,
        "employers/form.html",
        {"form": form, "title": f"Add an opportunity at {employer}", "employer": employer},
    )


@require_http_methods(["GET"])
def opportunity_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    employers = selectors.employers_for_staff(user=_user(request))
    opportunities = selectors.open_opportunities_of(employers=employers, today=timezone.localdate())
    return render(request, "employers/opportunities.html", {"opportunities": opportunities})


@require_http_methods(["GET"])
def opportunity_detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    user = _user(request)
    opportunity, as_staff = selectors.opportunity_get_for_user(
        user=user, opportunity_id=opportunity_id
    )
    words = selectors.framework_words(organisation=opportunity.employer)
    context: dict[str, Any] = {
        "opportunity": opportunity,
        "as_staff": as_staff,
        "needs": [
            words.need(n.area_code, n.strand, n.level)
            for n in (opportunity.role.needs.all() if opportunity.role else [])
        ],
        "is_open": opportunity.withdrawn_at is None
        and opportunity.closing_on >= timezone.localdate(),
    }
    if as_staff:
        context["referrals"] = selectors.referrals_visible_to(user=user).filter(
            opportunity=opportunity
        )
        if user_has_capability(user=user, capability=Capability.REFER_RESIDENTS):
            ranked, total = selectors.matches_for_opportunity(
                user=user, opportunity=opportunity, limit=25
            )
            context.update(matches=ranked, match_total=total, may_refer=True)
    else:
        context["referrals"] = selectors.referrals_for_employer(
            employer=opportunity.employer
        ).filter(opportunity=opportunity)
    context["referrals"] = list(context["referrals"])
    shown = [r.resident for r in context["referrals"]]
    if context["is_open"]:
        shown += [m.resident for m in context.get("matches", [])]
    audit_shown(
        user=user,
        residents=shown,
        action=AuditAction.LISTED,
        request=request,
        summary="Referrals and matches for an opportunity",
    )
    return render(request, "employers/opportunity.html", context)


@require_POST
def opportunity_refer(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    user = _user(request)
    opportunity, as_staff = selectors.opportunity_get_for_user(
        user=user, opportunity_id=opportunity_id
    )
    if not as_staff:
        raise Http404
    form = forms.ReferForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a resident to refer.")
        return redirect("employers:opportunity", opportunity_id=opportunity.pk)
    resident = resident_get_for_user(
        user=user, public_id=form.cleaned_data["resident"], capability=Capability.REFER_RESIDENTS
    )
    back = request.POST.get("next") or ""
    try:
        services.referral_create(
            actor=user,
            opportunity=opportunity,
            resident=resident,
            note=form.cleaned_data["note"],
            request=request,
        )
    except EmployerError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{resident.full_name} referred to {opportunity.title} at {opportunity.employer}.",
        )
    if back == "resident":
        return redirect("employers:resident", public_id=resident.public_id)
    return redirect("employers:opportunity", opportunity_id=opportunity.pk)


@require_http_methods(["GET"])
def resident_opportunities(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = _user(request)
    resident = resident_get_for_user(user=user, public_id=public_id)
    now, next_step = selectors.opportunities_for_resident(resident=resident)
    referrals = resident.referrals.select_related("opportunity__employer", "job_start")
    audit_shown(
        user=user,
        residents=[resident],
        request=request,
        summary="Opened the resident's opportunities",
    )
    return render(
        request,
        "employers/resident.html",
        {
            "resident": resident,
            "now": now,
            "next_step": next_step,
            "referrals": referrals,
            "as_staff": True,
            "referred_ids": {
                r.opportunity_id for r in referrals if r.status != ReferralStatus.WITHDRAWN
            },
            "may_refer": user_has_capability(
                user=user,
                capability=Capability.REFER_RESIDENTS,
                organisation_id=resident.organisation_id,
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = _user(request)
    access = selectors.referral_get_for_user(
        user=user, referral_id=referral_id, change=request.method == "POST"
    )
    referral, as_staff = access.referral, access.as_staff
    # An employer sees who the referral is about only while it is live and the resident still
    # agrees to be put forward (decided now, from the active consent).
    shows_resident = as_staff or selectors.referral_shows_resident(referral=referral)
    progress = forms.ProgressForm(request.POST if "progress" in request.POST else None, prefix="p")
    withdraw = forms.WithdrawForm(request.POST if "withdraw" in request.POST else None, prefix="w")
    if request.method == "POST":
        if not shows_resident:
            raise PermissionDenied
        try:
            if "progress" in request.POST and progress.is_valid():
                data = progress.cleaned_data
                services.referral_progress(
                    actor=user,
                    referral=referral,
                    stage=data["stage"],
                    on=data["on"],
                    hours_per_week=data["hours_per_week"],
                    hourly_wage=data["hourly_wage"],
                    contract=data["contract"] or "permanent",
                    request=request,
                )
                messages.success(request, "Outcome recorded.")
                return redirect("employers:referral", referral_id=referral.pk)
            if "withdraw" in request.POST and withdraw.is_valid():
                services.referral_withdraw(
                    actor=user,
                    referral=referral,
                    reason=withdraw.cleaned_data["reason"],
                    request=request,
                )
                messages.success(request, "Referral withdrawn.")
                return redirect("employers:referral", referral_id=referral.pk)
        except EmployerError as error:
            _show_error(progress if "progress" in request.POST else withdraw, error)
    if not shows_resident:
        return render(
            request,
            "employers/referral_closed.html",
            {
                "referral": referral,
                "consent_active": selectors.referral_consent_active(referral=referral),
            },
        )
    if not as_staff:
        services.referral_viewed(actor=user, referrals=[referral], request=request)
    else:
        audit_shown(
            user=user, residents=[referral.resident], request=request, summary="Opened a referral"
        )
    resident = referral.resident
    credentials = [c for c in credentials_of(resident=resident) if c.state == "active"]
    return render(
        request,
        "employers/referral.html",
        {
            "referral": referral,
            "resident": resident,
            "summary": passport_summary(resident=resident),
            "credentials": credentials,
            "progress": progress,
            "withdraw": withdraw,
            "as_staff": as_staff,
            "may_change": access.may_change,
            "checks": referral.job_start.checks.all() if referral.job_start else [],
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET"])
def referral_credential(request: HttpRequest, referral_id: int, credential_id: Any) -> JsonResponse:
    """The referred resident's signed credential, as issued, for the employer to verify."""
    access = selectors.referral_get_for_user(user=_user(request), referral_id=referral_id)
    referral = access.referral
    if not access.as_staff and not selectors.referral_shows_resident(referral=referral):
        raise Http404
    for credential in credentials_of(resident=referral.resident):
        if str(credential.public_id) == str(credential_id) and credential.state == "active":
            audit_shown(
                user=_user(request),
                residents=[referral.resident],
                request=request,
                action=AuditAction.CREDENTIAL_DOWNLOADED,
                summary="Downloaded from a referral",
            )
            response = JsonResponse(credential.document, json_dumps_params={"indent": 2})
            response["Content-Disposition"] = (
                f'attachment; filename="passport-{credential.strand_code}.json"'
            )
            return response
    raise Http404


# --- Sustainment -----------------------------------------------------------------------------


@require_http_methods(["GET"])
def checks_due(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    as_employer = bool(selectors.own_employer_ids(user=user))
    if not as_employer and not organisation_ids_where(
        user=user, capability=Capability.VIEW_RESIDENTS
    ):
        raise Http404
    checks = list(selectors.checks_due(user=user))
    audit_shown(
        user=user,
        residents=[c.job_start.resident for c in checks],
        action=AuditAction.LISTED,
        request=request,
        summary="Sustainment checks due",
    )
    return render(
        request,
        "employers/checks_due.html",
        {
            "checks": checks,
            "today": timezone.localdate(),
            "as_employer": as_employer,
        },
    )


@require_http_methods(["GET", "POST"])
def check_record(request: HttpRequest, check_id: int) -> HttpResponse:
    user = _user(request)
    check = selectors.check_get_for_user(user=user, check_id=check_id)
    form = forms.SustainmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.sustainment_record(actor=user, check=check, request=request, **form.cleaned_data)
        messages.success(request, f"{check.weeks}-week check recorded.")
        return redirect("employers:checks-due")
    audit_shown(
        user=user,
        residents=[check.job_start.resident],
        request=request,
        summary="Opened a sustainment check",
    )
    return render(
        request, "employers/check.html", {"form": form, "check": check, "job": check.job_start}
    )


# --- Demand against supply ---------------------------------------------------------------------


@require_http_methods(["GET"])
def demand(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    councils = selectors.scheme_council_ids(
        user=user, capabilities=[*selectors.STAFF_CAPABILITIES, Capability.VIEW_AGGREGATES]
    )
    if not councils:
        raise Http404
    sector = request.GET.get("sector", "")
    if sector not in SicSection.values:
        sector = ""
    ward = request.GET.get("ward", "")
    table = selectors.demand_and_supply(council_ids=councils, sector=sector, ward=ward)
    return render(
        request,
        "employers/demand.html",
        {
            "table": table,
            "sectors": SicSection.choices,
            "sector": sector,
            "ward": ward,
            "wards": selectors.scheme_wards(council_ids=councils),
            "self_url": reverse("employers:demand"),
        },
    )


# --- Roles and skills from job adverts -----------------------------------------------------------


def _suggest(text: str) -> tuple[list[skillsmap.SkillMatch], list[skillsmap.FrameworkNeed]]:
    matches = skillsmap.get_mapper().map(text, top=15)
    return matches, skillsmap.rollup(matches, skillsmap.load_crosswalk())


@require_http_methods(["GET", "POST"])
def role_add(request: HttpRequest, employer_id: int) -> HttpResponse:
    """Describe a role: title and advert text, then confirm the suggested skills."""
    employer = _editable_employer(request, employer_id)
    words = selectors.framework_words(organisation=employer)
    advert = forms.AdvertForm(request.POST or None)
    step = "advert"
    skills_form = None
    matches: list[skillsmap.SkillMatch] = []
    needs: list[skillsmap.FrameworkNeed] = []
    if request.method == "POST" and advert.is_valid():
        text = advert.cleaned_data["advert_text"]
        try:
            if text.strip():
                text = skillsmap.check_advert_text(text)
                matches, needs = _suggest(text)
        except skillsmap.AdvertTextError as error:
            advert.add_error("advert_text", error.message)
        else:
            step = "confirm"
            suggested = {n.area_code for n in needs}
            skills_form = forms.RoleSkillsForm(
                request.POST if "save" in request.POST else None,
                esco_choices=[(m.uri, m.label) for m in matches],
                area_choices=list(words.areas.items()),
                initial={"esco": [m.uri for m in matches], "areas": sorted(suggested)},
            )
            if "save" in request.POST and skills_form.is_valid():
                chosen = set(skills_form.cleaned_data["esco"])
                by_area = {n.area_code: n for n in needs}
                role = services.role_create(
                    actor=_user(request),
                    employer=employer,
                    title=advert.cleaned_data["title"],
                    advert_text=text,
                    is_tech_role=advert.cleaned_data["is_tech_role"],
                    skills=[(m.uri, m.label, m.score) for m in matches if m.uri in chosen],
                    needs=[
                        (
                            code,
                            words.strands[code],
                            by_area[code].level if code in by_area else "",
                            SkillSource.ADVERT if code in by_area else SkillSource.CHOSEN,
                        )
                        for code in skills_form.cleaned_data["areas"]
                    ],
                )
                messages.success(request, f"Role “{role.title}” saved.")
                return redirect(reverse("employers:detail", args=[employer.pk]) + "#roles")
    return render(
        request,
        "employers/role_form.html",
        {
            "employer": employer,
            "advert": advert,
            "skills_form": skills_form,
            "step": step,
            "matches": matches,
            "needs": needs,
            "need_labels": [words.need(n.area_code, n.strand, n.level) for n in needs],
        },
    )
