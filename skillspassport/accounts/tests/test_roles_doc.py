"""docs/roles.md publishes who may do what. Its table must be the one the code enforces."""

from __future__ import annotations

import re

from django.conf import settings

from skillspassport.accounts.models import Role
from skillspassport.accounts.roles import ROLE_CAPABILITIES, Capability

DOC = settings.BASE_DIR / "docs" / "roles.md"
START = "<!-- role-capability-table:start -->"
END = "<!-- role-capability-table:end -->"


def capability_table() -> str:
    """The role and capability table, built from ROLE_CAPABILITIES."""
    roles = list(Role)
    lines = [
        "| capability | " + " | ".join(role.label for role in roles) + " |",
        "| --- | " + " | ".join(":---:" for _ in roles) + " |",
    ]
    for capability in Capability:
        marks = [
            "yes" if capability in ROLE_CAPABILITIES.get(role, frozenset()) else "no"
            for role in roles
        ]
        lines.append(f"| `{capability.value}` | " + " | ".join(marks) + " |")
    return "\n".join(lines)


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_the_published_table_is_the_enforced_one():
    text = _doc()
    assert START in text
    assert END in text
    published = text.split(START, 1)[1].split(END, 1)[0].strip()
    expected = capability_table()
    assert published == expected, (
        "docs/roles.md's role and capability table differs from accounts/roles.py. "
        f"Replace it with:\n\n{expected}\n"
    )


def _section(text: str, heading: str) -> str:
    match = re.search(rf"^## {heading}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"docs/roles.md has no '## {heading}' section"
    return match.group(1)


def test_every_role_and_capability_has_a_meaning():
    text = _doc()
    roles = _section(text, "Roles")
    for role in Role:
        row = re.search(rf"^\| {re.escape(role.label)} \| (.+?) \|$", roles, flags=re.M)
        assert row, f"docs/roles.md does not describe the role {role.label}"
        assert len(row.group(1).strip()) > 10
    assert re.search(r"^\| Platform operator \| .{10,} \|$", roles, flags=re.M)
    capabilities = _section(text, "Capabilities")
    for capability in Capability:
        row = re.search(rf"^\| `{capability.value}` \| (.+?) \|$", capabilities, flags=re.M)
        assert row, f"docs/roles.md does not explain the capability {capability.value}"
        assert len(row.group(1).strip()) > 10


def test_the_table_check_would_notice_a_change():
    """The control: granting a councillor one more capability changes the built table."""
    before = capability_table()
    original = ROLE_CAPABILITIES[Role.COUNCILLOR]
    try:
        ROLE_CAPABILITIES[Role.COUNCILLOR] = original | {Capability.VIEW_RESIDENTS}
        assert capability_table() != before
    finally:
        ROLE_CAPABILITIES[Role.COUNCILLOR] = original
