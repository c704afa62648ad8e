"""The catalogue of questions: each answer of an assessment, site and circuit, and where it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models

from assessments import presenters
from assessments.models import Assessment, Circuit, Site

# Sections of the staff pages, in the order they are shown: key → title. The customer's
# steps follow the organisation sections (the "operations" section is the voice step).
ORGANISATION_SECTIONS = {
    "telephony": "Today's telephony",
    "operations": "How you want to run voice",
    "features": "Calling features and integrations",
    "numbers": "Numbers and emergency calling",
}
SITE_SECTIONS = {
    "location": "Location",
    "people": "People and devices",
    "network": "Network",
    "measurements": "Measured path quality",
    "calling": "Calling",
    "notes": "Notes",
}
CIRCUIT_SECTIONS = {"circuit": "Internet lines"}

# The customer's site page groups its questions under these titles (in plain words).
WHERE = "Where it is"
PEOPLE = "People and devices"
NETWORK = "Network"
CALLING_HERE = "Calling at this site"

# The proposal's answers appendix: a table per title, a row per site. A column groups
# related answers under one header ("Rooms / Fax / ..."), since a cell is laid out at far
# more cost than the words in it: a 100-site appendix of grouped columns renders in half
# the time of one column per answer, and reads as well. Column key → (table title, header
# prefix, width class), columns in the order they are shown.
DEVICES_TABLE = "People, devices and PSTN"
NETWORK_TABLE = "Network setup"
MEASUREMENTS_TABLE = "Measurements"
APPENDIX_COLUMNS: dict[str, tuple[str, str, str]] = {
    "size": (DEVICES_TABLE, "", "w-10"),
    "devices": (DEVICES_TABLE, "", "w-24"),
    "survival": (DEVICES_TABLE, "", ""),
    "pstn": (DEVICES_TABLE, "", ""),
    "emergency": (DEVICES_TABLE, "", ""),
    "lines": (NETWORK_TABLE, "", "w-30"),
    "resilience": (NETWORK_TABLE, "", ""),
    "path": (NETWORK_TABLE, "", ""),
    "media": (NETWORK_TABLE, "", "w-24"),
    "client": (MEASUREMENTS_TABLE, "Client: ", "w-30"),
    "edge": (MEASUREMENTS_TABLE, "Customer edge: ", "w-30"),
    "measured": (MEASUREMENTS_TABLE, "", ""),
}
# The site's internet lines are not a site answer but one column summing up its circuits
# (role, down and up), under its own header.
APPENDIX_LINES = ("lines", "circuits", "Circuits (down/up Mbps)")


@dataclass(frozen=True)
class Wording:
    """A question as a customer reads it: plain words for someone who is not a telecom engineer.

    Attributes:
        label: The question.
        help: The help beside it (empty: none shown).
        choices: (stored value, label) of the choices reworded for customers; the others
            keep their staff label (the stored values are the same for both).
    """

    label: str
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()

    def choice_labels(self, choices: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
        """``choices`` (value, staff label) with the customer's labels where reworded."""
        reworded = dict(self.choices)
        return [(value, reworded.get(value, text)) for value, text in choices]


