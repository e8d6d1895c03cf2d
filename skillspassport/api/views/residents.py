"""Residents (registered with their consent records, read as the client may see them) and
their skills evidence."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import organisation_ids_where
from skillspassport.api import selectors as api_selectors
from skillspassport.api import serializers as s
from skillspassport.api.oauth import partner_access
from skillspassport.api.problems import Problem
from skillspassport.api.views.base import IDEMPOTENCY_KEY, UPDATED_SINCE, PartnerView
from skillspassport.people import services as people_services
from skillspassport.people.forms import ResidentDetailsForm
from skillspassport.people.models import Resident
from skillspassport.people.selectors import (
    possible_duplicates,
    resident_get_for_user,
    residents_for_user,
)
from skillspassport.skills import selectors as skills_selectors
from skillspassport.skills import services as skills_services
from skillspassport.skills.models import Descriptor

# Not shown to a provider who sees the resident only because they share their record with
# training providers: as on the provider's learner page (name, contact preference, levels).
PRIVATE_FIELDS = (
    "date_of_birth",
    "email",
    "phone",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
)


def resident_data(resident: Resident, *, shared_only: bool = False) -> dict[str, Any]:
    consents = getattr(resident, "active_consents", None)
    if consents is None:
        consents = list(resident.consents.active())
    data: dict[str, Any] = {
        "id": resident.public_id,
        "organisation": resident.organisation.name,
        "first_name": resident.first_name,
        "last_name": resident.last_name,
        "preferred_contact": resident.preferred_contact,
        "shared_only": shared_only,
        "consents": [
            {"purpose": c.purpose, "lawful_basis": c.lawful_basis, "given_at": c.given_at}
            for c in consents
        ],
        "levels": {p.strand_code: p.level for p in resident.passport_levels.all()},
        "created_at": resident.created_at,
        "updated_at": resident.updated_at,
    }
    for field in PRIVATE_FIELDS:
        data[field] = None if shared_only else getattr(resident, field)
    return data


def _capability_for_reading(view: PartnerView) -> Capability:
    """Providers find learners who share their record with them, as on the enrol page."""
    if organisation_ids_where(user=view.account, capability=Capability.RUN_TRAINING):
        return Capability.RUN_TRAINING
    return Capability.VIEW_RESIDENTS


def _register_form_errors(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The registration page's own checks of names, contact details and postcode."""
    born = data["date_of_birth"]
    form = ResidentDetailsForm(
        {
            **{k: data[k] for k in people_services.PERSONAL_FIELDS if k != "date_of_birth"},
            "date_of_birth_0": str(born.day),
            "date_of_birth_1": str(born.month),
            "date_of_birth_2": str(born.year),
        }
    )
    if form.is_valid():
        return form.cleaned_data, {}
    return {}, {field: [str(m) for m in messages] for field, messages in form.errors.items()}


class ResidentList(PartnerView):
    required_scope = "residents:read"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.required_scope = "residents:write" if request.method == "POST" else "residents:read"
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="residents_list",
        summary="Residents the client may see",
        parameters=[UPDATED_SINCE],
        responses={200: s.ResidentOut(many=True)},
    )
    def get(self, request: Request) -> Response:
        capability = _capability_for_reading(self)
        residents = residents_for_user(user=self.account, capability=capability)
        since = self.updated_since()
        if since is not None:
            residents = residents.filter(Q(updated_at__gte=since) | Q(created_at__gte=since))
        residents = api_selectors.with_active_consents(residents.order_by("pk"))

        def render(page: list[Resident]) -> list[dict[str, Any]]:
            self.shown(page, "residents list", listed=True)
            return [
                resident_data(r, shared_only=bool(getattr(r, "shared_only", False))) for r in page
            ]

        return self.page_of(residents, render)

    @extend_schema(
        operation_id="residents_create",
        summary="Register a resident with their consent records",
        parameters=[IDEMPOTENCY_KEY],
        request=s.ResidentIn,
        responses={201: s.ResidentOut},
    )
    def post(self, request: Request) -> Response:
        return self.create(lambda: self._register(request))

    def _register(self, request: Request) -> Response:
        incoming = s.ResidentIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        if problem := incoming.consents_problem():
            raise Problem(422, problem, errors={"consents": [problem]})
        access = partner_access(request)
        organisation = access.organisation
        if organisation.pk not in organisation_ids_where(
            user=self.account, capability=Capability.EDIT_RESIDENTS
        ):
            raise Problem(403, "This client may not register residents.")
        cleaned, errors = _register_form_errors(data)
        if errors:
            first = next(iter(errors.items()))
            raise Problem(422, f"{first[0]}: {first[1][0]}", errors=errors)
        duplicates = possible_duplicates(
            user=self.account,
            first_name=cleaned["first_name"],
            last_name=cleaned["last_name"],
            date_of_birth=cleaned["date_of_birth"],
            email=cleaned["email"],
            phone=cleaned["phone"],
        )
        if duplicates and not data["confirm_not_duplicate"]:
            self.shown([d.resident for d in duplicates], "possible duplicates", listed=True)
            raise Problem(
                409,
                "This may be a resident already registered: check the possible duplicates, then "
                "send confirm_not_duplicate: true to register a new resident anyway.",
                duplicates=[
                    {"id": str(d.resident.public_id), "reasons": list(d.reasons)}
                    for d in duplicates
                ],
            )
        resident = people_services.resident_register(
            user=self.account,
            organisation=organisation,
            consents={c["purpose"]: c["lawful_basis"] for c in data["consents"]},
            request=request._request,
            **{k: cleaned[k] for k in people_services.PERSONAL_FIELDS},
        )
        return Response(resident_data(resident), status=201)


