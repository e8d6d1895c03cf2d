"""The same work runs on the Redis queue (TASKS_BACKEND=rq): a report PDF made through an
in-process RQ worker. Skipped when Redis is not reachable."""

from __future__ import annotations

import pytest
from django.utils import timezone

from skillspassport.background.models import WorkStatus
from skillspassport.reports import kpis
from skillspassport.reports.models import ReportPdf
from skillspassport.reports.pdfs import report_pdf_start
from skillspassport.reports.services import report_create

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def rq_queue(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("Redis is not reachable")
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    import django_rq
    from django_tasks_rq.backend import Job

    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    yield queue
    queue.empty()


def test_a_report_pdf_is_made_by_an_rq_worker(
    rq_queue, council, staff, django_capture_on_commit_callbacks
):
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    period = kpis.Period.containing(timezone.localdate())
    report = report_create(council=council, period=period, user=staff["administrator"])
    with django_capture_on_commit_callbacks(execute=True):
        work = report_pdf_start(report=report, user=staff["administrator"])
    work.refresh_from_db()
    assert work.task_id in rq_queue.job_ids  # on Redis, not the database queue
    assert not ReportPdf.objects.exists()

    SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=Job).work(burst=True)

    work.refresh_from_db()
    assert work.status == WorkStatus.SUCCEEDED, work.error
    assert bytes(ReportPdf.objects.get(report=report).data).startswith(b"%PDF")
