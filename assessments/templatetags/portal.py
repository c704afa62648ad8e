"""Small template helpers for forms and figures."""

import functools

from django import template
from django.urls import get_script_prefix, reverse

from assessments import presenters, selectors

register = template.Library()

# The tabs of an assessment's pages (``_assessment_nav.html``), by the names it reads.
ASSESSMENT_TABS = {
    "overview": "assessments:assessment-detail",
    "questions": "assessments:questionnaire",
    "sites": "assessments:site-grid",
    "results": "assessments:results",
    "what_if": "assessments:scenarios",
    "proposal": "proposals:proposal",
    "deal": "deals:deal",
    "invites": "invites:invites",
    "activity": "assessments:activity",
}
_PK_TOKEN = "987654321"  # an id no assessment has, replaced by the assessment's own


@functools.cache
def _tab_prototypes(prefix: str) -> tuple[tuple[str, str], ...]:
    return tuple((key, reverse(name, args=[_PK_TOKEN])) for key, name in ASSESSMENT_TABS.items())


@register.simple_tag
def assessment_tabs(assessment) -> dict[str, str]:
    """The addresses of the assessment's tabs, each reversed once per process.

    Every assessment page shows the nine tabs: reversing them one by one cost more than
    the rest of the navigation.
    """
    pk = str(assessment.pk)
    return {key: url.replace(_PK_TOKEN, pk, 1) for key, url in _tab_prototypes(get_script_prefix())}


@register.filter
def make_list_of_words(value: str) -> list[str]:
    """Split a space-separated string into words (to loop over field names)."""
    return value.split()


@register.filter
def field_named(form, name: str):
    """The bound field ``name`` of ``form``."""
    return form[name]


@register.filter
def add_invalid(bound_field):
    """Render a field marked invalid and tied to its error message."""
    attrs = dict(bound_field.field.widget.attrs)
    attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()
    attrs["aria-invalid"] = "true"
    attrs["aria-describedby"] = f"{bound_field.auto_id}-error"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or an empty string when it is missing."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def kbps_to_mbps(value) -> str:
    """Kilobits per second shown as megabits with one decimal."""
    try:
        return f"{float(value) / 1000:.1f}"
    except (TypeError, ValueError):
        return ""


@register.filter
def percent(value) -> str:
    """A 0-1 share shown as a whole percentage."""
    try:
        return f"{float(value) * 100:.0f} %"
    except (TypeError, ValueError):
        return ""


@register.filter
def oob_widget(bound_field):
    """Render a field's input to replace the one on the page by id (htmx out-of-band swap)."""
    attrs = dict(bound_field.field.widget.attrs)
    attrs["hx-swap-oob"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def change_labels(change) -> str:
    """The fields an activity-log entry changed, as the labels people see on the forms."""
    model = presenters.model_for(change.object_type)
    # Timestamps that follow a status change are not answers: not listed.
    return ", ".join(
        presenters.label(model, name) for name in change.fields if not name.endswith("_at")
    )


@register.filter
def record_noun(change) -> str:
    """What an activity-log entry's record is called in its line ("site", "internet line")."""
    return presenters.record_noun(change.object_type, change.fields, change.subject_model)


@register.filter
def measured(site) -> bool:
    """Whether the site has a client or edge path figure (one rule for every page)."""
    return selectors.is_measured(site)


@register.filter
def date_text(value) -> str:
    """A date as people read it: "30 Jun 2027"."""
    return presenters.date_text(value)


@register.filter
def datetime_text(value) -> str:
    """A moment as people read it: "30 Jun 2027, 14:05 UTC"."""
    return presenters.datetime_text(value)


def attrs_html(attrs: dict) -> str:
    """HTML attributes, escaped, from a dict (a leading space each)."""
    from django.utils.html import escape

    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(f" {key}")
        elif value is not False and value is not None:
            parts.append(f' {key}="{escape(value)}"')
    return "".join(parts)


@register.filter
def fast_option(option):
    """A radio button or checkbox of a choice field, in Python (the markup of ``option.tag``).

    A questionnaire page shows dozens of them; Django renders each through three
    templates (option, input, attributes), about a fifth of a millisecond each.
    """
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    data = option.data
    value = data["value"]
    value_html = f' value="{escape(value)}"' if value is not None else ""
    return mark_safe(
        f'<input type="{escape(data["type"])}" name="{escape(data["name"])}"{value_html}'
        f"{attrs_html(data['attrs'])}>"
    )


@register.filter
def fast_widget(bound_field):
    """Render a text, number or select input in Python, without a template per widget.

    The sites grid shows hundreds of inputs; Django's template-based widget rendering
    costs about half a millisecond each. The markup is the same as Django's.
    """
    from django import forms
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    widget = bound_field.field.widget
    if not isinstance(widget, forms.TextInput | forms.NumberInput | forms.Select) or isinstance(
        widget, forms.SelectMultiple
    ):
        return bound_field.as_widget()
    attrs = bound_field.build_widget_attrs(dict(widget.attrs))
    if bound_field.auto_id and "id" not in attrs:
        attrs["id"] = bound_field.auto_id
    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
    if isinstance(widget, forms.Select):
        options = []
        for _group, group_options, _index in context["optgroups"]:
            for option in group_options:
                selected = " selected" if option["selected"] else ""
                options.append(
                    f'<option value="{escape(option["value"])}"{selected}>'
                    f"{escape(option['label'])}</option>"
                )
        return mark_safe(
            f'<select name="{escape(context["name"])}"{attrs_html(context["attrs"])}>'
            f"{''.join(options)}</select>"
        )
    value = context["value"]
    value_html = f' value="{escape(value)}"' if value is not None else ""
    return mark_safe(
        f'<input type="{context["type"]}" name="{escape(context["name"])}"{value_html}'
        f"{attrs_html(context['attrs'])}>"
    )