@dataclass(frozen=True)
class Question:
    """One question: its model field and every place it appears.

    Label, help text and choices are read from the model field (one source); how a value
    reads is :mod:`assessments.presenters`' job.

    Attributes:
        model: The model that stores the answer.
        name: The model field's name.
        section: Key of the staff page section it is asked in.
        grid: Whether it is a column of the workshop's sites grid.
        bulk: Its place in the grid's "set on many sites" list, or None if not there.
        scenario: Its place among the answers a what-if scenario may change, or None.
        customer: Title of the customer's site page group it is asked in, or None if
            customers are not asked it (organisation answers: the step is the section).
        appendix: Its column of the proposal's answers appendix (a key of
            :data:`APPENDIX_COLUMNS`) and its place there, or None if not shown.
        short: The appendix's column label where it is shorter than :attr:`label`.
        customer_wording: How the customer's questionnaire asks it, or None if customers
            are not asked it.
        column: Its heading in site list files (the import reads it, export and the
            template write it), or None if those files do not carry it. A circuit's
            heading follows its role and number ("Backup 2 down (Mbps)").
        aliases: Other headings the import accepts for it, beyond its heading, its field
            name and its model label; matched leniently (case, spacing, punctuation).
        column_place: Its place among the model's file columns where that is not its page
            order, or None to keep page order.
    """

    model: type[models.Model]
    name: str
    section: str
    grid: bool = False
    bulk: int | None = None
    scenario: int | None = None
    customer: str | None = None
    appendix: tuple[str, int] | None = None
    short: str | None = None
    customer_wording: Wording | None = None
    column: str | None = None
    aliases: tuple[str, ...] = ()
    column_place: int | None = None

    @property
    def field(self) -> models.Field:
        """The model field that stores the answer."""
        return self.model._meta.get_field(self.name)

    @property
    def label(self) -> str:
        """The label staff read (acronyms right)."""
        return presenters.label(self.model, self.name)

    @property
    def appendix_label(self) -> str:
        """The label of its column in the proposal's answers appendix."""
        return self.short or self.label

    @property
    def help_text(self) -> str:
        """The model field's help text."""
        return str(self.field.help_text)

    @property
    def choices(self) -> list[tuple[str, str]]:
        """The stored values and their labels, empty for a free answer."""
        return [(value, str(text)) for value, text in self.field.choices or ()]

    def form_field(self) -> forms.Field:
        """A new form field that cleans a typed answer as the staff forms clean it.

        The staff forms build their fields from the same model field with no other
        validation (``assessments/tests/models/test_question_catalogue.py`` checks it), so a service
        can validate an answer without importing a form.
        """
        return self.field.formfield()

    @property
    def customer_label(self) -> str:
        """The question as the customer reads it (the staff label if not reworded)."""
        return self.customer_wording.label if self.customer_wording else self.label

    @property
    def customer_help(self) -> str:
        """The help the customer reads beside it (the staff help if not reworded)."""
        return self.customer_wording.help if self.customer_wording else self.help_text

    @property
    def customer_choices(self) -> list[tuple[str, str]]:
        """The stored values and the labels the customer reads for them."""
        if not self.customer_wording:
            return self.choices
        return self.customer_wording.choice_labels(self.choices)


def _org(
    name: str,
    section: str,
    *,
    scenario: int | None = None,
    customer_wording: Wording | None = None,
) -> Question:
    return Question(Assessment, name, section, scenario=scenario, customer_wording=customer_wording)


def _site(name: str, section: str, **where) -> Question:
    return Question(Site, name, section, **where)


def _circuit(name: str, **where) -> Question:
    return Question(Circuit, name, "circuit", **where)


