"""What the data-rights commands share: finding the resident and the operator."""

from __future__ import annotations

import uuid

from django.core.management.base import CommandError, CommandParser

from skillspassport.accounts.models import User
from skillspassport.people.models import Resident


def add_operator_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--by",
        metavar="EMAIL",
        default="",
        help="Email of the staff user answering the request, recorded in the audit log.",
    )


def resident_by_public_id(public_id: str) -> Resident:
    try:
        key = uuid.UUID(public_id.strip())
    except ValueError as exc:
        raise CommandError(f"'{public_id}' is not a resident id (a UUID).") from exc
    resident = Resident.objects.select_related("organisation").filter(public_id=key).first()
    if resident is None:
        raise CommandError(f"No resident has the id {key}.")
    return resident


def operator(email: str) -> User | None:
    if not email:
        return None
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None:
        raise CommandError(f"No active user has the email {email}.")
    return user
