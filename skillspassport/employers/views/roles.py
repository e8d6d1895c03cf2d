"""Roles from job adverts: describe a role, then confirm the skills suggested from its advert;
change a role."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.employers import forms, selectors, services, skillsmap
from skillspassport.employers.models import SkillSource
from skillspassport.employers.services import EmployerError
from skillspassport.employers.views.common import editable_employer, show_error


def _suggest(text: str) -> tuple[list[skillsmap.SkillMatch], list[skillsmap.FrameworkNeed]]:
    matches = skillsmap.get_mapper().map(text, top=15)
    return matches, skillsmap.rollup(matches, skillsmap.load_crosswalk())


@require_http_methods(["GET", "POST"])
def role_add(request: AuthenticatedRequest, employer_id: int) -> HttpResponse:
    """Describe a role: title and advert text, then confirm the suggested skills."""
    employer = editable_employer(request, employer_id)
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
                    actor=request.user,
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


@require_http_methods(["GET", "POST"])
def role_edit(request: AuthenticatedRequest, employer_id: int, role_id: int) -> HttpResponse:
    """Change a role's title, whether it is a digital role, and the skill areas it needs."""
    employer = editable_employer(request, employer_id)
    role = selectors.role_of_employer(employer=employer, role_id=role_id)
    words = selectors.framework_words(organisation=employer)
    form = forms.RoleForm(
        request.POST or None,
        area_choices=list(words.areas.items()),
        initial={
            "title": role.title,
            "is_tech_role": role.is_tech_role,
            "areas": list(role.needs.values_list("area_code", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.role_update(
                actor=request.user,
                role=role,
                title=form.cleaned_data["title"],
                is_tech_role=form.cleaned_data["is_tech_role"],
                needs=[
                    (code, words.strands[code], "", SkillSource.CHOSEN)
                    for code in form.cleaned_data["areas"]
                ],
            )
        except EmployerError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Role “{role.title}” changed.")
            return redirect(reverse("employers:detail", args=[employer.pk]) + "#roles")
    return render(
        request,
        "employers/form.html",
        {"form": form, "title": f"Change the role {role.title}", "employer": employer},
    )
