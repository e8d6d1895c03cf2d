"""Jobcentre referrals in (casework), and employers' recruitment systems: opportunities,
referral outcomes and sustainment checks. Each write calls the same service as its page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from skillspassport.accounts.roles import Capability
from skillspassport.api import selectors as api_selectors
from skillspassport.api import serializers as s
from skillspassport.api.oauth import partner_access
from skillspassport.api.problems import Problem
from skillspassport.api.views.base import IDEMPOTENCY_KEY, UPDATED_SINCE, PartnerView
from skillspassport.employers import selectors as employer_selectors
from skillspassport.employers import services as employer_services
from skillspassport.employers.models import Referral, SustainmentCheck
from skillspassport.people.selectors import resident_get_for_user
from skillspassport.support.services import cases as case_services


def _employer_problem(exc: employer_services.EmployerError) -> Problem:
    errors = {exc.field: [exc.message]} if exc.field else None
    return Problem(422, exc.message, errors=errors)


class ReferralInCreate(PartnerView):
    required_scope = "casework"

    @extend_schema(
        operation_id="referrals_in_create",
        summary="A referral in: opens a case for the resident with their employment service",
        parameters=[IDEMPOTENCY_KEY],
        request=s.ReferralInIn,
        responses={201: s.CaseOut},
    )
    def post(self, request: Request) -> Response:
        return self.create(lambda: self._open(request))

    def _open(self, request: Request) -> Response:
        incoming = s.ReferralInIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        resident = resident_get_for_user(
            user=self.account, public_id=data["resident"], capability=Capability.MANAGE_CASES
        )
        today = timezone.localdate()
        opened_on = data.get("opened_on") or today
        if data["referred_on"] > today or opened_on > today:
            raise Problem(422, "The referral and opening dates cannot be in the future.")
        try:
            case = case_services.case_open(
                actor=self.account,
                resident=resident,
                referral_source=data["referral_source"],
                referred_on=data["referred_on"],
                referring_organisation=" ".join(data["referring_organisation"].split()),
                referral_contact=data["referral_contact"],
                opened_on=opened_on,
                request=request._request,
            )
        except case_services.CaseworkError as exc:
            raise Problem(422, str(exc)) from exc
        return Response(s.CaseOut(case).data, status=201)


class OpportunityList(PartnerView):
    required_scope = "employer"

    @extend_schema(
        operation_id="opportunities_list",
        summary="Opportunities the client may see",
        parameters=[UPDATED_SINCE],
        responses={200: s.OpportunityOut(many=True)},
    )
    def get(self, request: Request) -> Response:
        opportunities = api_selectors.opportunities_for(user=self.account)
        since = self.updated_since()
        if since is not None:
            opportunities = opportunities.filter(
                Q(created_at__gte=since) | Q(withdrawn_at__gte=since)
            )
        return self.page_of(
            opportunities.order_by("pk"), lambda page: s.OpportunityOut(page, many=True).data
        )

    @extend_schema(
        operation_id="opportunities_create",
        summary="Post an opportunity",
        parameters=[IDEMPOTENCY_KEY],
        request=s.OpportunityIn,
        responses={201: s.OpportunityOut},
    )
    def post(self, request: Request) -> Response:
        return self.create(lambda: self._post(request))

    def _post(self, request: Request) -> Response:
        incoming = s.OpportunityIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        employer_id = data.get("employer") or partner_access(request).organisation.pk
        access = employer_selectors.employer_get_for_user(
            user=self.account, employer_id=employer_id
        )
        if access.as_staff and access.employer.council_id not in (
            employer_selectors.scheme_council_ids(
                user=self.account, capabilities=[Capability.MANAGE_EMPLOYERS]
            )
        ):
            raise Problem(403, "This client may not post opportunities for this employer.")
        try:
            opportunity = employer_services.opportunity_create(
                actor=self.account,
                employer=access.employer,
                title=" ".join(data["title"].split()),
                opportunity_type=data["opportunity_type"],
                places=data["places"],
                closing_on=data["closing_on"],
                minimum=dict(data.get("minimum") or {}),
                hours_per_week=data.get("hours_per_week"),
                hourly_wage=data.get("hourly_wage"),
                description=data["description"],
            )
        except employer_services.EmployerError as exc:
            raise _employer_problem(exc) from exc
        return Response(s.OpportunityOut(opportunity).data, status=201)


def referral_data(referral: Referral, *, shows_resident: bool) -> dict[str, Any]:
    resident = referral.resident
    return {
        "id": referral.pk,
        "opportunity": referral.opportunity_id,
        "opportunity_title": referral.opportunity.title,
        "status": referral.status,
        "referred_at": referral.referred_at,
        "interviewed_on": referral.interviewed_on,
        "offered_on": referral.offered_on,
        "started_on": referral.started_on,
        "withdrawn_at": referral.withdrawn_at,
        "resident": {
            "id": resident.public_id,
            "first_name": resident.first_name,
            "last_name": resident.last_name,
            "email": resident.email,
            "phone": resident.phone,
        }
        if shows_resident
        else None,
    }


class ReferralList(PartnerView):
    required_scope = "employer"

    @extend_schema(
        operation_id="referrals_list",
        summary="Residents referred to the client's employer",
        parameters=[UPDATED_SINCE],
        responses={200: s.ReferralOut(many=True)},
    )
    def get(self, request: Request) -> Response:
        employer = partner_access(request).organisation
        if employer.pk not in employer_selectors.own_employer_ids(user=self.account):
            raise Problem(403, "Only an employer's client receives referrals.")
        referrals = employer_selectors.referrals_for_employer(employer=employer)
        since = self.updated_since()
        if since is not None:
            referrals = referrals.filter(
                Q(referred_at__gte=since)
                | Q(withdrawn_at__gte=since)
                | Q(interviewed_on__gte=since.date())
                | Q(offered_on__gte=since.date())
                | Q(started_on__gte=since.date())
            )

        def render(page: list[Referral]) -> list[dict[str, Any]]:
            shown = [r for r in page if r.shows_resident]  # type: ignore[attr-defined]
            employer_services.referral_viewed(
                actor=self.account, referrals=shown, request=request._request
            )
            return [
                referral_data(r, shows_resident=r.shows_resident)  # type: ignore[attr-defined]
                for r in page
            ]

        return self.page_of(referrals.order_by("pk"), render)


class ReferralOutcome(PartnerView):
    required_scope = "employer"

    @extend_schema(
        operation_id="referral_outcomes_create",
        summary="Record that a referred resident was interviewed, offered or started",
        parameters=[IDEMPOTENCY_KEY],
        request=s.OutcomeIn,
        responses={201: s.ReferralOut},
    )
    def post(self, request: Request, referral_id: int) -> Response:
        return self.create(lambda: self._record(request, referral_id))

    def _record(self, request: Request, referral_id: int) -> Response:
        access = employer_selectors.referral_get_for_user(
            user=self.account, referral_id=referral_id, change=True
        )
        incoming = s.OutcomeIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            referral = employer_services.referral_progress(
                actor=self.account,
                referral=access.referral,
                stage=data["stage"],
                on=data["on"],
                hours_per_week=data.get("hours_per_week"),
                hourly_wage=data.get("hourly_wage"),
                contract=data["contract"],
                request=request._request,
            )
        except employer_services.EmployerError as exc:
            raise _employer_problem(exc) from exc
        shows = employer_selectors.referral_shows_resident(referral=referral)
        return Response(referral_data(referral, shows_resident=shows), status=201)


def _check_data(check: SustainmentCheck) -> dict[str, Any]:
    referral = getattr(check.job_start, "referral", None)
    return {
        "id": check.pk,
        "weeks": check.weeks,
        "due_on": check.due_on,
        "outcome": check.outcome,
        "checked_on": check.checked_on,
        "referral": referral.pk if referral is not None else None,
    }


class CheckList(PartnerView):
    required_scope = "employer"

    @extend_schema(
        operation_id="sustainment_checks_list",
        summary="Sustainment checks due within 14 days or overdue",
        responses={200: s.CheckOut(many=True)},
    )
    def get(self, request: Request) -> Response:
        checks = employer_selectors.checks_due(user=self.account)
        return self.page_of(checks, lambda page: [_check_data(c) for c in page])


class CheckRecord(PartnerView):
    required_scope = "employer"

    @extend_schema(
        operation_id="sustainment_checks_record",
        summary="Record whether a person who started is still in work",
        parameters=[IDEMPOTENCY_KEY],
        request=s.CheckIn,
        responses={201: s.CheckOut},
    )
    def post(self, request: Request, check_id: int) -> Response:
        return self.create(lambda: self._record(request, check_id))

    def _record(self, request: Request, check_id: int) -> Response:
        check = employer_selectors.check_get_for_user(user=self.account, check_id=check_id)
        incoming = s.CheckIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            check = employer_services.sustainment_record(
                actor=self.account,
                check=check,
                outcome=data["outcome"],
                checked_on=data["checked_on"],
                note=data["note"],
                request=request._request,
            )
        except employer_services.EmployerError as exc:
            raise _employer_problem(exc) from exc
        return Response(_check_data(check), status=201)
