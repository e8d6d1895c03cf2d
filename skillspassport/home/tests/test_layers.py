"""Layering rules held by the main suite (so CI holds them on every change).

Views never fetch a protected model themselves: every object that holds or leads to a
resident's personal data or a council's private records is fetched through a guarded selector
(`*_get_for_user`, `*_for_user`, or a getter scoped to an object already fetched that way), so
that access is checked in one place per object (docs/adr/0004-audit-log-and-access.md).

The check parses every `views.py` and `views/*.py` module with `ast` and reports, per line:

- `<Model>.objects…` (and `_default_manager` / `_base_manager`) for a protected model, under
  its own name, an alias it was imported as, or as an attribute (`models.Resident.objects`);
- `get_object_or_404(<Model>, …)` and `get_list_or_404(<Model>, …)` for a protected model.

A related manager of an object a guard already returned (`case.spends.all()`) is not a direct
fetch: the guard has checked access to its owner.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

PACKAGE = Path(__file__).resolve().parents[2]

# Models that hold, or lead to, residents' personal data or a council's private records
# (app label, model name). Reference data (areas, indicators, the skills framework) is not here.
PROTECTED_MODELS: tuple[tuple[str, str], ...] = (
    ("accounts", "Organisation"),
    ("accounts", "Membership"),
    ("accounts", "User"),
    ("audit", "AuditEvent"),
    ("people", "Resident"),
    ("people", "ConsentRecord"),
    ("people", "EqualityMonitoring"),
    ("skills", "Evidence"),
    ("skills", "PassportLevel"),
    ("skills", "PassportLevelChange"),
    ("credentials", "IssuedCredential"),
    ("credentials", "IssuerKey"),
    ("credentials", "ApiClient"),
    ("credentials", "TrustedIssuer"),
    ("employers", "EmployerProfile"),
    ("employers", "Site"),
    ("employers", "Pledge"),
    ("employers", "JobRole"),
    ("employers", "RoleSkill"),
    ("employers", "RoleNeed"),
    ("employers", "Opportunity"),
    ("employers", "Referral"),
    ("employers", "JobStart"),
    ("employers", "SustainmentCheck"),
    ("training", "Course"),
    ("training", "Cohort"),
    ("training", "Session"),
    ("training", "Enrolment"),
    ("training", "Attendance"),
    ("training", "Invitation"),
    ("support", "Case"),
    ("support", "Goal"),
    ("support", "CaseNote"),
    ("support", "BudgetPolicy"),
    ("support", "BudgetLedger"),
    ("support", "BudgetSpend"),
    ("support", "Device"),
    ("support", "Placement"),
    ("support", "CaseJobStart"),
    ("funding", "Fund"),
    ("funding", "Criterion"),
    ("funding", "Proposal"),
    ("funding", "Assessment"),
    ("funding", "Score"),
    ("funding", "Project"),
    ("funding", "Target"),
    ("funding", "Agreement"),
    ("funding", "Milestone"),
    ("funding", "Spend"),
    ("targeting", "TargetingRun"),
    ("targeting", "TargetingPlan"),
    ("reports", "MonitoringReport"),
    ("privacy", "ResidentRevision"),
    ("privacy", "Erasure"),
    ("privacy", "RetentionRule"),
)
PROTECTED = frozenset(name for _, name in PROTECTED_MODELS)
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})


@dataclass(frozen=True)
class Fetch:
    path: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}"


def _model_name(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """The protected model a name or attribute refers to, if any."""
    if isinstance(node, ast.Name):
        name = aliases.get(node.id, node.id)
    elif isinstance(node, ast.Attribute):
        name = node.attr
    else:
        return None
    return name if name in PROTECTED else None


def direct_fetches(source: str, path: str = "<string>") -> list[Fetch]:
    """Every place the module's code fetches a protected model directly."""
    tree = ast.parse(source, filename=path)
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
    found: list[Fetch] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            if _model_name(node.value, aliases):
                found.append(Fetch(path, node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if called in SHORTCUTS and node.args and _model_name(node.args[0], aliases):
                found.append(Fetch(path, node.lineno, ast.unparse(node)[:120]))
    return sorted(set(found), key=lambda f: (f.path, f.line, f.code))


def view_modules() -> list[Path]:
    modules = [
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.relative_to(PACKAGE).parts
        and (path.name == "views.py" or path.parent.name == "views")
    ]
    return sorted(modules)


# --- the checker itself -------------------------------------------------------------------------


def test_a_resident_fetched_in_a_view_is_caught():
    source = (
        "from skillspassport.people.models import Resident\n"
        "\n"
        "def resident_detail(request, public_id):\n"
        "    resident = Resident.objects.get(public_id=public_id)\n"
        "    return render(request, 'x.html', {'resident': resident})\n"
    )
    (fetch,) = direct_fetches(source, "people/views.py")
    assert (fetch.path, fetch.line) == ("people/views.py", 4)
    assert "Resident.objects" in str(fetch)


@pytest.mark.parametrize(
    "line",
    [
        "Referral.objects.filter(opportunity=o).first()",
        "R.objects.all()",  # imported under another name
        "models.Case.objects.get(pk=1)",
        "Evidence._default_manager.all()",
        "get_object_or_404(Resident, pk=1)",
        "shortcuts.get_object_or_404(Cohort, pk=1)",
        "get_list_or_404(ConsentRecord, resident=r)",
        "get_object_or_404(Device.objects.filter(case=c), pk=1)",
    ],
)
def test_each_kind_of_direct_fetch_is_caught(line):
    source = (
        "from skillspassport.people.models import Resident as R\n"
        "from skillspassport.support import models\n"
        f"def view(request):\n    return {line}\n"
    )
    assert [f.line for f in direct_fetches(source)] == [4]


@pytest.mark.parametrize(
    "line",
    [
        "selectors.resident_get_for_user(user=request.user, public_id=p)",
        "AreaGeography.objects.filter(vintage=2021)",  # open reference data
        "get_object_or_404(AreaGeography, code=c)",
        "get_object_or_404(case.spends.all(), pk=1)",  # through a guarded object
        "Resident",  # naming a model is not fetching it
        "request.objects",
    ],
)
def test_guarded_and_reference_reads_pass(line):
    source = f"def view(request):\n    return {line}\n"
    assert direct_fetches(source) == []


def test_every_protected_model_exists():
    """The list names real models, so a renamed model cannot silently drop out of the check."""
    for app_label, name in PROTECTED_MODELS:
        assert apps.get_model(app_label, name).__name__ == name
    assert len(PROTECTED) == len(PROTECTED_MODELS)


def test_models_holding_residents_are_all_protected():
    """A new model with a foreign key to a resident is protected unless listed here."""
    from skillspassport.people.models import Resident

    unlisted = [
        f"{model._meta.app_label}.{model.__name__}"
        for model in apps.get_models()
        if model.__name__ not in PROTECTED
        and any(
            field.related_model is Resident
            for field in [*model._meta.fields, *model._meta.many_to_many]
        )
    ]
    assert unlisted == []


# --- the rule, over the code -------------------------------------------------------------------


def test_views_fetch_protected_models_only_through_selectors():
    modules = view_modules()
    assert len(modules) >= 15  # every app's views, and the credentials views package
    found = [
        str(fetch)
        for path in modules
        for fetch in direct_fetches(path.read_text(), str(path.relative_to(PACKAGE)))
    ]
    assert found == [], "Fetch these through a guarded selector:\n" + "\n".join(found)
