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
from assessments.forms import QUESTION_SECTIONS, QuestionnaireForm, SiteForm
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


# Field → (question, help) as a customer reads them.
WORDING: dict[str, tuple[str, str]] = {
    "current_telephony": (
        "What do your people use for phone calls today?",
        "Pick the closest. If offices use different systems, choose “A mix”.",
    ),
    "pbx_contract_end": (
        "When does your current phone system or carrier contract end?",
        "A rough date is fine. Leave it empty if you don't know.",
    ),
    "current_carriers": (
        "Which phone companies (carriers) do you use, and where?",
        "For example “BT in the UK, Telekom in Germany”. Leave it empty if you don't know.",
    ),
    "keep_current_carrier": (
        "Do you have to keep your current phone company?",
        "A contract or a rule may tie you to a carrier. That narrows the options.",
    ),
    "multi_carrier": (
        "Do you need more than one phone company?",
        "For example a different carrier per country, or a second one as a backup.",
    ),
    "existing_sbcs": (
        "Do you already own Session Border Controllers (SBCs)?",
        "An SBC is a box or virtual machine that connects a phone system to a phone company. "
        "Your telecom team or supplier will know.",
    ),
    "sbc_count": ("How many SBCs do you have?", "Leave it empty if none, or if you don't know."),
    "sbc_details": (
        "Which SBC models and software versions?",
        "For example “AudioCodes Mediant 800, version 7.4”. Leave it empty if you don't know.",
    ),
    "users_on_skype_server": (
        "Are any people still on Skype for Business Server, on your own servers?",
        "They have to move to Teams in the cloud before some options work.",
    ),
    "routing_complexity": (
        "How complicated is the way calls are routed today?",
        "Simple: one number plan per country. Complex: special rules per office, cheapest-route "
        "rules, or number ranges shared with an old phone system.",
    ),
    "pbx_coexistence": (
        "Must an existing phone system keep running next to Teams for a while?",
        "For example during a gradual move, or on a factory floor.",
    ),
    "survivability_required": (
        "Must offices keep calling when their internet connection fails?",
        "For example a hospital, plant or shop that must always reach emergency services.",
    ),
    "contact_centre": (
        "Do you run a contact centre or call centre?",
        "If you are not sure which kind, choose “Don't know”: we will ask.",
    ),
    "compliance_recording": (
        "Must calls be recorded because a regulator requires it?",
        "For example in financial trading or regulated advice.",
    ),
    "mobile_first_share": (
        "What share of your people make calls mostly from a mobile phone?",
        "A percentage from 0 to 100; a rough estimate is fine. Leave it empty if you don't know.",
    ),
    "phone_numbers": (
        "How many phone numbers do you have?",
        "Direct-dial, service and free-phone numbers together. A rough count is fine.",
    ),
    "porting_required": (
        "Will you bring your existing phone numbers along?",
        "Moving numbers to another phone company is called porting. It takes one to three "
        "weeks per batch.",
    ),
    "dynamic_emergency_required": (
        "Must an emergency call tell where in the building the caller is?",
        "US law requires this for offices in the United States. Elsewhere it is good practice.",
    ),
    "security_desk_notification": (
        "Should reception or a security desk be told when someone calls emergency services?",
        "US law requires this for offices in the United States.",
    ),
    "notes": (
        "Anything else we should know?",
        "Plans, constraints, deadlines: in your own words.",
    ),
    "operating_model": (
        "Is phone calling a product you use, or a platform you operate?",
        "A product you use: a phone company runs the equipment and your IT switches people "
        "on (Operator Connect). A platform you operate: your IT, or a partner, runs the "
        "equipment, certificates and call routing (Direct Routing). Not sure? Say so.",
    ),
    "voice_skills": (
        "Who in your IT team knows telephony?",
        "Running your own platform needs people who know SBCs, certificates and SIP.",
    ),
    "voice_staff_fte": (
        "How much staff time could you give to running phone systems?",
        "In full-time people: 0.5 is half a person's week. Leave it empty if you don't know.",
    ),
    "risk_tolerance": (
        "How much risk of a calling problem could you live with?",
        "Low: calling must just work, with a supplier answerable for it.",
    ),
    "timeline": (
        "When do you need Teams calling to work?",
        "A phone company's service can start within days; running your own takes weeks.",
    ),
    # Sites
    "name": ("Site name", "What you call it, e.g. “Leeds office” or “Plant 2”."),
    "country": ("Country", "Decides which phone companies and options are available."),
    "city": ("Town or city", ""),
    "address": ("Street address", "Used as the emergency address for calls from this site."),
    "users": ("How many people work here?", "A rough count is fine."),
    "peak_concurrency": (
        "At the busiest time, what share of them is on a call?",
        "A percentage. Leave it empty and we use a typical figure.",
    ),
    "teams_rooms": ("Meeting rooms with Teams equipment", "Enter 0 if none."),
    "common_area_phones": ("Shared phones (reception, corridors, canteen)", "Enter 0 if none."),
    "analog_devices": (
        "Analogue phones and devices",
        "Old-style phones, lift or gate phones on a phone line, franking machines. Enter 0 if "
        "none.",
    ),
    "fax_lines": ("Fax lines", "Enter 0 if none."),
    "door_elevator_phones": ("Door, lift and emergency phones", "Enter 0 if none."),
    "overhead_paging": (
        "Is there a loudspeaker (paging) system people call into?",
        "Common in warehouses, shops and schools.",
    ),
    "internet_breakout": (
        "Does this site reach the internet directly?",
        "Or does its traffic travel to a head office or data centre first?",
    ),
    "sdwan": (
        "Does the site use SD-WAN that switches to another line on failure?",
        "Your network team or provider will know.",
    ),
    "lte_backup": (
        "Is there a mobile (4G/5G) backup line?",
        "It keeps calls going when the main line fails.",
    ),
    "proxy": (
        "Does web traffic go through a proxy?",
        "Teams calls work best when they skip the proxy.",
    ),
    "vpn": (
        "Do people here connect through a VPN?",
        "Teams calls work best outside the VPN (split tunnelling).",
    ),
    "qos": (
        "Is call traffic given priority on the network (QoS)?",
        "Your network team will know whether Teams traffic is marked and prioritised.",
    ),
    "wifi": ("What kind of Wi-Fi does the site have?", "Calls are best on managed 5 GHz Wi-Fi."),
    "firewall_media_ports": (
        "Does the firewall let Teams calls out on UDP ports 3478 to 3481?",
        "Ask your firewall team; calls fall back to a slower path when these are closed.",
    ),
    # Measurements (the tool's results file, or figures typed by hand)
    "file": (
        "The tool's results file",
        "quality_check_results.csv, in the folder %LOCALAPPDATA%\\Microsoft Teams Network "
        "Assessment Tool on the PC that ran the test. At most 5 MB.",
    ),
    "segment": (
        "Where was the test run?",
        "On a PC where people work (Wi-Fi or desk cable), or on a PC plugged in right beside "
        "the internet router or firewall.",
    ),
    "measured_where": ("Which PC or place?", "For example “3rd floor Wi-Fi” or “server room”."),
    "measured_on": ("When was it measured?", "Leave it empty to use the date in the file."),
    "rtt_ms": ("Round trip, or latency (ms)", "The tool's LATENCY figure. Leave empty if unknown."),
    "jitter_ms": ("Jitter (ms)", "The tool's JITTER figure. Leave empty if unknown."),
    "loss_pct": ("Packet loss (%)", "The tool's LOSS RATE, from 0 to 100. Leave empty if unknown."),
    "reorder_pct": ("Packets out of order (%)", "Leave empty if the tool does not show it."),
    "tool": ("Measured with", "Whatever tool gave you the figures."),
    "needs_survivability": (
        "Must this site keep calling when its internet fails?",
        "For example a site that must always reach emergency services.",
    ),
    "emergency_address_ready": (
        "Are the site's emergency addresses recorded and checked?",
        "Emergency services need a valid address for every place people call from.",
    ),
}

