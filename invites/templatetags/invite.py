"""Template helpers of the customer's invite pages."""

from django import template

from assessments import presenters
from assessments.readiness_text import without_internal_refs
from assessments.templatetags.portal import fast_option, fast_widget

register = template.Library()


@register.filter
def marked(bound_field):
    """Render a field's input, marked invalid (for assistive technology too) when it has errors."""
    if not bound_field.errors:
        return fast_widget(bound_field)
    attrs = dict(bound_field.field.widget.attrs)
    attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()
    attrs["aria-invalid"] = "true"
    attrs.setdefault("aria-describedby", f"{bound_field.auto_id}-error")
    return bound_field.as_widget(attrs=attrs)


register.filter("fast_option", fast_option)


@register.simple_tag
def step_url(step, token: str) -> str:
    """The URL of a questionnaire step for this link."""
    from django.urls import reverse

    return reverse(f"invite:{step.url_name}", args=[token])


@register.filter
def change_rows(change) -> list[tuple[str, str, str]]:
    """An activity-log entry's changes as (label people read, before, after)."""
    return presenters.change_rows(change.object_type, change.fields)


@register.filter
def for_customer(text: str) -> str:
    """A finding's text without references to the project's internal notes."""
    return without_internal_refs(text)
