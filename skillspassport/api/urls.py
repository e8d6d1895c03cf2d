"""The partner API, version 1: /api/v1/… (docs/api.md)."""

from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from skillspassport.api import problems
from skillspassport.api.views import employment, residents, training


class IdConverter:
    """A record id: 1 to 15 digits (larger numbers are no record, not a database error)."""

    regex = "[0-9]{1,15}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "api"
urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("residents", residents.ResidentList.as_view(), name="residents"),
    path("residents/<uuid:public_id>", residents.ResidentDetail.as_view(), name="resident"),
    path("residents/<uuid:public_id>/evidence", residents.EvidenceList.as_view(), name="evidence"),
    path("cohorts", training.CohortList.as_view(), name="cohorts"),
    path("cohorts/<id:cohort_id>/enrolments", training.EnrolmentList.as_view(), name="enrolments"),
    path(
        "cohorts/<id:cohort_id>/sessions/<id:session_id>/attendance",
        training.AttendanceRecord.as_view(),
        name="attendance",
    ),
    path(
        "cohorts/<id:cohort_id>/enrolments/<id:enrolment_id>/completion",
        training.CompletionRecord.as_view(),
        name="completion",
    ),
    path("referrals-in", employment.ReferralInCreate.as_view(), name="referrals-in"),
    path("opportunities", employment.OpportunityList.as_view(), name="opportunities"),
    path("referrals", employment.ReferralList.as_view(), name="referrals"),
    path(
        "referrals/<id:referral_id>/outcomes",
        employment.ReferralOutcome.as_view(),
        name="referral-outcomes",
    ),
    path("sustainment-checks", employment.CheckList.as_view(), name="checks"),
    path("sustainment-checks/<id:check_id>", employment.CheckRecord.as_view(), name="check"),
    re_path(r"^[\s\S]*$", problems.not_found),
]
