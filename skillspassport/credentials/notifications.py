"""What residents are told, by email after the change commits, when they gave an email."""

from __future__ import annotations

from django.urls import reverse

from skillspassport.background.services import absolute_url, notify
from skillspassport.credentials.models import IssuedCredential


def share_link_made(credential: IssuedCredential) -> None:
    resident = credential.resident
    if resident is None or not resident.email or credential.share_token is None:
        return
    link = absolute_url(reverse("credentials:share", args=[credential.share_token]))
    name = str(credential.document.get("name") or "Skills Passport")
    notify(
        kind="credentials.share_link_made",
        to=resident.email,
        council=credential.council,
        subject="Your Skills Passport link for employers",
        body=(
            f"Your {name} can now be checked by employers.\n\n"
            f"Give this link to an employer, or put it on your CV:\n{link}\n\n"
            "Anyone with the link can see the levels on your passport and check that the "
            "council issued it. They cannot see anything else about you.\n\n"
            "To stop sharing, use the stop-sharing slip your adviser gave you, or ask your adviser."
        ),
    )
