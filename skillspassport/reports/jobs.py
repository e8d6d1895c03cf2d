"""Long work for reports: making the monitoring report's PDF."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from skillspassport.background.models import Work
from skillspassport.background.progress import Progress
from skillspassport.background.registry import JobRefusedError, job
from skillspassport.reports.models import MonitoringReport
from skillspassport.reports.pdfs import PDF_JOB, report_pdf_make


@job(PDF_JOB)
def report_pdf(work: Work, progress: Progress) -> dict[str, Any]:
    report = MonitoringReport.objects.filter(pk=work.params["report_id"]).first()
    if report is None:
        raise JobRefusedError("The report no longer exists.")
    progress.start(1, "Gathering the figures and drawing the pages")
    made, new = report_pdf_make(report=report)
    progress.advance(1, "PDF ready." if new else "PDF ready (already made).")
    return {
        "url": reverse("reports:pdf", args=[report.pk]),
        "link_text": "Download the PDF",
        "pdf_id": made.pk,
    }
