"""`{% render_panel panel %}`: render a `people.panels.ShownPanel` inside the page's context."""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from skillspassport.people.panels import ShownPanel

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context: Context, panel: ShownPanel) -> SafeString:
    """Like ``{% include panel.template %}``, with the panel's own context added on top."""
    if context.template is None:
        raise template.TemplateSyntaxError("render_panel is for use inside a template.")
    found = context.template.engine.get_template(panel.template)
    with context.push(panel.context):
        return found.render(context)
