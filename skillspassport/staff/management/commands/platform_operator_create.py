"""Create a platform operator: a superuser who may open the Django admin with a TOTP code."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from skillspassport.accounts.models import User
from skillspassport.staff.services import set_password_link

BACKUP_CODES = 8


class Command(BaseCommand):
    help = (
        "Create a platform operator (a superuser for the Django admin) with a TOTP device. "
        "Prints the device's otpauth:// URI and QR code, backup codes, and a link to choose "
        "a password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--no-qr", action="store_true", help="Print the URI only.")

    def handle(self, *args: Any, email: str, full_name: str, no_qr: bool, **options: Any) -> None:
        email = email.strip().lower()
        full_name = full_name.strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        if not full_name:
            raise CommandError("Give the operator's full name with --full-name.")
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"There is already an account for {email}.")
        with transaction.atomic():
            user = User.objects.create_superuser(email, None, full_name=full_name)
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
            backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
            codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
            StaticToken.objects.bulk_create([StaticToken(device=backup, token=c) for c in codes])
        uri = device.config_url
        self.stdout.write(f"Platform operator {email} created.\n")
        self.stdout.write("Add this to an authenticator app (it is shown only now):")
        self.stdout.write(uri)
        if not no_qr:
            qr = io.StringIO()
            segno.make(uri, error="m").terminal(out=qr, compact=True)
            self.stdout.write(qr.getvalue(), ending="")
        self.stdout.write("\nBackup codes, each usable once instead of a code from the app:")
        self.stdout.write("  " + "  ".join(codes))
        days = settings.PASSWORD_RESET_TIMEOUT // 86400
        self.stdout.write(f"\nChoose a password at this link (it works once, for {days} days):")
        self.stdout.write(set_password_link(user=user))
        self.stdout.write("\nThen sign in at /admin/ with the email, password and a code.")
