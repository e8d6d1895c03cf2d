"""Training providers' learner records systems: cohorts, enrolments, registers, completions.

Completion calls the same service as the cohort page: verified course-completion evidence for
every skill the course teaches, then the passport is recomputed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from skillspassport.accounts.roles import Capability
from skillspassport.api import selectors as api_selectors
from skillspassport.api import serializers as s
from skillspassport.api.problems import Problem
from skillspassport.api.views.base import IDEMPOTENCY_KEY, UPDATED_SINCE, PartnerView
from skillspassport.people.selectors import resident_get_for_user
from skillspassport.training import selectors, services
from skillspassport.training.models import Enrolment


def _training(view: PartnerView) -> None:
    if not selectors.training_organisation_ids(user=view.account):
        raise Problem(403, "This client does not run training.")


class CohortList(PartnerView):
    required_scope = "training"

    @extend_schema(
        operation_id="cohorts_list",
        summary="Cohorts of the client's courses, with their sessions",
        parameters=[UPDATED_SINCE],
        responses={200: s.CohortOut(many=True)},
    )
    def get(self, request: Request) -> Response:
        _training(self)
        cohorts = api_selectors.cohorts_with_sessions(user=self.account)
        since = self.updated_since()
        if since is not None:
            cohorts = cohorts.filter(created_at__gte=since)
        return self.page_of(cohorts, lambda page: s.CohortOut(page, many=True).data)


class EnrolmentList(PartnerView):
    required_scope = "training"

    @extend_schema(
        operation_id="enrolments_list",
        summary="A cohort's enrolments and waiting list",
        parameters=[UPDATED_SINCE],
        responses={200: s.EnrolmentOut(many=True)},
    )
    def get(self, request: Request, cohort_id: int) -> Response:
        cohort = selectors.cohort_get_for_user(user=self.account, cohort_id=cohort_id)
        enrolments = api_selectors.enrolments_of_cohort(cohort=cohort)
        since = self.updated_since()
        if since is not None:
            enrolments = enrolments.filter(
                Q(requested_at__gte=since)
                | Q(enrolled_at__gte=since)
                | Q(withdrawn_at__gte=since)
                | Q(outcome_recorded_at__gte=since)
            )

        def render(page: list[Enrolment]) -> Any:
            self.shown([e.resident for e in page], "cohort enrolments", listed=True)
            return s.EnrolmentOut(page, many=True).data

        return self.page_of(enrolments.order_by("pk"), render)

    @extend_schema(
        operation_id="enrolments_create",
        summary="Enrol a learner (or put them on the waiting list when the cohort is full)",
        parameters=[IDEMPOTENCY_KEY],
        request=s.EnrolmentIn,
        responses={201: s.EnrolmentOut},
    )
    def post(self, request: Request, cohort_id: int) -> Response:
        return self.create(lambda: self._enrol(request, cohort_id))

    def _enrol(self, request: Request, cohort_id: int) -> Response:
        cohort = selectors.cohort_get_for_user(user=self.account, cohort_id=cohort_id)
        incoming = s.EnrolmentIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        resident = resident_get_for_user(
            user=self.account,
            public_id=incoming.validated_data["resident"],
            capability=Capability.RUN_TRAINING,
        )
        try:
            enrolment = services.enrolment_create(
                actor=self.account, cohort=cohort, resident=resident, request=request._request
            )
        except services.TrainingError as exc:
            raise Problem(422, exc.message) from exc
        return Response(s.EnrolmentOut(enrolment).data, status=201)


class AttendanceRecord(PartnerView):
    required_scope = "training"

    @extend_schema(
        operation_id="attendance_create",
        summary="Take the register for one session",
        parameters=[IDEMPOTENCY_KEY],
        request=s.AttendanceIn,
        responses={201: s.AttendanceOut},
    )
    def post(self, request: Request, cohort_id: int, session_id: int) -> Response:
        return self.create(lambda: self._record(request, cohort_id, session_id))

    def _record(self, request: Request, cohort_id: int, session_id: int) -> Response:
        cohort = selectors.cohort_get_for_user(user=self.account, cohort_id=cohort_id)
        session = selectors.session_get_for_cohort(cohort=cohort, session_id=session_id)
        incoming = s.AttendanceIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        marks = {m["enrolment"]: m["mark"] for m in incoming.validated_data["marks"]}
        try:
            changed = services.attendance_record(
                actor=self.account, session=session, marks=marks, request=request._request
            )
        except services.TrainingError as exc:
            raise Problem(422, exc.message) from exc
        return Response({"session": session.pk, "changed": changed}, status=201)


class CompletionRecord(PartnerView):
    required_scope = "training"

    @extend_schema(
        operation_id="completions_create",
        summary="Record a learner's completion (adds verified evidence) or non-completion",
        parameters=[IDEMPOTENCY_KEY],
        request=s.CompletionIn,
        responses={201: s.CompletionOut},
    )
    def post(self, request: Request, cohort_id: int, enrolment_id: int) -> Response:
        return self.create(lambda: self._record(request, cohort_id, enrolment_id))

    def _record(self, request: Request, cohort_id: int, enrolment_id: int) -> Response:
        cohort = selectors.cohort_get_for_user(user=self.account, cohort_id=cohort_id)
        enrolment = selectors.enrolment_get_for_cohort(cohort=cohort, enrolment_id=enrolment_id)
        incoming = s.CompletionIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        changes: list[Any] = []
        try:
            if data["outcome"] == "completed":
                changes = services.enrolment_complete(
                    actor=self.account,
                    enrolment=enrolment,
                    override_reason=data["override_reason"],
                    request=request._request,
                )
            else:
                services.enrolment_not_complete(
                    actor=self.account,
                    enrolment=enrolment,
                    reason=data["reason"],
                    request=request._request,
                )
        except services.TrainingError as exc:
            raise Problem(422, exc.message) from exc
        enrolment.refresh_from_db()
        body = {
            "enrolment": s.EnrolmentOut(enrolment).data,
            "level_changes": s.LevelChangeOut(changes, many=True).data,
        }
        return Response(body, status=201)
