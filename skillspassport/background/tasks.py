"""The queue's two tasks. Each carries only an id; the rows hold everything else."""

from __future__ import annotations

from django_tasks import task

from skillspassport.background import services


@task()
def run_work(work_id: str) -> None:
    services.work_run(work_id=work_id)


@task()
def send_notification(notification_id: str) -> None:
    services.notification_send(notification_id=notification_id)
