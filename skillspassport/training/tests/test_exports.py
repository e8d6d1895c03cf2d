"""A cohort's register as a download: marks per session, who may have it, and the audit."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.training import services
from skillspassport.training.models import Session
from skillspassport.training.tests.conftest import today


def started_with_session(cohort, learners, tutor):
    enrolments = [
        services.enrolment_create(actor=tutor, cohort=cohort, resident=r) for r in learners[:2]
    ]
    cohort.start_date = today() - timedelta(days=7)
    cohort.save(update_fields=["start_date"])
    start = timezone.make_aware(datetime.combine(today() - timedelta(days=7), time(10)))
    session = Session.objects.create(
        cohort=cohort, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    services.attendance_record(
        actor=tutor,
        session=session,
        marks={enrolments[0].pk: "present", enrolments[1].pk: "absent"},
    )
    return enrolments, session


def test_tutor_downloads_the_register_with_each_mark(client, tutor, cohort, learners):
    enrolments, _session = started_with_session(cohort, learners, tutor)
    client.force_login(tutor)
    response = client.get(reverse("training:register-export", args=[cohort.pk, "csv"]))
    assert response.status_code == 200
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert header[0] == "Learner"
    assert "Email" not in header  # a tutor may not export contact details
    by_name = {row[0]: row for row in rows}
    assert by_name[enrolments[0].resident.full_name][2:] == ["Present", "1"]
    assert by_name[enrolments[1].resident.full_name][2:] == ["Absent", "0"]

    sheet = load_workbook(
        io.BytesIO(
            client.get(reverse("training:register-export", args=[cohort.pk, "xlsx"])).content
        )
    ).active
    assert sheet.max_row == 3


def test_register_download_is_recorded_for_each_learner(client, tutor, cohort, learners):
    enrolments, _session = started_with_session(cohort, learners, tutor)
    client.force_login(tutor)
    client.get(reverse("training:register-export", args=[cohort.pk, "xlsx"]))
    for e in enrolments:
        event = AuditEvent.objects.get(user=tutor, resident=e.resident, action=AuditAction.LISTED)
        assert "downloaded (XLSX)" in event.summary


def test_another_providers_tutor_cannot_download_the_register(client, other_tutor, cohort):
    client.force_login(other_tutor)
    assert (
        client.get(reverse("training:register-export", args=[cohort.pk, "csv"])).status_code == 404
    )


def test_cohort_page_links_to_the_register_download(client, tutor, cohort, learners):
    started_with_session(cohort, learners, tutor)
    client.force_login(tutor)
    body = client.get(reverse("training:cohort", args=[cohort.pk])).content.decode()
    assert reverse("training:register-export", args=[cohort.pk, "csv"]) in body
