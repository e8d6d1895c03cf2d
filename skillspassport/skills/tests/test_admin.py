"""The rules admin records who moved a council's scheme, and acts for signed-in staff only."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.skills.admin import CouncilSchemeAdmin
from skillspassport.skills.models import CouncilScheme, LevelRuleSet


def _request(user):
    request = RequestFactory().post("/admin/skills/councilscheme/add/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_moving_a_scheme_in_the_admin_is_recorded_against_the_member_of_staff(council, staff):
    administrator = staff["administrator"]
    scheme = CouncilScheme(council=council, rule_set=LevelRuleSet.objects.get(name="default"))
    CouncilSchemeAdmin(CouncilScheme, admin.site).save_model(
        _request(administrator), scheme, None, change=False
    )
    event = AuditEvent.objects.get(action=AuditAction.RULES_CHANGED, organisation=council)
    assert event.user == administrator


def test_the_admin_does_not_act_for_someone_not_signed_in(council):
    scheme = CouncilScheme(council=council, rule_set=LevelRuleSet.objects.get(name="default"))
    with pytest.raises(PermissionDenied):
        CouncilSchemeAdmin(CouncilScheme, admin.site).save_model(
            _request(AnonymousUser()), scheme, None, change=False
        )
    assert not AuditEvent.objects.filter(action=AuditAction.RULES_CHANGED).exists()
