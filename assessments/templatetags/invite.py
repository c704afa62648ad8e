"""Template helpers of the customer's invite pages."""

import re

from django import template
from django.core.exceptions import FieldDoesNotExist

register = template.Library()


@register.filter
def marked(bound_field):
    """Render a field's input, marked invalid (for assistive technology too) when it has errors."""
    if not bound_field.errors:
        return bound_field.as_widget()
    attrs = dict(bound_field.field.widget.attrs)
    attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()
    attrs["aria-invalid"] = "true"
    attrs.setdefault("aria-describedby", f"{bound_field.auto_id}-error")
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def step_url(step, token: str) -> str:
    """The URL of a questionnaire step for this link."""
    from django.urls import reverse

    return reverse(f"invite:{step.url_name}", args=[token])


@register.filter
def change_rows(change) -> list[tuple[str, object, object]]:
    """An activity-log entry's changes as (label people read, before, after)."""
    model = change.subject_model
    rows = []
    for name, pair in (change.fields or {}).items():
        choices: dict = {}
        try:
            field = model._meta.get_field(name)
            label = str(field.verbose_name)
            choices = {str(k): str(v) for k, v in (field.choices or [])}
        except (AttributeError, FieldDoesNotExist):
            label = name.replace("_", " ")
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        rows.append((label[:1].upper() + label[1:], _shown(old, choices), _shown(new, choices)))
    return rows


def _shown(value, choices: dict):
    """A logged value as people read it: choice labels, lists joined."""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return f"{len(value)} line(s)"
        return ", ".join(str(v) for v in value)
    if value is None:
        return None
    return choices.get(str(value), value)


_SOURCE = re.compile(r"\s*\((?:domain\.md\s*)?§[^)]*\)")


@register.filter
def for_customer(text: str) -> str:
    """A finding's text without the internal source references (``(domain.md §2.3)``)."""
    return _SOURCE.sub("", str(text or "")).strip()