# Organisation answers (Assessment), in the order of the staff questionnaire. Every
# organisation answer but the notes may be varied by a what-if scenario.
ORGANISATION: tuple[Question, ...] = (
    _org(
        "current_telephony",
        "telephony",
        scenario=1,
        customer_wording=Wording(
            "What do your people use for phone calls today?",
            "Pick the closest. If offices use different systems, choose “A mix”.",
        ),
    ),
    _org(
        "pbx_contract_end",
        "telephony",
        scenario=2,
        customer_wording=Wording(
            "When does your current phone system or carrier contract end?",
            "A rough date is fine. Leave it empty if you don't know.",
        ),
    ),
    _org(
        "current_carriers",
        "telephony",
        scenario=3,
        customer_wording=Wording(
            "Which phone companies (carriers) do you use, and where?",
            "For example “BT in the UK, Telekom in Germany”. Leave it empty if you don't know.",
        ),
    ),
    _org(
        "keep_current_carrier",
        "telephony",
        scenario=4,
        customer_wording=Wording(
            "Do you have to keep your current phone company?",
            "A contract or a rule may tie you to a carrier. That narrows the options.",
        ),
    ),
    _org(
        "carrier_in_operator_connect",
        "telephony",
        scenario=5,
        customer_wording=Wording(
            "Is that phone company in Microsoft's Operator Connect programme?",
            "Microsoft lists the companies in the programme in the Teams admin center "
            "(Voice, Operators). If yours is there, Teams can use it without extra equipment.",
        ),
    ),
    _org(
        "multi_carrier",
        "telephony",
        scenario=6,
        customer_wording=Wording(
            "Do you need more than one phone company?",
            "For example a different carrier per country, or a second one as a backup.",
        ),
    ),
    _org(
        "existing_sbcs",
        "telephony",
        scenario=7,
        customer_wording=Wording(
            "Do you already own Session Border Controllers (SBCs)?",
            "An SBC is a box or virtual machine that connects a phone system to a phone company. "
            "Your telecom team or supplier will know.",
        ),
    ),
    _org(
        "sbc_count",
        "telephony",
        scenario=8,
        customer_wording=Wording(
            "How many SBCs do you have?", "Leave it empty if none, or if you don't know."
        ),
    ),
    _org(
        "sbc_details",
        "telephony",
        scenario=9,
        customer_wording=Wording(
            "Which SBC models and software versions?",
            "For example “AudioCodes Mediant 800, version 7.4”. Leave it empty if you don't know.",
        ),
    ),
    _org(
        "users_on_skype_server",
        "telephony",
        scenario=10,
        customer_wording=Wording(
            "Are any people still on Skype for Business Server, on your own servers?",
            "They have to move to Teams in the cloud before some options work.",
        ),
    ),
    _org(
        "teams_phone_licences",
        "telephony",
        scenario=11,
        customer_wording=Wording(
            "Do your people already have Teams Phone licences?",
            "Microsoft 365 E5 includes Teams Phone. Licences you hold are not charged again.",
            choices=(
                ("e5", "Yes, through Microsoft 365 E5"),
                ("standalone", "Yes, Teams Phone bought on its own"),
                ("none", "No"),
            ),
        ),
    ),
    _org(
        "teams_phone_licences_count",
        "telephony",
        scenario=12,
        customer_wording=Wording(
            "How many Teams Phone licences do you have?",
            "Leave it empty if everyone has one, or if you don't know.",
        ),
    ),
    _org(
        "operating_model",
        "operations",
        scenario=13,
        customer_wording=Wording(
            "Is phone calling a product you use, or a platform you operate?",
            "A product you use: a phone company runs the equipment and your IT switches people on "
            "(Operator Connect). A platform you operate: your IT, or a partner, runs the "
            "equipment, certificates and call routing (Direct Routing). Not sure? Say so.",
            choices=(
                ("undecided", "Not sure yet: help us decide"),
                ("product", "A product we use: someone else runs it"),
                ("platform", "A platform we operate: we run it"),
            ),
        ),
    ),
    _org(
        "voice_skills",
        "operations",
        scenario=14,
        customer_wording=Wording(
            "Who in your IT team knows telephony?",
            "Running your own platform needs people who know SBCs, certificates and SIP.",
        ),
    ),
    _org(
        "voice_staff_fte",
        "operations",
        scenario=15,
        customer_wording=Wording(
            "How much staff time could you give to running phone systems?",
            "In full-time people: 0.5 is half a person's week. Leave it empty if you don't know.",
        ),
    ),
    _org(
        "risk_tolerance",
        "operations",
        scenario=16,
        customer_wording=Wording(
            "How much risk of a calling problem could you live with?",
            "Low: calling must just work, with a supplier answerable for it.",
            choices=(
                ("low", "Low: calling must just work"),
                ("medium", "Medium: short problems are acceptable"),
                ("high", "High: we can live with some disruption"),
            ),
        ),
    ),
    _org(
        "timeline",
        "operations",
        scenario=17,
        customer_wording=Wording(
            "When do you need Teams calling to work?",
            "A phone company's service can start within days; running your own takes weeks.",
        ),
    ),
    _org(
        "it_hourly_cost",
        "operations",
        scenario=18,
        customer_wording=Wording(
            "What does an hour of your IT staff's time cost?",
            "Salary and overheads, roughly, in the currency of our proposal. Leave it empty "
            "if you don't know: we use a typical figure.",
        ),
    ),
    _org(
        "routing_complexity",
        "features",
        scenario=19,
        customer_wording=Wording(
            "How complicated is the way calls are routed today?",
            "Simple: one number plan per country. Complex: special rules per office, "
            "cheapest-route rules, or number ranges shared with an old phone system.",
        ),
    ),
    _org(
        "pbx_coexistence",
        "features",
        scenario=20,
        customer_wording=Wording(
            "Must an existing phone system keep running next to Teams for a while?",
            "For example during a gradual move, or on a factory floor.",
        ),
    ),
    _org(
        "survivability_required",
        "features",
        scenario=21,
        customer_wording=Wording(
            "Must offices keep calling when their internet connection fails?",
            "For example a hospital, plant or shop that must always reach emergency services.",
        ),
    ),
    _org(
        "contact_centre",
        "features",
        scenario=22,
        customer_wording=Wording(
            "Do you run a contact centre or call centre?",
            "If you are not sure which kind, choose “Don't know”: we will ask.",
        ),
    ),
    _org(
        "compliance_recording",
        "features",
        scenario=23,
        customer_wording=Wording(
            "Must calls be recorded because a regulator requires it?",
            "For example in financial trading or regulated advice.",
        ),
    ),
    _org(
        "mobile_first_share",
        "features",
        scenario=24,
        customer_wording=Wording(
            "What share of your people make calls mostly from a mobile phone?",
            "A percentage from 0 to 100; a rough estimate is fine. Leave it empty if you don't "
            "know.",
        ),
    ),
    _org(
        "auto_attendants_queues",
        "features",
        scenario=25,
        customer_wording=Wording(
            "How many auto attendants and call queues do you need?",
            "Menus callers hear (“press 1 for sales”) and groups that share incoming calls. "
            "Leave it empty if you don't know.",
        ),
    ),
    _org(
        "phone_numbers",
        "numbers",
        scenario=26,
        customer_wording=Wording(
            "How many phone numbers do you have?",
            "Direct-dial, service and free-phone numbers together. A rough count is fine.",
        ),
    ),
    _org(
        "porting_required",
        "numbers",
        scenario=27,
        customer_wording=Wording(
            "Will you bring your existing phone numbers along?",
            "Moving numbers to another phone company is called porting. It takes one to three "
            "weeks per batch.",
        ),
    ),
    _org(
        "dynamic_emergency_required",
        "numbers",
        scenario=28,
        customer_wording=Wording(
            "Must an emergency call tell where in the building the caller is?",
            "US law requires this for offices in the United States. Elsewhere it is good practice.",
        ),
    ),
    _org(
        "security_desk_notification",
        "numbers",
        scenario=29,
        customer_wording=Wording(
            "Should reception or a security desk be told when someone calls emergency services?",
            "US law requires this for offices in the United States.",
        ),
    ),
    _org(
        "notes",
        "numbers",
        customer_wording=Wording(
            "Anything else we should know?", "Plans, constraints, deadlines: in your own words."
        ),
    ),
)

