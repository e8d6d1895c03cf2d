from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from skillspassport.accounts.models import User
from skillspassport.background.models import Work
from skillspassport.skills.analytics.levels import validate_rules
from skillspassport.skills.models import CouncilScheme, FrameworkVersion, LevelRuleSet
from skillspassport.skills.selectors import framework_spec
from skillspassport.skills.services import rule_set_changed, scheme_adopt


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    """Frameworks are loaded from YAML by `manage.py load_framework`; never edited here."""

    list_display = ["code", "title", "published", "loaded_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LevelRuleSetForm(forms.ModelForm):
    class Meta:
        model = LevelRuleSet
        fields = ["framework", "name", "rules", "count_self_assessed"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        framework, rules = cleaned.get("framework"), cleaned.get("rules")
        if framework is not None and rules is not None:
            errors = validate_rules(framework_spec(framework), rules)
            if errors:
                raise forms.ValidationError(errors)
        return cleaned


def _staff_user(request: HttpRequest) -> User:
    """The signed-in member of staff changing the rules (the admin site lets no one else in)."""
    if not isinstance(request.user, User) or not request.user.is_authenticated:
        raise PermissionDenied
    return request.user


def _plain(value: Any) -> Any:
    """A form value as the audit log can hold it (model instances by their name)."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _recompute_started(request: HttpRequest, started: list[Work]) -> None:
    """Say that the recompute runs in the background, and where to follow it."""
    request._recompute_started = started  # type: ignore[attr-defined]
    if started:
        messages.info(
            request,
            f"Recomputing the passports of {len(started)} council(s) in the background. "
            "Levels change as each batch of residents is done.",
        )


def _to_progress(request: HttpRequest) -> HttpResponse | None:
    """After a change that started a recompute: its progress page (or the list of work)."""
    started: list[Work] = getattr(request, "_recompute_started", [])
    if len(started) == 1:
        return redirect("background:detail", work_id=started[0].pk)
    if started:
        return redirect("background:list")
    return None


@admin.register(LevelRuleSet)
class LevelRuleSetAdmin(admin.ModelAdmin):
    form = LevelRuleSetForm
    list_display = ["name", "framework", "count_self_assessed", "updated_at"]

    def save_model(self, request: HttpRequest, obj: LevelRuleSet, form: Any, change: bool) -> None:
        user = _staff_user(request)
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
        if change:
            changes = {
                name: (_plain(form.initial.get(name)), _plain(form.cleaned_data.get(name)))
                for name in form.changed_data
            }
            started = rule_set_changed(rule_set=obj, user=user, changes=changes)
            _recompute_started(request, started)

    def response_change(self, request: HttpRequest, obj: LevelRuleSet) -> HttpResponse:
        return _to_progress(request) or super().response_change(request, obj)


@admin.register(CouncilScheme)
class CouncilSchemeAdmin(admin.ModelAdmin):
    """Moving a council to another rule set or framework version recomputes its passports."""

    list_display = ["council", "rule_set"]

    def save_model(self, request: HttpRequest, obj: CouncilScheme, form: Any, change: bool) -> None:
        user = _staff_user(request)
        work = scheme_adopt(council=obj.council, rule_set=obj.rule_set, user=user)
        _recompute_started(request, [work])

    def response_add(self, request: HttpRequest, obj: CouncilScheme, *args: Any) -> HttpResponse:
        return _to_progress(request) or super().response_add(request, obj, *args)

    def response_change(self, request: HttpRequest, obj: CouncilScheme) -> HttpResponse:
        return _to_progress(request) or super().response_change(request, obj)
