"""The monitoring report's PDF, made as background work (`reports.jobs`) and kept.

A PDF shows the report's figures, narratives, version and status; its fingerprint is a digest
of those, so the PDF is made once for each state of the report. A published report is frozen,
so its PDF is made once (when it is published) and the same file is served from then on.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction

from skillspassport.accounts.models import User
from skillspassport.background.models import Work
from skillspassport.background.services import work_start
from skillspassport.reports import pdf
from skillspassport.reports.models import MonitoringReport, ReportPdf
from skillspassport.reports.services import report_contents

PDF_JOB = "reports.pdf"


def _fingerprint(report: MonitoringReport, contents: dict[str, Any]) -> str:
    shown = {
        # When a draft's figures were computed is not part of what they say.
        "contents": {k: v for k, v in contents.items() if k != "computed_at"},
        "narratives": report.narratives or {},
        "version": report.version,
        "status": report.status_label,
    }
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()


def report_pdf_current(*, report: MonitoringReport) -> ReportPdf | None:
    """The PDF made of the report as it stands now, if it has been made."""
    fingerprint = _fingerprint(report, report_contents(report))
    return ReportPdf.objects.filter(report=report, fingerprint=fingerprint).first()


def report_pdf_start(*, report: MonitoringReport, user: User | None) -> Work:
    """Start making the report's PDF (once at a time per report and status)."""
    return work_start(
        kind=PDF_JOB,
        title=f"PDF of the monitoring report: {report.period_label}, version {report.version}",
        params={"report_id": report.pk},
        council=report.council,
        started_by=user,
        key=f"report-{report.pk}-{report.status}",
    )


def report_pdf_make(*, report: MonitoringReport) -> tuple[ReportPdf, bool]:
    """Make the PDF of the report as it stands, unless it is made already.
    Returns (the PDF, whether it was made now)."""
    contents = report_contents(report)
    fingerprint = _fingerprint(report, contents)
    made = ReportPdf.objects.filter(report=report, fingerprint=fingerprint).first()
    if made is not None:
        return made, False
    data = pdf.render(contents, report.narratives, report.version, report.status_label)
    try:
        with transaction.atomic():
            return (
                ReportPdf.objects.create(
                    report=report, fingerprint=fingerprint, status=report.status, data=data
                ),
                True,
            )
    except IntegrityError:  # made meanwhile by another attempt
        return ReportPdf.objects.get(report=report, fingerprint=fingerprint), False
