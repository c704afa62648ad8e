"""Forms for staff screens: validation here, saving in services."""

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout

from assessments import presenters, questions
from assessments.countries import country_name, parse_country
from assessments.models import (
    CUSTOMER_NAME_TAKEN,
    SITE_NAME_TAKEN,
    STATUS_FLOW,
    Assessment,
    Circuit,
    CircuitKind,
    CircuitRole,
    Customer,
    Site,
)
from assessments.parsing import parse_int
from tenancy.branding import (
    MAX_LOGO_BYTES,
    MIN_CONTRAST_ON_WHITE_TEXT,
    TEXT_WHITE,
    LogoError,
    contrast_ratio,
    is_hex_colour,
    readable_text_contrast,
    text_colour_on,
    validate_logo,
)
from tenancy.models import Organisation

# The only format a browser's <input type="date"> reads and writes (HTML "valid date
# string"). A locale format such as 30/06/2027 shows as blank, and the next save stores
# blank: every date input of the portal renders this format, whatever the language.
ISO_DATE = "%Y-%m-%d"


class IsoDateInput(forms.DateInput):
    """A date picker whose value the browser can read back: always ``2027-06-30``."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs, format=ISO_DATE)


class MultilineField(forms.CharField):
    """Text typed in a textarea, stored with LF line breaks.

    Browsers send every line break of a textarea as CR LF; stored as sent, an unchanged
    note would differ from the stored one and count two characters per break against the
    field's limit.
    """

    widget = forms.Textarea

    def to_python(self, value: Any) -> str:  # noqa: D102
        return super().to_python(_lines(value) if isinstance(value, str) else value)


def same_answer(widget: forms.Widget, stored: str, submitted: str) -> bool:
    """Whether a submitted text means what is stored, as the browser rendered it.

    A browser drops line breaks from one-line inputs, sends CR LF from textareas,
    lower-cases colours of ``type=color`` and the form strips outer spaces: none of that
    is an edit, and saving it would bump the version and log a change nobody made.
    """
    if getattr(widget, "input_type", "") == "color":
        return stored.lower() == submitted.lower()
    if isinstance(widget, forms.Textarea):
        return _lines(stored).strip() == _lines(submitted).strip()
    return re.sub(r"[\r\n]", "", stored).strip() == re.sub(r"[\r\n]", "", submitted).strip()


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class SitesField(forms.ModelMultipleChoiceField):
    """Sites chosen by id; ids no database could hold are refused like unknown ones.

    (SQLite raises OverflowError on ``pk__in`` with such a number instead of matching none,
    and ``int()`` raises on digits such as "²" that ``str.isdigit()`` accepts.)
    """

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if parse_int(text, minimum=1) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:30]},
                )
        return super()._check_values(value)


class CountryField(forms.CharField):
    """A country typed as an ISO code or a name in any language (``DE``, ``Deutschland``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 60)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        try:
            return parse_country(super().to_python(value))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def prepare_value(self, value: Any) -> str:
        code = getattr(value, "code", value) or ""
        return country_name(code) or code if code else ""


def columns_fieldset(title: str, names: list[str], *, width: str, css_id: str = "") -> Fieldset:
    """A fieldset whose fields sit side by side in responsive Bootstrap columns."""
    wide = {"notes", "address", "current_carriers", "sbc_details"}
    cells = [Div(name, css_class="col-12" if name in wide else width) for name in names]
    return Fieldset(title, Div(*cells, css_class="row"), css_id=css_id)


def unique_site_name(form: forms.ModelForm, message: str) -> str:
    """The form's site name, stripped; refused when a sibling site has it (any case)."""
    name = form.cleaned_data["name"].strip()
    siblings = Site.objects.filter(assessment_id=form.instance.assessment_id).named(name)
    if form.instance.pk:
        siblings = siblings.exclude(pk=form.instance.pk)
    if siblings.exists():
        raise forms.ValidationError(message)
    return name


