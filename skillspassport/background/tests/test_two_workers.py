"""Two workers on one PostgreSQL database share the queue: each piece of work runs once."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

from skillspassport.background.models import Work, WorkStatus
from skillspassport.background.registry import job
from skillspassport.background.services import work_start

WORKER = """
import django
django.setup()
import skillspassport.background.tests.test_two_workers  # registers the job below
from django.core.management import call_command
call_command("worker", "--batch", "--interval", "0")
"""


@job("tests.which_worker")
def which_worker(work, progress):
    time.sleep(0.1)
    return {"pid": os.getpid()}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_queue_and_run_each_piece_of_work_once():
    works = [work_start(kind="tests.which_worker", title=f"Piece {n}") for n in range(20)]
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", WORKER], cwd=settings.BASE_DIR, env=env, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    for worker in workers:
        _, stderr = worker.communicate(timeout=120)
        assert worker.returncode == 0, stderr.decode()[-2000:]
    done = Work.objects.filter(pk__in=[w.pk for w in works])
    assert {w.status for w in done} == {WorkStatus.SUCCEEDED}
    assert {w.attempts for w in done} == {1}
    assert len({w.result["pid"] for w in done}) == 2  # both workers took some
