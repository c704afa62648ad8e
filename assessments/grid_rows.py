"""The sites grid's rows rendered from one prototype form, not one deep-copied form per row."""

import functools
from dataclasses import dataclass

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from django_countries import countries

from assessments import windows
from assessments.forms import GridRowForm, trim_number
from assessments.kept_html import KeptHTML
from assessments.models import Assessment, CircuitRole, Site
from assessments.templatetags.portal import attrs_html
from scoring.results import SiteResult

# The grid's editable cells, in column order; the score column follows the first.
CELLS = [
    "name",
    "country",
    "city",
    "users",
    "teams_rooms",
    "primary_down_mbps",
    "primary_up_mbps",
    "internet_breakout",
    "lte_backup",
    "qos",
    "wifi",
    "client_rtt_ms",
    "client_jitter_ms",
    "client_loss_pct",
]
TOKEN = "row-ROWTOKEN"  # the prototype's row id, replaced by each row's own
URL_TOKEN = 987654321  # a site id no real site has, replaced by each row's own in its links
PRIMARY = {"primary_down_mbps": "down_mbps", "primary_up_mbps": "up_mbps"}

MODEL_SHORT = {
    "operator_connect": "OC",
    "direct_routing": "DR",
    "direct_routing_hosted": "DRaaS",  # hosted by a partner: a model of its own (issue 14)
    "calling_plans": "CP",
    "teams_phone_mobile": "TPM",
}

# A row's score cell shows its stored result only: kept per process by the result's stamp
# (a rescore stamps it anew) and the language, as a grid shows the same rows again and again.
_score_cells = KeptHTML(2_000)


def score_cell(site_id: int, result: SiteResult | None) -> SafeString:
    """The score cell of a row: its grade, model and top issue, rendered once per result."""
    stamp = windows.kept_result_stamp(site_id, result) if result is not None else None
    return _score_cells.get(
        None if stamp is None else (site_id, stamp, get_language() or ""),
        lambda: render_to_string(
            "assessments/_grid_score.html", {"res": result, "model_short": MODEL_SHORT}
        ),
    )


@dataclass(frozen=True)
class GridRow:
    """What the row template needs, with every id, input and link already built."""

    site: Site
    result: SiteResult | None
    key: str  # "row-12": the id every element of the row starts with
    id: str
    first_cell: SafeString
    score_cell: SafeString
    other_cells: SafeString
    urls: dict[str, str]


class _Cell:
    """One column: its markup around the value, built once from the prototype form."""

    def __init__(self, bound: forms.BoundField):
        self.name = bound.name
        self.field = bound.field
        widget = bound.field.widget
        attrs = bound.build_widget_attrs(dict(widget.attrs))
        attrs.setdefault("id", bound.auto_id)
        error = (
            f'<div class="invalid-feedback" id="{TOKEN}-{self.name}-error" '
            f'data-error-for="{TOKEN}-{self.name}"></div></td>'
        )
        self.select = isinstance(widget, forms.Select)
        self.widget = widget
        name = escape(bound.html_name)
        if self.select:
            self.head = f'<td class="col-{self.name}"><select name="{name}"'
            self.attrs = f"{attrs_html(attrs)}>"
            self.tail = f"</select>{error}"
            self.options: dict[str, str] = {}
        else:
            input_type = widget.input_type
            self.head = f'<td class="col-{self.name}"><input type="{input_type}" name="{name}"'
            self.attrs = f"{attrs_html(attrs)}>"
            self.tail = error

    def _options(self, value: str) -> str:
        if value not in self.options:
            self.options[value] = "".join(
                f'<option value="{escape(v)}"{" selected" if str(v) == value else ""}>'
                f"{escape(label)}</option>"
                for v, label in self.widget.choices
            )
        return self.options[value]

    def html(self, value, key: str) -> str:
        prepared = self.field.prepare_value(value)
        if self.select:
            body = self._options("" if prepared is None else str(prepared))
            return (
                f"{self.head}{self.attrs.replace(TOKEN, key)}{body}{self.tail.replace(TOKEN, key)}"
            )
        shown = self.widget.format_value(prepared)
        value_html = f' value="{escape(shown)}"' if shown is not None else ""
        return (
            self.head + value_html + self.attrs.replace(TOKEN, key) + self.tail.replace(TOKEN, key)
        )


@functools.cache
def _cells(language: str) -> tuple[_Cell, ...]:
    """The grid's columns, built once per process and language from a prototype row.

    Their markup depends on neither the assessment nor the site (a row's own id, values and
    links are put in by :meth:`GridRows.row`); the choices' labels, on the language.
    """
    prototype = GridRowForm(instance=Site(), row=TOKEN)
    return tuple(_Cell(prototype[name]) for name in CELLS)


class GridRows:
    """Builds grid rows for one assessment: one form and one set of URLs for all of them."""

    def __init__(self, assessment: Assessment):
        self.cells = _cells(get_language() or "")
        # Each link reversed once; rows swap in their own id ("site_row_save" for templates).
        self.urls = {
            name.replace("-", "_"): reverse(f"assessments:{name}", args=[assessment.pk, URL_TOKEN])
            for name in ("site-row-save", "site-clone", "site-update", "site-delete")
        }

    def row(self, site: Site, result: SiteResult | None) -> GridRow:
        """The row of ``site`` with its stored values (circuits prefetched) and ``result``."""
        key = f"row-{site.pk}"
        primary = next((c for c in site.circuits.all() if c.role == CircuitRole.PRIMARY), None)
        html = []
        for cell in self.cells:
            if cell.name in PRIMARY:
                value = trim_number(getattr(primary, PRIMARY[cell.name])) if primary else None
            else:
                value = getattr(site, cell.name)
            html.append(cell.html(value, key))
        site_id = str(site.pk)
        return GridRow(
            site=site,
            result=result,
            key=key,
            id=site_id,
            first_cell=mark_safe(html[0]),  # noqa: S308 - every value is escaped above
            score_cell=score_cell(site.pk, result),
            other_cells=mark_safe("".join(html[1:])),  # noqa: S308 - as above
            urls={name: url.replace(str(URL_TOKEN), site_id) for name, url in self.urls.items()},
        )


def country_options() -> SafeString:
    """The grid's country list (``<option value="name">code</option>``), built once a language.

    The same 250 options on every grid page: rendered by the template they cost more than
    the rows of a page; the country names only change with the language.
    """
    return _country_options(get_language())


@functools.cache
def _country_options(language: str) -> SafeString:
    return format_html_join("", '<option value="{}">{}</option>', ((n, c) for c, n in countries))
