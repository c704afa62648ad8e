"""Forms of the site import and of the measurements a site gets (tool file or typed figures)."""

from datetime import date
from typing import Any

from django import forms

from crispy_forms.helper import FormHelper

from assessments.forms import IsoDateInput
from assessments.models import MeasurementTool
from imports.models import Segment
from imports.services.site_lists import MAX_FILE_BYTES, MAX_ROWS, CellError, parse_number
from imports.services.spreadsheets import ENCODING_CHOICES, NUMBER_FORMATS

_MB = MAX_FILE_BYTES // 1024 // 1024


class _SizeLimitedFileField(forms.FileField):
    """A file field that refuses empty and oversized uploads before anything reads them."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload is not None and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is {_MB} MB. "
                "Split it into smaller files."
            )
        return upload


class SiteImportForm(forms.Form):
    """Upload of a site list."""

    file = _SizeLimitedFileField(
        label="Site list",
        help_text=f"CSV or Excel (.xlsx), at most {_MB} MB and {MAX_ROWS:,} sites; or a Call "
        "Quality Dashboard building data file.",
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "The file is empty.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,.tsv"}),
    )
    number_format = forms.ChoiceField(
        label="Numbers in the file",
        choices=NUMBER_FORMATS,
        required=False,
        help_text="Usually detected from the file. Choose when “3.000” means three thousand "
        "(German, Polish…) or three.",
    )
    encoding = forms.ChoiceField(
        label="Text encoding (CSV only)",
        choices=ENCODING_CHOICES,
        required=False,
        help_text="Usually detected. Choose when accented names read wrong in the preview.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def read_options(self) -> dict[str, str]:
        """How to read the file, as ``parse_site_file`` takes it."""
        return {
            "encoding": self.cleaned_data.get("encoding") or "",
            "number_format": self.cleaned_data.get("number_format") or "",
        }


class MeasureField(forms.FloatField):
    """A figure as people paste it: ``42``, ``42 ms``, ``0,5``, ``0.5 %``.

    A text box, not ``type=number``: browsers refuse units and decimal commas there.
    """

    widget = forms.TextInput

    def to_python(self, value: Any) -> float | None:  # noqa: D102
        if value in self.empty_values or str(value).strip() == "":
            return None
        try:
            return float(parse_number(str(value), whole=False))
        except CellError as exc:
            raise forms.ValidationError(f"{str(exc).capitalize()}.") from None

    def widget_attrs(self, widget):  # noqa: D102
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        for name in ("min", "max", "step"):
            attrs.pop(name, None)
        return attrs


SEGMENT_HELP = (
    "Client: a PC on the office LAN or Wi-Fi. Customer edge: a PC right at the internet "
    "edge, which shows the ISP path alone."
)


class NatUploadForm(forms.Form):
    """A Network Assessment Tool quality-check file for one site."""

    file = _SizeLimitedFileField(
        label="Quality check results file",
        help_text="quality_check_results.csv, written by “NetworkAssessmentTool.exe "
        "/qualitycheck” in %LOCALAPPDATA%\\Microsoft Teams Network Assessment Tool (also as "
        "re-saved by a PowerShell script, or the saved console output); or the older Skype for "
        "Business tool's performance_results.tsv.",
        error_messages={
            "required": "Choose the tool's results file.",
            "empty": "The file is empty.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt"}),
    )
    segment = forms.ChoiceField(
        label="Which path was measured?",
        choices=Segment.choices,
        widget=forms.RadioSelect,
        help_text=SEGMENT_HELP,
    )
    measured_where = forms.CharField(
        label="Measured from",
        max_length=160,
        help_text="e.g. 3rd floor Wi-Fi, or the PC beside the edge router.",
    )
    measured_on = forms.DateField(
        label="Measured on",
        required=False,
        widget=IsoDateInput(),
        help_text="Leave blank to use the date of the file's last timestamp.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "nat")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class MeasurementPasteForm(forms.Form):
    """Figures typed or pasted by hand for one segment of a site."""

    segment = forms.ChoiceField(
        label="Path", choices=Segment.choices, widget=forms.RadioSelect, help_text=SEGMENT_HELP
    )
    rtt_ms = MeasureField(label="Round trip (ms)", required=False, min_value=0, max_value=10_000)
    jitter_ms = MeasureField(label="Jitter (ms)", required=False, min_value=0, max_value=10_000)
    loss_pct = MeasureField(label="Packet loss (%)", required=False, min_value=0, max_value=100)
    reorder_pct = MeasureField(label="Reorder (%)", required=False, min_value=0, max_value=100)
    measured_on = forms.DateField(label="Measured on", widget=IsoDateInput())
    measured_where = forms.CharField(
        label="Measured from", max_length=160, help_text="e.g. 3rd floor Wi-Fi, edge router."
    )
    tool = forms.ChoiceField(
        label="Measured with",
        choices=[(v, label) for v, label in MeasurementTool.choices if v],
        initial=MeasurementTool.OTHER,
    )

    FIGURES = ("rtt_ms", "jitter_ms", "loss_pct", "reorder_pct")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "paste")
        kwargs.setdefault("initial", {"measured_on": date.today()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:  # noqa: D102
        data = super().clean()
        figures = [data.get(name) for name in self.FIGURES]
        if all(value is None for value in figures) and not any(
            self.has_error(name) for name in self.FIGURES
        ):
            self.add_error("rtt_ms", "Enter at least one figure.")
        return data

    def figures(self) -> dict[str, float | None]:
        """The figures by metric (rtt, jitter, loss, reorder); None where left blank."""
        return {name.rsplit("_", 1)[0]: self.cleaned_data.get(name) for name in self.FIGURES}