# Site answers, in the order of the staff site page. A scenario varies what a plan would
# change, not the facts of a site (its size, devices, location).
SITE: tuple[Question, ...] = (
    _site(
        "name",
        "location",
        column="Site name",
        aliases=(
            "site",
            "site name",
            "sitename",
            "location",
            "location name",
            "office",
            "office name",
            "building",
            "building name",
            "branch",
            "branch name",
        ),
        grid=True,
        customer=WHERE,
        customer_wording=Wording(
            "Site name", "What you call it, e.g. “Leeds office” or “Plant 2”."
        ),
    ),
    _site(
        "country",
        "location",
        column="Country",
        aliases=(
            "country code",
            "country name",
            "iso country",
            "iso code",
            "nation",
            "ctry",
            "country region",
        ),
        grid=True,
        customer=WHERE,
        customer_wording=Wording(
            "Country", "Decides which phone companies and options are available."
        ),
    ),
    _site(
        "city",
        "location",
        column="City",
        aliases=("town", "locality", "city name"),
        grid=True,
        customer=WHERE,
        customer_wording=Wording("Town or city"),
    ),
    _site(
        "address",
        "location",
        column="Address",
        aliases=("street address", "street", "emergency address", "postal address", "site address"),
        customer=WHERE,
        customer_wording=Wording(
            "Street address", "Used as the emergency address for calls from this site."
        ),
    ),
    _site(
        "users",
        "people",
        column="Users",
        aliases=(
            "user",
            "headcount",
            "head count",
            "seats",
            "employees",
            "staff",
            "people",
            "user count",
            "number of users",
        ),
        grid=True,
        bulk=16,
        customer=PEOPLE,
        appendix=("size", 1),
        customer_wording=Wording("How many people work here?", "A rough count is fine."),
    ),
    _site(
        "peak_concurrency",
        "people",
        column="Peak concurrent calls (%)",
        aliases=("concurrency", "concurrent calls", "peak concurrent"),
        bulk=14,
        scenario=12,
        customer=PEOPLE,
        appendix=("size", 2),
        short="Peak %",
        customer_wording=Wording(
            "At the busiest time, what share of them is on a call?",
            "A percentage. Leave it empty and we use a typical figure.",
        ),
    ),
    _site(
        "audio_only_users",
        "people",
        column="Audio-only users",
        aliases=("audio only", "voice only users", "voice only", "contact centre agents"),
        customer=PEOPLE,
        customer_wording=Wording(
            "How many of them call without video?",
            "For example contact centre agents or shop floor staff. Leave the three counts "
            "empty if you do not know: we assume most people here sometimes use video.",
        ),
    ),
    _site(
        "office_video_users",
        "people",
        column="Office workers with video",
        aliases=("office workers", "office users", "video users"),
        customer=PEOPLE,
        customer_wording=Wording(
            "How many sometimes call with video?", "Typical office workers on site."
        ),
    ),
    _site(
        "heavy_video_users",
        "people",
        column="Heavy video users",
        aliases=("heavy video", "video heavy users"),
        customer=PEOPLE,
        customer_wording=Wording(
            "How many are in video meetings most of the day?",
            "Anyone not counted in these three is taken to work remotely.",
        ),
    ),
    _site(
        "teams_rooms",
        "people",
        column="Teams Rooms",
        aliases=("teams room", "mtr", "mtrs", "rooms", "meeting rooms"),
        grid=True,
        bulk=15,
        customer=PEOPLE,
        appendix=("devices", 1),
        short="Rooms",
        customer_wording=Wording("Meeting rooms with Teams equipment", "Enter 0 if none."),
    ),
    _site(
        "common_area_phones",
        "people",
        column="Common area phones",
        aliases=("common area", "cap", "caps", "lobby phones"),
        customer=PEOPLE,
        appendix=("devices", 2),
        short="Common area",
        customer_wording=Wording(
            "Shared phones (reception, corridors, canteen)", "Enter 0 if none."
        ),
    ),
    _site(
        "analog_devices",
        "people",
        column="Analog devices",
        aliases=("analog", "analogue devices", "analogue", "ata", "atas", "analog phones"),
        customer=PEOPLE,
        appendix=("devices", 3),
        short="Analog",
        customer_wording=Wording(
            "Analogue phones and devices",
            "Old-style phones, lift or gate phones on a phone line, franking machines. Enter 0 if "
            "none.",
        ),
    ),
    _site(
        "fax_lines",
        "people",
        column="Fax lines",
        aliases=("fax", "faxes", "fax machines"),
        customer=PEOPLE,
        appendix=("devices", 4),
        short="Fax",
        customer_wording=Wording("Fax lines", "Enter 0 if none."),
    ),
    _site(
        "door_elevator_phones",
        "people",
        column="Door / elevator / emergency phones",
        aliases=("door phones", "elevator phones", "lift phones", "emergency phones", "door entry"),
        customer=PEOPLE,
        appendix=("devices", 5),
        short="Door/lift",
        customer_wording=Wording("Door, lift and emergency phones", "Enter 0 if none."),
    ),
    _site(
        "overhead_paging",
        "people",
        column="Overhead paging",
        aliases=("paging", "pa system"),
        bulk=13,
        customer=PEOPLE,
        appendix=("survival", 1),
        short="Paging",
        customer_wording=Wording(
            "Is there a loudspeaker (paging) system people call into?",
            "Common in warehouses, shops and schools.",
        ),
    ),
    _site(
        "internet_breakout",
        "network",
        column="Internet breakout",
        aliases=("breakout", "local breakout", "internet egress", "egress"),
        grid=True,
        bulk=3,
        scenario=3,
        customer=NETWORK,
        appendix=("path", 1),
        short="Breakout",
        customer_wording=Wording(
            "Does this site reach the internet directly?",
            "Or does its traffic travel to a head office or data centre first?",
        ),
    ),
    _site(
        "backhaul_hub",
        "network",
        column="Backhaul hub",
        aliases=("hub", "hub site", "backhauls to", "backhaul via", "traffic via"),
        customer=NETWORK,
        customer_wording=Wording(
            "Which of your sites does its internet traffic go through?",
            "The name of that site, e.g. the head office. Leave it empty if this site has "
            "its own internet line.",
        ),
    ),
    _site(
        "sdwan",
        "network",
        column="SD-WAN with failover",
        aliases=("sd wan",),
        bulk=2,
        scenario=2,
        customer=NETWORK,
        appendix=("resilience", 1),
        short="SD-WAN",
        customer_wording=Wording(
            "Does the site use SD-WAN that switches to another line on failure?",
            "Your network team or provider will know.",
        ),
    ),
    _site(
        "lte_backup",
        "network",
        column="LTE/5G backup",
        aliases=("lte", "4g backup", "5g backup", "cellular backup", "mobile backup"),
        grid=True,
        bulk=1,
        scenario=1,
        customer=NETWORK,
        appendix=("resilience", 2),
        short="LTE/5G",
        customer_wording=Wording(
            "Is there a mobile (4G/5G) backup line?",
            "It keeps calls going when the main line fails.",
        ),
    ),
    _site(
        "proxy",
        "network",
        column="Web proxy",
        bulk=4,
        scenario=4,
        customer=NETWORK,
        appendix=("path", 2),
        short="Proxy",
        customer_wording=Wording(
            "Does web traffic go through a proxy?",
            "Teams calls work best when they skip the proxy.",
        ),
    ),
    _site(
        "vpn",
        "network",
        column="VPN",
        bulk=5,
        scenario=5,
        customer=NETWORK,
        appendix=("path", 3),
        customer_wording=Wording(
            "Do people here connect through a VPN?",
            "Teams calls work best outside the VPN (split tunnelling).",
        ),
    ),
    _site(
        "qos",
        "network",
        column="QoS (DSCP)",
        aliases=("dscp", "quality of service"),
        grid=True,
        bulk=6,
        scenario=6,
        customer=NETWORK,
        appendix=("media", 1),
        short="QoS",
        customer_wording=Wording(
            "Is call traffic given priority on the network (QoS)?",
            "Your network team will know whether Teams traffic is marked and prioritised.",
        ),
    ),
    _site(
        "wifi",
        "network",
        column="Wi-Fi",
        aliases=("wireless", "wlan"),
        grid=True,
        bulk=7,
        scenario=7,
        customer=NETWORK,
        appendix=("media", 2),
        customer_wording=Wording(
            "What kind of Wi-Fi does the site have?", "Calls are best on managed 5 GHz Wi-Fi."
        ),
    ),
    _site(
        "firewall_media_ports",
        "network",
        column="UDP 3478-3481 open",
        aliases=("firewall", "media ports", "udp ports open", "ports open"),
        bulk=8,
        scenario=8,
        customer=CALLING_HERE,
        appendix=("media", 3),
        short="UDP 3478-3481",
        customer_wording=Wording(
            "Does the firewall let Teams calls out on UDP ports 3478 to 3481?",
            "Ask your firewall team; calls fall back to a slower path when these are closed.",
        ),
    ),
    _site(
        "client_rtt_ms",
        "measurements",
        column="Client RTT (ms)",
        aliases=("client latency", "client round trip", "rtt", "latency", "round trip time"),
        grid=True,
        scenario=13,
        appendix=("client", 1),
        short="RTT ms",
    ),
    _site(
        "client_jitter_ms",
        "measurements",
        column="Client jitter (ms)",
        aliases=("jitter",),
        grid=True,
        scenario=14,
        appendix=("client", 2),
        short="jitter ms",
    ),
    _site(
        "client_loss_pct",
        "measurements",
        column="Client loss (%)",
        aliases=("client packet loss", "loss", "packet loss"),
        grid=True,
        scenario=15,
        appendix=("client", 3),
        short="loss %",
    ),
    _site(
        "client_reorder_pct",
        "measurements",
        column="Client reorder (%)",
        aliases=("reorder", "packet reorder"),
        appendix=("client", 4),
        short="reorder %",
    ),
    _site(
        "edge_rtt_ms",
        "measurements",
        column="Edge RTT (ms)",
        aliases=("edge latency", "edge round trip"),
        scenario=16,
        appendix=("edge", 1),
        short="RTT ms",
    ),
    _site(
        "edge_jitter_ms",
        "measurements",
        column="Edge jitter (ms)",
        scenario=17,
        appendix=("edge", 2),
        short="jitter ms",
    ),
    _site(
        "edge_loss_pct",
        "measurements",
        column="Edge loss (%)",
        aliases=("edge packet loss",),
        scenario=18,
        appendix=("edge", 3),
        short="loss %",
    ),
    _site(
        "edge_reorder_pct",
        "measurements",
        column="Edge reorder (%)",
        aliases=("edge packet reorder",),
        appendix=("edge", 4),
        short="reorder %",
    ),
    _site(
        "measured_on",
        "measurements",
        column="Measured on",
        aliases=("measurement date", "date measured", "measured date"),
        appendix=("measured", 1),
    ),
    _site(
        "measured_where",
        "measurements",
        column="Measured from",
        aliases=("measurement location", "where measured"),
    ),
    _site(
        "measurement_tool",
        "measurements",
        column="Measurement tool",
        aliases=("tool", "measured with"),
        appendix=("measured", 2),
        short="Tool",
    ),
    _site(
        "operator_available",
        "calling",
        column="Operator Connect available",
        aliases=("operator connect", "oc available"),
        bulk=9,
        scenario=10,
        appendix=("pstn", 1),
        short="Operator",
    ),
    _site(
        "regulation",
        "calling",
        column="Telecom regulation",
        aliases=("regulatory",),
        bulk=10,
        appendix=("pstn", 2),
        short="Regulation",
    ),
    _site(
        "needs_survivability",
        "calling",
        column="Needs survivability",
        aliases=("survivability", "sba"),
        bulk=11,
        scenario=11,
        customer=CALLING_HERE,
        appendix=("survival", 2),
        short="Survivability",
        customer_wording=Wording(
            "Must this site keep calling when its internet fails?",
            "For example a site that must always reach emergency services.",
        ),
    ),
    _site(
        "emergency_address_ready",
        "calling",
        column="Emergency addresses",
        aliases=("e911 addresses", "e911"),
        bulk=12,
        scenario=9,
        customer=CALLING_HERE,
        appendix=("emergency", 1),
        customer_wording=Wording(
            "Are the site's emergency addresses recorded and checked?",
            "Emergency services need a valid address for every place people call from.",
        ),
    ),
    _site(
        "notes",
        "notes",
        column="Notes",
        aliases=("note", "comments", "comment", "remarks"),
        customer=CALLING_HERE,
        customer_wording=Wording("Anything else about this site?", "Optional."),
    ),
)