class VersionedForm(forms.ModelForm):
    """A form for a record two people can edit: carries the version its author saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["version"].required = False

    def clean(self) -> dict[str, Any]:
        """Keep the stored text where the submitted one means the same (see ``same_answer``)."""
        data = super().clean()
        if not self.instance.pk:
            return data
        for name, value in data.items():
            stored = self.initial.get(name)
            if (
                isinstance(value, str)
                and isinstance(stored, str)
                and value != stored
                and same_answer(self.fields[name].widget, stored, value)
            ):
                data[name] = stored
        return data

    def changes(self) -> dict[str, Any]:
        """Every model field on the form with its submitted value (never the primary key).

        A model formset adds the primary key as a form field; it identifies the row and is
        not an edit (a forged one would otherwise reach the model).
        """
        editable = {f.name for f in self._meta.model._meta.fields if not f.primary_key}
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and name in editable
        }


class CustomerForm(VersionedForm):
    country = CountryField(required=False, help_text="Headquarters: name or two-letter code.")

    class Meta:
        model = Customer
        fields = ["name", "industry", "country", "contact_name", "contact_email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"notes": MultilineField}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Customer.objects.filter(organisation=self.organisation, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(CUSTOMER_NAME_TAKEN)
        return name


class AssessmentCreateForm(forms.Form):
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(),
        required=False,
        empty_label="— a new customer —",
        help_text="Pick an existing customer, or leave this and type a new one below.",
    )
    new_customer = forms.CharField(label="New customer name", max_length=160, required=False)
    country = CountryField(label="Customer's country", required=False)
    title = forms.CharField(
        max_length=160, initial="Teams Phone readiness", help_text="e.g. Teams Phone rollout 2027"
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["customer"].queryset = Customer.objects.filter(organisation=organisation)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        customer, new = data.get("customer"), (data.get("new_customer") or "").strip()
        if not customer and not new:
            self.add_error("new_customer", "Choose a customer or type the name of a new one.")
        if customer and new:
            self.add_error("new_customer", "Either choose a customer or type a new one, not both.")
        if new and Customer.objects.filter(organisation=self.organisation, name__iexact=new):
            self.add_error("new_customer", "This customer exists already: choose it above.")
        return data


class AssessmentDetailsForm(VersionedForm):
    class Meta:
        model = Assessment
        fields = ["title", "owner", "status"]

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # The current owner stays a choice after leaving or losing access: otherwise the
        # select would show someone else and saving the title would hand the assessment over.
        self.fields["owner"].queryset = get_user_model().objects.filter(
            Q(membership__organisation=organisation, is_active=True) | Q(pk=self.instance.owner_id)
        )
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        current = self.instance.status
        allowed = {current, *STATUS_FLOW.get(current, [])}
        self.fields["status"].choices = [
            (value, label) for value, label in self.fields["status"].choices if value in allowed
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False


class QuestionnaireForm(VersionedForm):
    # Its fields, widgets and choices are the same for every assessment, so an unbound
    # form's HTML depends only on the answers shown: the page reuses it (kept_forms).
    kept_render = True

    class Meta:
        model = Assessment
        fields = questions.names(Assessment)
        widgets = {
            "pbx_contract_end": IsoDateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"notes": MultilineField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Classes on the widgets themselves, so a single input re-rendered live looks the same.
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            elif not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version",
            *[
                columns_fieldset(title, names, width="col-md-6", css_id=f"section-{key}")
                for key, title, names in questions.sections(Assessment)
            ],
        )


class SiteForm(VersionedForm):
    country = CountryField(help_text="Name or two-letter code; decides operator availability.")

    class Meta:
        model = Site
        fields = questions.names(Site)
        widgets = {
            "measured_on": IsoDateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"notes": MultilineField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version",
            *[
                columns_fieldset(title, names, width="col-md-6 col-xxl-4")
                for _key, title, names in questions.sections(Site)
            ],
        )

    def clean_name(self) -> str:
        return unique_site_name(self, "Another site of this assessment has this name.")

    def clean_backhaul_hub(self) -> str:
        return backhaul_hub_name(self)


def backhaul_hub_name(form: forms.ModelForm) -> str:
    """The form's backhaul hub as the hub site's own name; refused unless a hub can be one.

    The hub must be another site of the assessment on its own line, and a site other
    sites go through may not go through a hub itself: the engine adds a branch's load to
    its hub one level deep, as Network Planner's hubs do.
    """
    typed = form.cleaned_data["backhaul_hub"].strip()
    if not typed:
        return ""
    site = form.instance
    siblings = Site.objects.filter(assessment_id=site.assessment_id)
    if site.pk:
        siblings = siblings.exclude(pk=site.pk)
    hub = siblings.named(typed).first()
    if hub is None:
        raise forms.ValidationError(f"No other site of this assessment is named {typed!r}.")
    if hub.backhaul_hub:
        raise forms.ValidationError(
            f"{hub.name} sends its own traffic through {hub.backhaul_hub}: name that site."
        )
    if site.pk and siblings.filter(backhaul_hub__iexact=site.name).exists():
        raise forms.ValidationError(
            "Other sites send their traffic through this one, so it needs its own line."
        )
    return hub.name


class CircuitForm(forms.ModelForm):
    class Meta:
        model = Circuit
        fields = questions.names(Circuit)


# The most internet lines a site has: four per role (primary, secondary, backup), as the
# site import accepts (services/imports.py MAX_CIRCUITS_PER_ROLE).
MAX_CIRCUITS = 12


class BaseCircuitFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": f"A site has at most {MAX_CIRCUITS} internet lines: remove some "
        "and save again. Nothing was saved.",
    }


# absolute_max: a post claiming more rows than a site can have is refused before any row is
# built (by default Django builds up to 1,000 more, taking seconds and megabytes).
CircuitFormSet = forms.formset_factory(
    CircuitForm,
    formset=BaseCircuitFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_CIRCUITS,
    validate_max=True,
    absolute_max=MAX_CIRCUITS,
)


def circuit_rows(formset) -> list[dict[str, Any]]:
    """The circuits a valid formset describes (blank and deleted rows dropped)."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append({name: data.get(name) for name in CircuitForm.Meta.fields})
    return rows


