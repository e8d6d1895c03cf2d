"""Notifications: sent once, after the change commits, and never for a change rolled back."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from skillspassport.background.models import Notification, NotificationStatus
from skillspassport.background.services import notify
from skillspassport.background.tasks import send_notification
from skillspassport.background.testing import drain


@pytest.fixture(autouse=True)
def _no_wait(settings):
    settings.BACKGROUND_RETRY_SECONDS = 0


def test_a_notification_is_sent_once_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(kind="test", to="tutor@provider.test", subject="A new learner", body="Sign in.")
    assert mail.outbox == []  # nothing is sent before the change commits
    assert len(callbacks) == 1
    callbacks[0]()
    drain()
    assert [m.to for m in mail.outbox] == [["tutor@provider.test"]]
    assert mail.outbox[0].subject == "A new learner"
    # The same notification delivered again is not sent again.
    send_notification.enqueue(str(Notification.objects.get().pk))
    drain()
    assert len(mail.outbox) == 1
    assert Notification.objects.get().status == NotificationStatus.SENT


def test_no_notification_when_the_change_rolls_back(db, django_capture_on_commit_callbacks):
    def decision_that_fails():
        with transaction.atomic():
            notify(kind="test", to="adviser@council.test", subject="Approved", body="…")
            raise RuntimeError("the decision failed to save")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        decision_that_fails()
    drain()
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_failed_send_is_retried_then_shown_as_failed(
    db, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.BACKGROUND_NOTIFICATION_ATTEMPTS = 2
    from skillspassport.background import senders

    def refuse(notification):
        raise ConnectionError("mail server refused the connection")

    monkeypatch.setattr(senders, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="test", to="employer@example.test", subject="A referral", body="…")
    # each attempt's retry is queued after the attempt commits
    while True:
        with django_capture_on_commit_callbacks(execute=True):
            if not drain():
                break
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == 2
    assert "refused" in notification.error


def test_gov_uk_notify_is_called_with_the_template_and_the_message(db, settings, monkeypatch):
    from notifications_python_client import notifications

    settings.NOTIFICATIONS_SENDER = "govuk-notify"
    settings.GOVUK_NOTIFY_API_KEY = "key-" + "0" * 36 + "-" + "1" * 36
    settings.GOVUK_NOTIFY_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    sent = []
    monkeypatch.setattr(
        notifications.NotificationsAPIClient,
        "send_email_notification",
        lambda self, **kwargs: sent.append(kwargs),
    )
    from skillspassport.background.services import notification_send

    notification = Notification.objects.create(
        kind="test", to="resident@example.test", subject="Your share link", body="Here it is"
    )
    notification_send(notification_id=str(notification.pk))
    assert sent == [
        {
            "email_address": "resident@example.test",
            "template_id": settings.GOVUK_NOTIFY_TEMPLATE_ID,
            "personalisation": {"subject": "Your share link", "body": "Here it is"},
            "reference": str(notification.pk),
        }
    ]
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"NOTIFICATIONS_SENDER": "govuk-notify"}, "needs GOVUK_NOTIFY_API_KEY"),
        ({"NOTIFICATIONS_SENDER": "pigeon"}, "must be email or govuk-notify"),
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND must be database or rq"),
    ],
)
def test_settings_refuse_a_sender_or_queue_that_cannot_work(environment, message):
    from skillspassport.core.tests.test_hardening import import_production

    result = import_production(**environment)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_rq_backend_is_chosen_by_setting():
    from skillspassport.core.tests.test_hardening import import_production

    result = import_production(TASKS_BACKEND="rq")
    assert result.returncode == 0, result.stderr