# Choice labels reworded for customers (the stored values are the same as for staff).
CHOICE_WORDING: dict[str, dict[str, str]] = {
    "operating_model": {
        "undecided": "Not sure yet: help us decide",
        "product": "A product we use: someone else runs it",
        "platform": "A platform we operate: we run it",
    },
    "segment": {
        "client": "Where people work (client)",
        "edge": "Beside the internet router (customer edge)",
    },
    "risk_tolerance": {
        "low": "Low: calling must just work",
        "medium": "Medium: short problems are acceptable",
        "high": "High: we can live with some disruption",
    },
}

ORGANISATION_FIELDS = [
    name for key, _t, names in QUESTION_SECTIONS if key != "operations" for name in names
]
VOICE_FIELDS = next(names for key, _t, names in QUESTION_SECTIONS if key == "operations")
# Groups on the customer's organisation page: (title, fields).
ORGANISATION_GROUPS = [
    (title, names) for key, title, names in QUESTION_SECTIONS if key != "operations"
]
VOICE_GROUPS = [("How you want to run voice", VOICE_FIELDS)]

RADIO_LIMIT = 5  # choice questions with this many options or fewer are radio buttons


def prepare_for_customer(form: forms.BaseForm) -> forms.BaseForm:
    """Make any form render like the customer's questions (see ``_customer_widgets``)."""
    _customer_widgets(form)
    return form


def _customer_widgets(form: forms.BaseForm) -> None:
    """Reword labels and help, use radios for short choices, and tie help and errors to inputs."""
    for name, field in form.fields.items():
        if name == "version":
            continue
        question, help_text = WORDING.get(name, (field.label, field.help_text))
        field.label = question
        field.help_text = help_text
        if name in CHOICE_WORDING and hasattr(field, "choices"):
            words = CHOICE_WORDING[name]
            field.choices = [(v, words.get(v, label)) for v, label in field.choices]
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
            _customer_widgets(self)

    return CustomerAnswersForm


OrganisationAnswersForm = answers_form_class(ORGANISATION_FIELDS)
VoiceAnswersForm = answers_form_class(VOICE_FIELDS)

SITE_GROUPS = questions.customer_site_groups()
CUSTOMER_SITE_FIELDS = [name for _title, names in SITE_GROUPS for name in names]


class CustomerSiteForm(SiteForm):
    """A site as a customer describes it: the staff site form without the measurement fields."""

    country = forms.ChoiceField(choices=())

    class Meta(SiteForm.Meta):
        fields = CUSTOMER_SITE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = None
        self.fields["country"].choices = [("", "Choose a country")] + list(countries)
        if self.instance.pk and self.instance.country:
            self.initial["country"] = self.instance.country.code
        self.fields["notes"].widget.attrs["rows"] = 2
        _customer_widgets(self)
        self.fields["notes"].label = "Anything else about this site?"
        self.fields["notes"].help_text = "Optional."

    def clean_country(self) -> str:  # noqa: D102
        return self.cleaned_data["country"]


CIRCUIT_WORDING = {
    "role": "What is it for?",
    "kind": "Type of line",
    "down_mbps": "Download speed (Mbps)",
    "up_mbps": "Upload speed (Mbps)",
    "provider": "Provider",
}


def circuit_formset_for_customer(formset) -> Any:
    """Reword a ``CircuitFormSet``'s labels for customers (the validation is unchanged)."""
    for form in [*formset.forms, formset.empty_form]:
        for name, label in CIRCUIT_WORDING.items():
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