class SiteRowForm(VersionedForm):
    """One row of the sites grid: the fields a workshop fills first, plus the primary circuit."""

    country = CountryField(label="Country")
    primary_down_mbps = forms.FloatField(
        label="Primary down (Mbps)", required=False, min_value=0.01, max_value=1_000_000
    )
    primary_up_mbps = forms.FloatField(
        label="Primary up (Mbps)", required=False, min_value=0.01, max_value=1_000_000
    )

    class Meta:
        model = Site
        fields = questions.grid_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        primary = self.primary_circuit()
        if primary:
            self.fields["primary_down_mbps"].initial = trim_number(primary.down_mbps)
            self.fields["primary_up_mbps"].initial = trim_number(primary.up_mbps)
        for field in self.fields.values():
            if field.widget.is_hidden:
                continue
            field.widget.attrs.setdefault("class", "form-control form-control-sm")
            field.widget.attrs["aria-label"] = str(field.label)
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
        self.fields["country"].widget.attrs.update({"list": "country-list", "autocomplete": "off"})

    def primary_circuit(self) -> Circuit | None:
        if not self.instance.pk:
            return None
        return next(
            (c for c in self.instance.circuits.all() if c.role == CircuitRole.PRIMARY), None
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        down, up = data.get("primary_down_mbps"), data.get("primary_up_mbps")
        if (
            (down is None) != (up is None)
            and not self.has_error("primary_down_mbps")
            and not self.has_error("primary_up_mbps")
        ):
            missing = "primary_up_mbps" if up is None else "primary_down_mbps"
            self.add_error(missing, "Enter both down and up, or neither.")
        return data

    def circuits(self) -> list[dict[str, Any]]:
        """The site's circuit list with the primary circuit as typed in the row."""
        existing = [
            {name: getattr(c, name) for name in CircuitForm.Meta.fields}
            for c in (self.instance.circuits.all() if self.instance.pk else [])
        ]
        primary_index = next(
            (i for i, row in enumerate(existing) if row["role"] == CircuitRole.PRIMARY), None
        )
        down, up = (
            self.cleaned_data.get("primary_down_mbps"),
            self.cleaned_data.get("primary_up_mbps"),
        )
        if down is None:
            if primary_index is not None:
                existing.pop(primary_index)
            return existing
        if primary_index is None:
            existing.append(
                {
                    "role": CircuitRole.PRIMARY,
                    "kind": "dia",
                    "down_mbps": down,
                    "up_mbps": up,
                    "provider": "",
                }
            )
        else:
            existing[primary_index] = {**existing[primary_index], "down_mbps": down, "up_mbps": up}
        return existing


def trim_number(value: float) -> float | int:
    """A number as people write it: 200, not 200.0."""
    return int(value) if float(value).is_integer() else value


class OrganisationForm(VersionedForm):
    logo_file = forms.FileField(
        label="Logo",
        required=False,
        help_text="PNG, JPEG or SVG, at most 1 MB. Shown on the proposal cover and in the "
        "portal's header. SVGs are cleaned of scripts and links.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/svg+xml"}),
    )
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)

    class Meta:
        model = Organisation
        fields = list(Organisation.BRANDING_FIELDS)
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
            "address": forms.Textarea(attrs={"rows": 3}),
            "legal_footer": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"address": MultilineField, "legal_footer": MultilineField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.logo: tuple[bytes, str] | None = None
        if not self.instance.logo:
            del self.fields["remove_logo"]
        self._text_colour_help()

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(
                f"The logo is {upload.size / 1024 / 1024:.1f} MB; the limit is 1 MB."
            )
        try:
            self.logo = validate_logo(upload.read(MAX_LOGO_BYTES + 1))
        except LogoError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload

    def clean_primary_colour(self) -> str:
        return self._readable("primary_colour")

    def clean_accent_colour(self) -> str:
        return self._readable("accent_colour")

    def _readable(self, name: str) -> str:
        """The colour, refused only when neither white nor black text reads on it.

        A light colour used to be refused; now the text on it turns black instead (see
        ``tenancy.branding.text_colour_on``), so this refusal is the rule's backstop.
        """
        colour = self.cleaned_data[name]
        if not is_hex_colour(colour):
            return colour  # the model's validator explains the format
        ratio = readable_text_contrast(colour)
        if ratio < MIN_CONTRAST_ON_WHITE_TEXT:
            raise forms.ValidationError(
                f"Neither white nor black text reaches {MIN_CONTRAST_ON_WHITE_TEXT}:1 on "
                f"{colour} (best {ratio:.1f}:1, WCAG AA). Choose a lighter or darker colour."
            )
        return colour

    def _text_colour_help(self) -> None:
        """Say beside each colour which text colour goes on it, and why."""
        for name in ("primary_colour", "accent_colour"):
            colour = str(self.initial.get(name) or getattr(self.instance, name, ""))
            note = "Text on it is white, or black where white would not reach 4.5:1 (WCAG AA)."
            if is_hex_colour(colour):
                text = text_colour_on(colour)
                said = "white" if text == TEXT_WHITE else "black"
                note += f" Now: {said} text, {contrast_ratio(colour, text):.1f}:1."
                if text != TEXT_WHITE:
                    note += f" White would reach only {contrast_ratio(colour, TEXT_WHITE):.1f}:1."
            self.fields[name].help_text = note


