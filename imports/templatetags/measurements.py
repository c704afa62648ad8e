"""The "Measurements" card of the site page: figures vs targets, a tool file, typed figures."""

from django import template

from imports.forms import MeasurementPasteForm, NatUploadForm
from imports.services.measurements import latency_note as _latency_note
from imports.services.measurements import latency_notes_by_site, site_figures

register = template.Library()


@register.inclusion_tag("imports/_measurements_card.html", takes_context=True)
def measurements_card(context, assessment, site):
    """Render the card for ``site`` (the page must already have checked access to it)."""
    return {
        "assessment": assessment,
        "site": site,
        "figures": site_figures(site),
        "latency_notes": latency_notes_by_site([site]).get(site.pk, []),
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


@register.filter
def latency_note(record) -> str:
    """How a run's latency was read (see ``services.measurements.latency_note``)."""
    return _latency_note(record)


@register.filter
def run_length(seconds) -> str:
    """A run's length from first to last sample: "45 s", "3 min 15 s", "2 h 05 min"."""
    if seconds in (None, ""):
        return ""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        minutes, rest = divmod(seconds, 60)
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60:02d} min"
