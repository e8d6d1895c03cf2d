"""`{{ amount|money }}`: an amount as "£1,234.50" (`core.money.pounds`). Loaded in every
template (TEMPLATES builtins), so no template writes "£" before a number itself."""

from __future__ import annotations

from decimal import Decimal

from django import template

from skillspassport.core.money import pounds

register = template.Library()


@register.filter
def money(value: Decimal | int | float | str | None) -> str:
    return pounds(value)