# A site's internet lines, in the order of the circuit form. Customers see no help beside
# a line's fields (the block has one help for all), so their wording is a label only.
CIRCUIT: tuple[Question, ...] = (
    _circuit("role", customer_wording=Wording("What is it for?")),
    _circuit(
        "kind",
        column="type",
        aliases=("type", "kind", "circuit type", "link type", "connection type", "access type"),
        column_place=3,
        customer_wording=Wording("Type of line"),
    ),
    _circuit(
        "down_mbps",
        column="down (Mbps)",
        aliases=("down", "download", "downstream", "bandwidth down", "download speed"),
        column_place=1,
        customer_wording=Wording("Download speed (Mbps)"),
    ),
    _circuit(
        "up_mbps",
        column="up (Mbps)",
        aliases=("up", "upload", "upstream", "bandwidth up", "upload speed"),
        column_place=2,
        customer_wording=Wording("Upload speed (Mbps)"),
    ),
    _circuit(
        "provider",
        column="provider",
        aliases=("provider", "isp", "internet provider", "carrier"),
        column_place=4,
        customer_wording=Wording("Provider"),
    ),
)

# The measurement step's form fields (a Network Assessment Tool file, or figures typed by
# hand) as a customer reads them. They describe a measurement run, not an answer of an
# assessment, site or line, so they are not questions above; their wording lives here so
# that every word the customer's questionnaire asks is in this catalogue.
MEASUREMENT_STEP: dict[str, Wording] = {
    "file": Wording(
        "The tool's results file",
        "quality_check_results.csv, in the folder %LOCALAPPDATA%\\Microsoft Teams Network "
        "Assessment Tool on the PC that ran the test. At most 5 MB.",
    ),
    "segment": Wording(
        "Where was the test run?",
        "On a PC where people work (Wi-Fi or desk cable), or on a PC plugged in right beside "
        "the internet router or firewall.",
        choices=(
            ("client", "Where people work (client)"),
            ("edge", "Beside the internet router (customer edge)"),
        ),
    ),
    "measured_where": Wording(
        "Which PC or place?", "For example “3rd floor Wi-Fi” or “server room”."
    ),
    "measured_on": Wording("When was it measured?", "Leave it empty to use the date in the file."),
    "rtt_ms": Wording(
        "Round trip, or latency (ms)", "The tool's LATENCY figure. Leave empty if unknown."
    ),
    "jitter_ms": Wording("Jitter (ms)", "The tool's JITTER figure. Leave empty if unknown."),
    "loss_pct": Wording(
        "Packet loss (%)", "The tool's LOSS RATE, from 0 to 100. Leave empty if unknown."
    ),
    "reorder_pct": Wording("Packets out of order (%)", "Leave empty if the tool does not show it."),
    "tool": Wording("Measured with", "Whatever tool gave you the figures."),
}