class GridRowForm(SiteRowForm):
    """A row of the live sites grid: its inputs belong to the row's own <form> element."""

    def __init__(self, *args, row: str, **kwargs):
        kwargs["auto_id"] = f"{row}-%s"
        super().__init__(*args, **kwargs)
        self.row = row
        for name, field in self.fields.items():
            field.widget.attrs["form"] = f"{row}-form"
            field.widget.attrs["aria-describedby"] = f"{row}-{name}-error"

    def clean_name(self) -> str:
        return unique_site_name(self, "Another site has this name.")


class BulkSetForm(forms.Form):
    """Set one field to one value on the selected sites."""

    sites = SitesField(
        queryset=Site.objects.none(), error_messages={"required": "Select at least one site."}
    )
    field = forms.ChoiceField(label="Set", choices=())
    value = forms.CharField(label="to", required=False, max_length=60)

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = assessment.sites.all()
        self.fields["field"].choices = [
            (name, presenters.label(Site, name)) for name in questions.bulk_fields()
        ]

    @staticmethod
    def model_field(name: str):
        """The form field the site form uses for ``name`` (to clean the value the same way)."""
        return SiteForm.base_fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name = data.get("field")
        if not name:
            return data
        field = self.model_field(name)
        raw = (data.get("value") or "").strip()
        if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
            by_label = {str(label).lower(): value for value, label in field.choices}
            raw = by_label.get(raw.lower(), raw)
        try:
            data["clean_value"] = clean_like_the_model(Site, name, field, raw)
        except forms.ValidationError as exc:
            self.add_error("value", exc)
        return data


class ScenarioForm(forms.Form):
    name = forms.CharField(
        label="Scenario name", max_length=120, help_text="e.g. “LTE backup at the plants”"
    )


