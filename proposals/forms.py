"""Proposal forms: the letter and steps, a customer link, the customer's accept or ask."""

from django import forms

from assessments.forms import IsoDateInput, MultilineField
from proposals.links import DEFAULT_VALID_DAYS, MAX_VALID_DAYS
from proposals.models import LETTER_MAX_LENGTH, StepOwner


class ProposalLinkForm(forms.Form):
    """Who the link is for, and for how long."""

    contact_name = forms.CharField(label="Contact's name", max_length=120)
    email = forms.EmailField(label="Contact's email")
    valid_days = forms.IntegerField(
        label="Link works for (days)",
        min_value=1,
        max_value=MAX_VALID_DAYS,
        initial=DEFAULT_VALID_DAYS,
        help_text=f"1 to {MAX_VALID_DAYS} days; you can share it again later.",
    )


class AcceptForm(forms.Form):
    """The customer's acceptance: who they are, and the statement ticked."""

    full_name = forms.CharField(
        label="Your full name", max_length=120, error_messages={"required": "Type your full name."}
    )
    title = forms.CharField(
        label="Your job title", max_length=120, error_messages={"required": "Type your job title."}
    )
    agree = forms.BooleanField(
        label="I accept the statement above",
        error_messages={"required": "Tick the box to accept the statement."},
    )
    # The statement as the page showed it: the service checks it is this version's own.
    statement = forms.CharField(widget=forms.HiddenInput, max_length=1000)


class ChangesForm(forms.Form):
    """The customer asks for changes: who they are, and what."""

    full_name = forms.CharField(
        label="Your full name", max_length=120, error_messages={"required": "Type your full name."}
    )
    # Line breaks as LF, so a break counts once against the limit the record keeps.
    comment = MultilineField(
        label="What would you like changed?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what you would like changed."},
    )


# Steps one story holds: a plan on one page, never an unbounded list.
MAX_STEPS = 10
BLANK_STEP_ROWS = 2


class StoryForm(forms.Form):
    """The cover letter, over the version of the story the page was built from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    letter = MultilineField(
        label="Cover letter",
        required=False,
        max_length=LETTER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Blank lines separate paragraphs. The first page of the proposal prints it.",
    )


class StepForm(forms.Form):
    """One next step: what, who, by when. A row left blank is not a step."""

    step = forms.CharField(label="Step", max_length=300, required=False)
    owner = forms.ChoiceField(label="Owner", choices=StepOwner.choices, required=False)
    owner_name = forms.CharField(label="Named person", max_length=120, required=False)
    date = forms.DateField(
        label="Target date",
        required=False,
        widget=IsoDateInput(),
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, for example 2027-03-31."},
    )

    def clean(self):
        """A step needs its owner and date; a named person needs a name."""
        data = super().clean()
        if not (data.get("step") or "").strip():
            return data
        if not data.get("owner"):
            self.add_error("owner", "Choose who owns this step.")
        if data.get("owner") == StepOwner.PERSON and not (data.get("owner_name") or "").strip():
            self.add_error("owner_name", "Name the person who owns this step.")
        if data.get("date") is None and "date" not in self.errors:
            self.add_error("date", "Give a target date.")
        return data

    def value(self) -> dict[str, str] | None:
        """The step as stored, or ``None`` for a blank row."""
        data = self.cleaned_data
        step = (data.get("step") or "").strip()
        if not step:
            return None
        person = data["owner"] == StepOwner.PERSON
        return {
            "step": step,
            "owner": data["owner"],
            "owner_name": (data.get("owner_name") or "").strip() if person else "",
            "date": data["date"].isoformat(),
        }


StepFormSet = forms.formset_factory(
    StepForm,
    extra=0,
    max_num=MAX_STEPS + BLANK_STEP_ROWS,
    absolute_max=MAX_STEPS + BLANK_STEP_ROWS,
    validate_max=True,  # a posted form with more rows is refused, not cut short
)