# Figures typed by hand come from no file: their date, when left empty, is today's.
TYPED_FIGURES_STEP: dict[str, Wording] = {
    **MEASUREMENT_STEP,
    "measured_on": Wording("When was it measured?", "Leave it empty if it was today."),
}

CATALOGUE: dict[type[models.Model], tuple[Question, ...]] = {
    Assessment: ORGANISATION,
    Site: SITE,
    Circuit: CIRCUIT,
}
_SECTIONS = {Assessment: ORGANISATION_SECTIONS, Site: SITE_SECTIONS, Circuit: CIRCUIT_SECTIONS}

# Model fields that are not answers: identity, bookkeeping and workflow, kept by services.
NOT_QUESTIONS: dict[type[models.Model], frozenset[str]] = {
    Assessment: frozenset(
        {
            "id",
            "created_at",
            "updated_at",
            "version",
            "organisation",
            "customer",
            "title",
            "owner",
            "status",
            "status_changed_at",
            "submitted_at",
        }
    ),
    # The name and city folded for search in any script (portal/search.py), kept on save.
    Site: frozenset(
        {"id", "created_at", "updated_at", "version", "assessment", "position"}
        | {"search_name", "search_city"}
    ),
    Circuit: frozenset({"id", "created_at", "updated_at", "site"}),
}


