"""Forms of invites: the sales engineer's invite form, and the customer's questions in plain words.

The customer forms are the staff forms (``QuestionnaireForm``, ``SiteForm``) limited to
the fields of one step, with labels and help written for someone who is not a telecom
engineer. Validation, model limits and saving are the same as for staff.
"""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from django_countries import countries

from assessments import questions
from assessments.forms import QuestionnaireForm, SiteForm
from assessments.models import Assessment, Site
from invites.models import InviteSection
from invites.services import DEFAULT_VALID_DAYS, MAX_VALID_DAYS


class InviteForm(forms.Form):
    """Who to invite, to which sections, for how long."""

    contact_name = forms.CharField(label="Contact's name", max_length=120)
    email = forms.EmailField(label="Contact's email")
    sections = forms.MultipleChoiceField(
        label="What they fill in",
        choices=InviteSection.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        initial=InviteSection.values,
        help_text="e.g. the network team gets sites and measurements, the telecom manager "
        "the organisation and voice questions.",
        error_messages={"required": "Choose at least one section."},
    )
    valid_days = forms.IntegerField(
        label="Link works for (days)",
        min_value=1,
        max_value=MAX_VALID_DAYS,
        initial=DEFAULT_VALID_DAYS,
        help_text=f"1 to {MAX_VALID_DAYS} days; you can re-send it later.",
    )

    def expires_at(self):
        """When the link stops working."""
        return timezone.now() + timedelta(days=self.cleaned_data["valid_days"])


RADIO_LIMIT = 5  # choice questions with this many options or fewer are radio buttons


def prepare_for_customer(form: forms.BaseForm) -> forms.BaseForm:
    """Make a form of the measurement step render like the customer's questions."""
    typed = form.prefix == "paste"  # figures typed by hand: no file to take a date from
    _customer_widgets(form, questions.TYPED_FIGURES_STEP if typed else questions.MEASUREMENT_STEP)
    return form


def _customer_widgets(form: forms.BaseForm, wording: dict[str, questions.Wording]) -> None:
    """Reword labels and help, use radios for short choices, and tie help and errors to inputs.

    ``wording`` is the catalogue's customer wording of the form's fields; a field it does
    not word keeps its staff label and help.
    """
    for name, field in form.fields.items():
        if name == "version":
            continue
        words = wording.get(name)
        if words:
            field.label = words.label
            field.help_text = words.help
            if words.choices and hasattr(field, "choices"):
                field.choices = words.choice_labels(field.choices)
        help_text = field.help_text
        choices = list(getattr(field, "choices", []) or [])
        if isinstance(field.widget, forms.Select) and 0 < len(choices) <= RADIO_LIMIT:
            field.widget = forms.RadioSelect(choices=choices)
            field.widget.attrs["class"] = "form-check-input"
        elif isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "form-check-input"
        elif isinstance(field.widget, forms.Select):
            field.widget.attrs["class"] = "form-select"
        elif not isinstance(field.widget, forms.HiddenInput | forms.RadioSelect):
            field.widget.attrs["class"] = "form-control"
        html_name = form.add_prefix(name)
        described = [f"{html_name}-error"] + ([f"{html_name}-help"] if help_text else [])
        field.widget.attrs["aria-describedby"] = " ".join(described)
        if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
            field.widget.attrs.setdefault("inputmode", "decimal")


def answers_form_class(field_names: list[str]) -> type[QuestionnaireForm]:
    """The staff questionnaire form limited to ``field_names``, in a customer's words."""

    class CustomerAnswersForm(QuestionnaireForm):
        class Meta(QuestionnaireForm.Meta):
            fields = list(field_names)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper.layout = None
            _customer_widgets(self, questions.customer_wording(Assessment))

    return CustomerAnswersForm


OrganisationAnswersForm = answers_form_class(questions.customer_fields("organisation"))
VoiceAnswersForm = answers_form_class(questions.customer_fields("voice"))


class CustomerSiteForm(SiteForm):
    """A site as a customer describes it: the staff site form without the measurement fields."""

    country = forms.ChoiceField(choices=())

    class Meta(SiteForm.Meta):
        fields = questions.customer_fields("sites")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = None
        self.fields["country"].choices = [("", "Choose a country")] + list(countries)
        if self.instance.pk and self.instance.country:
            self.initial["country"] = self.instance.country.code
        self.fields["notes"].widget.attrs["rows"] = 2
        _customer_widgets(self, questions.customer_wording(Site))

    def clean_country(self) -> str:  # noqa: D102
        return self.cleaned_data["country"]


def circuit_formset_for_customer(formset) -> Any:
    """Reword a ``CircuitFormSet``'s labels for customers (the validation is unchanged)."""
    labels = {q.name: q.customer_label for q in questions.CIRCUIT}
    for form in [*formset.forms, formset.empty_form]:
        for name, label in labels.items():
            form.fields[name].label = label
            widget = form.fields[name].widget
            widget.attrs["class"] = (
                "form-select" if isinstance(widget, forms.Select) else "form-control"
            )
            if name in ("down_mbps", "up_mbps"):
                widget.attrs["inputmode"] = "decimal"
        form.fields["DELETE"].label = "Remove this line"
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"
    return formset
