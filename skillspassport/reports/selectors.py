"""Reads about monitoring reports. Every report page fetches its report through
`report_get_for_user`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from skillspassport.accounts.access import scope_for
from skillspassport.accounts.models import Organisation, User
from skillspassport.accounts.roles import Capability
from skillspassport.areas.models import Ward
from skillspassport.reports.models import MonitoringReport


def report_get_for_user(*, user: User, report_id: int) -> MonitoringReport:
    """A report of a council in whose scheme the user sees aggregates; Http404 otherwise, so
    other councils' staff (and guessed ids) learn nothing."""
    report = (
        MonitoringReport.objects.select_related("council")
        .filter(
            pk=report_id, council_id__in=scope_for(user, Capability.VIEW_AGGREGATES).council_ids
        )
        .first()
    )
    if report is None:
        raise Http404("No such report")
    # A draft is read only by those who write the council's reports.
    if report.status != MonitoringReport.Status.PUBLISHED and not scope_for(
        user, Capability.DRAFT_REPORTS
    ).holds(report.council_id):
        raise Http404("No such report")
    return report


def reports_of(*, council: Organisation, drafts: bool) -> QuerySet[MonitoringReport]:
    """The council's reports, newest period and version first; drafts only if `drafts`."""
    reports = MonitoringReport.objects.filter(council=council)
    if not drafts:
        reports = reports.filter(status=MonitoringReport.Status.PUBLISHED)
    return reports


def report_versions(*, report: MonitoringReport, drafts: bool) -> QuerySet[MonitoringReport]:
    """Every version of the report's period for its council; drafts only if `drafts`."""
    return reports_of(council=report.council, drafts=drafts).filter(
        period_start=report.period_start, period_end=report.period_end
    )


def scheme_partners(*, council: Organisation) -> QuerySet[Organisation]:
    """The organisations working in the council's scheme (the dashboard's filter), by name."""
    return Organisation.objects.filter(council=council).order_by("name")


def council_wards(*, council: Organisation) -> QuerySet[Ward]:
    """The wards of the council's local authority (the dashboard's filter), by name."""
    return Ward.objects.filter(local_authority_id=council.local_authority_code).order_by("name")