def question(model: type[models.Model], name: str) -> Question:
    """The catalogue entry of one answer.

    Args:
        model: ``Assessment``, ``Site`` or ``Circuit``.
        name: The model field's name.

    Returns:
        Its question.

    Raises:
        KeyError: ``name`` is not a question of ``model``.
    """
    for entry in CATALOGUE[model]:
        if entry.name == name:
            return entry
    raise KeyError(f"{model.__name__}.{name} is not in the question catalogue")


def names(model: type[models.Model]) -> list[str]:
    """Every question of ``model``, in the order of its staff page."""
    return [q.name for q in CATALOGUE[model]]


def sections(model: type[models.Model]) -> list[tuple[str, str, list[str]]]:
    """The staff page's sections of ``model``: (key, title, field names), in page order."""
    return [
        (key, title, [q.name for q in CATALOGUE[model] if q.section == key])
        for key, title in _SECTIONS[model].items()
    ]


def grid_fields() -> list[str]:
    """The sites grid's columns (site fields), in column order."""
    return [q.name for q in SITE if q.grid]


def bulk_fields() -> list[str]:
    """The site fields a sales engineer may set on many sites at once, in list order."""
    return [q.name for q in sorted((q for q in SITE if q.bulk), key=lambda q: q.bulk)]


def scenario_fields(model: type[models.Model]) -> list[str]:
    """The answers of ``model`` a what-if scenario may change, in the order it lists them."""
    varied = [q for q in CATALOGUE[model] if q.scenario]
    return [q.name for q in sorted(varied, key=lambda q: q.scenario)]