class ResidentDetail(PartnerView):
    required_scope = "residents:read"

    @extend_schema(
        operation_id="residents_read", summary="One resident", responses={200: s.ResidentOut}
    )
    def get(self, request: Request, public_id: str) -> Response:
        capability = _capability_for_reading(self)
        resident = resident_get_for_user(
            user=self.account, public_id=public_id, capability=capability
        )
        shared_only = resident.organisation_id not in organisation_ids_where(
            user=self.account, capability=Capability.VIEW_RESIDENTS
        )
        self.shown([resident], "resident record", listed=False)
        return Response(resident_data(resident, shared_only=shared_only))


class EvidenceList(PartnerView):
    required_scope = "evidence:write"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.required_scope = "evidence:write" if request.method == "POST" else "residents:read"
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="evidence_list",
        summary="A resident's skills evidence",
        parameters=[UPDATED_SINCE],
        responses={200: s.EvidenceOut(many=True)},
    )
    def get(self, request: Request, public_id: str) -> Response:
        resident = resident_get_for_user(user=self.account, public_id=public_id)
        evidence = skills_selectors.evidence_for_resident(resident=resident).order_by("pk")
        since = self.updated_since()
        if since is not None:
            evidence = evidence.filter(Q(recorded_at__gte=since) | Q(withdrawn_at__gte=since))
        self.shown([resident], "skills evidence", listed=False)
        return self.page_of(evidence, lambda page: s.EvidenceOut(page, many=True).data)

    @extend_schema(
        operation_id="evidence_create",
        summary="Record skills evidence (levels are recomputed)",
        parameters=[IDEMPOTENCY_KEY],
        request=s.EvidenceIn,
        responses={201: s.EvidenceRecorded},
    )
    def post(self, request: Request, public_id: str) -> Response:
        return self.create(lambda: self._record(request, public_id))

    def _record(self, request: Request, public_id: str) -> Response:
        resident = resident_get_for_user(
            user=self.account, public_id=public_id, capability=Capability.RECORD_EVIDENCE
        )
        incoming = s.EvidenceIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        framework = skills_selectors.rule_set_for_organisation(
            organisation=resident.organisation
        ).framework
        codes = list(dict.fromkeys(data["descriptors"]))
        descriptors = list(Descriptor.objects.filter(framework=framework, code__in=codes))
        unknown = sorted(set(codes) - {d.code for d in descriptors})
        if unknown:
            raise Problem(
                422,
                f"Not a skill of {framework}: {', '.join(unknown)}.",
                errors={"descriptors": [f"Unknown code {code}" for code in unknown]},
            )
        try:
            items, changes = skills_services.evidence_record(
                user=self.account,
                resident=resident,
                descriptors=descriptors,
                method=data["method"],
                shown_on=data["shown_on"],
                note=data["note"],
                request=request._request,
            )
        except skills_services.EvidenceError as exc:
            raise Problem(422, str(exc), errors={"shown_on": [str(exc)]}) from exc
        for item in items:
            item.descriptor = next(d for d in descriptors if d.pk == item.descriptor_id)
        body = {
            "evidence": s.EvidenceOut(items, many=True).data,
            "level_changes": s.LevelChangeOut(changes, many=True).data,
        }
        return Response(body, status=201)
