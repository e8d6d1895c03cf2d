"""Reads about monitoring reports. Every report page fetches its report through
`report_get_for_user`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from skillspassport.accounts.access import scope_for
from skillspassport.accounts.models import Organisation, User
from skillspassport.accounts.roles import Capability
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
    return report


def reports_of(*, council: Organisation) -> QuerySet[MonitoringReport]:
    """The council's reports, newest period and version first."""
    return MonitoringReport.objects.filter(council=council)


def report_versions(*, report: MonitoringReport) -> QuerySet[MonitoringReport]:
    """Every version of the report's period for its council."""
    return MonitoringReport.objects.filter(
        council_id=report.council_id,
        period_start=report.period_start,
        period_end=report.period_end,
    )


def scheme_partners(*, council: Organisation) -> QuerySet[Organisation]:
    """The organisations working in the council's scheme (the dashboard's filter), by name."""
    return Organisation.objects.filter(council=council).order_by("name")