def customer_site_groups() -> list[tuple[str, list[str]]]:
    """The customer's site page: (group title, field names), groups in order of first question."""
    groups: dict[str, list[str]] = {}
    for q in SITE:
        if q.customer:
            groups.setdefault(q.customer, []).append(q.name)
    return list(groups.items())


def customer_wording(model: type[models.Model]) -> dict[str, Wording]:
    """How the customer's questionnaire asks the questions of ``model``, by field name."""
    return {q.name: q.customer_wording for q in CATALOGUE[model] if q.customer_wording}


def customer_groups(step: str) -> list[tuple[str, list[str]]]:
    """The questions of one step of the customer's questionnaire, grouped as its page shows them.

    The voice step is the "operations" section (how the customer wants to run voice), the
    organisation step every other organisation section; the sites step groups the site
    questions customers are asked (see :func:`customer_site_groups`).

    Args:
        step: "organisation", "voice" or "sites".

    Returns:
        (group title, field names) in page order.
    """
    if step == "sites":
        return customer_site_groups()
    voice = step == "voice"
    return [
        (title, names)
        for key, title, names in sections(Assessment)
        if (key == "operations") == voice
    ]


def customer_fields(step: str) -> list[str]:
    """The fields one step of the customer's questionnaire asks, in page order."""
    return [name for _title, names in customer_groups(step) for name in names]


def file_columns(model: type[models.Model]) -> list[Question]:
    """The questions of ``model`` that site list files carry, in the files' column order.

    Args:
        model: ``Site`` or ``Circuit`` (organisation answers are not in site lists).

    Returns:
        The questions with a :attr:`Question.column`, by :attr:`Question.column_place`
        where given, else in page order.
    """
    carried = [q for q in CATALOGUE[model] if q.column]
    return sorted(carried, key=lambda q: q.column_place or 0)


# One appendix column: (header prefix, ((field, column label), ...), width class).
AppendixColumn = tuple[str, tuple[tuple[str, str], ...], str]


def appendix_tables() -> tuple[tuple[str, tuple[AppendixColumn, ...]], ...]:
    """The site tables of the proposal's answers appendix, from the site questions.

    Returns:
        (table title, columns) in the order shown, each column (header prefix,
        ((field, column label), ...) in its place order, width class). The internet
        lines column holds the pseudo-field ``circuits``.
    """
    placed: dict[str, list[Question]] = {key: [] for key in APPENDIX_COLUMNS}
    for q in SITE:
        if q.appendix:
            placed[q.appendix[0]].append(q)
    lines_column, lines_field, lines_label = APPENDIX_LINES
    tables: dict[str, list[AppendixColumn]] = {}
    for key, (title, prefix, width) in APPENDIX_COLUMNS.items():
        ordered = sorted(placed[key], key=lambda q: q.appendix[1])
        fields = tuple((q.name, q.appendix_label) for q in ordered)
        if key == lines_column:
            fields = ((lines_field, lines_label),)
        tables.setdefault(title, []).append((prefix, fields, width))
    return tuple((title, tuple(columns)) for title, columns in tables.items())
