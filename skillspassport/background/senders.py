"""How notifications leave the service: Django's email backends by default, or GOV.UK Notify
(`NOTIFICATIONS_SENDER=govuk-notify`, with `GOVUK_NOTIFY_API_KEY` and an email template whose
body is `((body))` and subject `((subject))`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from skillspassport.background.models import Notification


def send(notification: Notification) -> None:
    if settings.NOTIFICATIONS_SENDER == "govuk-notify":
        _send_by_notify(notification)
    else:
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.to],
            fail_silently=False,
        )


def _send_by_notify(notification: Notification) -> None:
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(settings.GOVUK_NOTIFY_API_KEY)
    client.send_email_notification(
        email_address=notification.to,
        template_id=settings.GOVUK_NOTIFY_TEMPLATE_ID,
        personalisation={"subject": notification.subject, "body": notification.body},
        reference=str(notification.pk),
    )
