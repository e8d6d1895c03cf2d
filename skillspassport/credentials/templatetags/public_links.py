"""`{% public_url as site_url %}`: the address links given to the public start with."""

from __future__ import annotations

from typing import Any

from django import template

from skillspassport.core.site import public_base_url

register = template.Library()


@register.simple_tag(takes_context=True)
def public_url(context: dict[str, Any]) -> str:
    """SITE_URL, or in local development the address the page was reached on."""
    return public_base_url(context.get("request"))