def answer_field(scope: str, name: str) -> forms.Field:
    """The field the edit page asks ``name`` with, widget included ("organisation" or "sites").

    The what-if page offers a changed answer in the same input as the edit pages (a date
    picker for a date); the scenario services clean it with the catalogue's own field.
    """
    form = QuestionnaireForm if scope == "organisation" else SiteForm
    return form.base_fields[name]


class ScenarioChangeForm(forms.Form):
    """One change of a what-if scenario: a field, its new value, and where it applies."""

    target = forms.ChoiceField(label="Change")
    value = forms.CharField(label="to", required=False, max_length=60)
    sites = SitesField(
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For a site answer: the sites it applies to (none ticked: every site).",
    )

    def __init__(self, *args, assessment: Assessment, org_fields, site_fields, field_for, **kw):
        super().__init__(*args, **kw)
        self.field_for = field_for
        self.fields["sites"].queryset = assessment.sites.all()
        self.fields["target"].choices = [
            (
                "Organisation answers",
                [(f"organisation:{n}", presenters.label(Assessment, n)) for n in org_fields],
            ),
            (
                "Site answers",
                [(f"sites:{n}", presenters.label(Site, n)) for n in site_fields],
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        target = data.get("target")
        if not target:
            return data
        scope, name = target.split(":", 1)
        field = self.field_for(scope, name)
        raw = (data.get("value") or "").strip()
        if isinstance(field, forms.ChoiceField):
            by_label = {str(label).lower(): value for value, label in field.choices}
            raw = by_label.get(raw.lower(), raw)
        model = Assessment if scope == "organisation" else Site
        try:
            data["clean_value"] = clean_like_the_model(model, name, field, raw)
        except forms.ValidationError as exc:
            self.add_error("value", exc)
        data["scope"], data["field"] = scope, name
        return data


def clean_like_the_model(model, name: str, field: forms.Field, raw: Any) -> Any:
    """Clean ``raw`` with the form field, then the model field's own limits (e.g. 0-100 %)."""
    value = field.clean(raw)
    if value not in (None, ""):
        model._meta.get_field(name).run_validators(value)
    return value


class AssessmentCloneForm(forms.Form):
    customer = forms.ModelChoiceField(queryset=Customer.objects.none(), empty_label=None)
    title = forms.CharField(max_length=160)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(organisation=organisation)
        self.helper = FormHelper()
        self.helper.form_tag = False


def _capacity(label: str) -> forms.FloatField:
    # The same limits as a stored circuit, so a promoted scenario always saves.
    return forms.FloatField(label=label, min_value=0.01, max_value=1_000_000)


class ScenarioCircuitForm(forms.Form):
    """A circuit a what-if scenario sets at chosen sites: its role, type and capacity."""

    ROLES = [
        ("primary", "Primary circuit"),
        ("secondary", "Secondary circuit"),
        ("backup", "Backup circuit"),
        ("lte", "LTE / 5G backup"),
    ]

    role = forms.ChoiceField(label="Circuit", choices=ROLES)
    kind = forms.ChoiceField(label="Type", choices=CircuitKind.choices, required=False)
    down_mbps = _capacity("Down (Mbps)")
    up_mbps = _capacity("Up (Mbps)")
    sites = SitesField(queryset=Site.objects.none(), required=False)

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = assessment.sites.all()
        for name in ("role", "kind"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # An LTE / 5G backup is cellular whatever the type says; the others need one.
        if data.get("role") == "lte":
            data["kind"] = CircuitKind.CELLULAR
        elif not data.get("kind"):
            self.add_error("kind", "Choose the type of circuit.")
        return data


class ScenarioSiteForm(forms.Form):
    """A site that exists only in a what-if scenario: where, how many people, its line."""

    name = forms.CharField(label="Site name", max_length=120)
    country = CountryField(label="Country")
    users = forms.IntegerField(label="Users", min_value=0, max_value=1_000_000)
    kind = forms.ChoiceField(label="Line type", choices=CircuitKind.choices)
    down_mbps = _capacity("Down (Mbps)")
    up_mbps = _capacity("Up (Mbps)")

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["kind"].widget.attrs["class"] = "form-select form-select-sm"

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if self.assessment.sites.filter(name__iexact=name).exists():
            raise forms.ValidationError(SITE_NAME_TAKEN)
        return name
