"""The demo: no superusers or staff for councils, a councillor with the councillor role, and
never against production settings."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from skillspassport.accounts.models import Membership, Organisation, Role, User


def test_seed_demo_refuses_production_settings(settings, db):
    settings.SETTINGS_MODULE = "config.settings.production"
    with pytest.raises(CommandError, match="does not run with the production settings"):
        call_command("seed_demo", residents=5, stdout=StringIO())
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_users_are_never_staff_or_superusers_and_have_the_right_roles():
    call_command("load_postcodes", verbosity=0)
    out = StringIO()
    # One resident (in Knowsley): the smallest demo still works, with nobody for Sefton's
    # courses and casework.
    call_command("seed_demo", residents=1, stdout=out)
    assert User.objects.exists()
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()

    def roles(email: str) -> list[tuple[str, str]]:
        return list(
            Membership.objects.filter(user__email=email).values_list("organisation__name", "role")
        )

    assert roles("councillor@sefton.demo") == [("Sefton Council", Role.COUNCILLOR)]
    assert roles("viewer@sefton.demo") == [("Sefton Council", Role.VIEWER)]
    assert roles("admin@sefton.demo") == [("Sefton Council", Role.ADMINISTRATOR)]
    assert roles("admin@knowsley.demo") == [("Knowsley Council", Role.ADMINISTRATOR)]
    printed = out.getvalue()
    assert "Created 1 demo residents" in printed
    assert "councillor@sefton.demo" in printed
    assert "Councillor" in printed
