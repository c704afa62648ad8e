"""The "Measurements" card of the site page: figures vs targets, a tool file, typed figures."""

from django import template

from assessments.import_forms import MeasurementPasteForm, NatUploadForm
from assessments.services.measurements import site_figures

register = template.Library()


@register.inclusion_tag("assessments/_measurements_card.html", takes_context=True)
def measurements_card(context, assessment, site):
    """Render the card for ``site`` (the page must already have checked access to it)."""
    return {
        "assessment": assessment,
        "site": site,
        "figures": site_figures(site),
        "imports": list(site.measurement_imports.all()[:5]),
        "nat_form": NatUploadForm(),
        "paste_form": MeasurementPasteForm(),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.filter
def figure(value) -> str:
    """A measured figure without noise: 163.5, 0.027, 34 (at most 3 decimals)."""
    if value in (None, ""):
        return ""
    text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    return text or "0"
