"""The catalogue of questions: each answer of an assessment, site and circuit, and where it is."""

from __future__ import annotations

from dataclasses import dataclass

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


def _org(name: str, section: str, *, scenario: int | None = None) -> Question:
    return Question(Assessment, name, section, scenario=scenario)


def _site(name: str, section: str, **where) -> Question:
    return Question(Site, name, section, **where)


def _circuit(name: str, **where) -> Question:
    return Question(Circuit, name, "circuit", **where)


# Organisation answers (Assessment), in the order of the staff questionnaire. Every
# organisation answer but the notes may be varied by a what-if scenario.
ORGANISATION: tuple[Question, ...] = (
    _org("current_telephony", "telephony", scenario=1),
    _org("pbx_contract_end", "telephony", scenario=2),
    _org("current_carriers", "telephony", scenario=3),
    _org("keep_current_carrier", "telephony", scenario=4),
    _org("multi_carrier", "telephony", scenario=5),
    _org("existing_sbcs", "telephony", scenario=6),
    _org("sbc_count", "telephony", scenario=7),
    _org("sbc_details", "telephony", scenario=8),
    _org("users_on_skype_server", "telephony", scenario=9),
    _org("operating_model", "operations", scenario=10),
    _org("voice_skills", "operations", scenario=11),
    _org("voice_staff_fte", "operations", scenario=12),
    _org("risk_tolerance", "operations", scenario=13),
    _org("timeline", "operations", scenario=14),
    _org("routing_complexity", "features", scenario=15),
    _org("pbx_coexistence", "features", scenario=16),
    _org("survivability_required", "features", scenario=17),
    _org("contact_centre", "features", scenario=18),
    _org("compliance_recording", "features", scenario=19),
    _org("mobile_first_share", "features", scenario=20),
    _org("phone_numbers", "numbers", scenario=21),
    _org("porting_required", "numbers", scenario=22),
    _org("dynamic_emergency_required", "numbers", scenario=23),
    _org("security_desk_notification", "numbers", scenario=24),
    _org("notes", "numbers"),
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
    ),
    _site(
        "city",
        "location",
        column="City",
        aliases=("town", "locality", "city name"),
        grid=True,
        customer=WHERE,
    ),
    _site(
        "address",
        "location",
        column="Address",
        aliases=("street address", "street", "emergency address", "postal address", "site address"),
        customer=WHERE,
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
    ),
    _site(
        "common_area_phones",
        "people",
        column="Common area phones",
        aliases=("common area", "cap", "caps", "lobby phones"),
        customer=PEOPLE,
        appendix=("devices", 2),
        short="Common area",
    ),
    _site(
        "analog_devices",
        "people",
        column="Analog devices",
        aliases=("analog", "analogue devices", "analogue", "ata", "atas", "analog phones"),
        customer=PEOPLE,
        appendix=("devices", 3),
        short="Analog",
    ),
    _site(
        "fax_lines",
        "people",
        column="Fax lines",
        aliases=("fax", "faxes", "fax machines"),
        customer=PEOPLE,
        appendix=("devices", 4),
        short="Fax",
    ),
    _site(
        "door_elevator_phones",
        "people",
        column="Door / elevator / emergency phones",
        aliases=("door phones", "elevator phones", "lift phones", "emergency phones", "door entry"),
        customer=PEOPLE,
        appendix=("devices", 5),
        short="Door/lift",
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
    ),
    _site(
        "vpn",
        "network",
        column="VPN",
        bulk=5,
        scenario=5,
        customer=NETWORK,
        appendix=("path", 3),
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
    ),
    _site(
        "notes",
        "notes",
        column="Notes",
        aliases=("note", "comments", "comment", "remarks"),
        customer=CALLING_HERE,
    ),
)

# A site's internet lines, in the order of the circuit form. A site list file gives each
# circuit its own columns, capacity first ("Primary down (Mbps)", "Primary up (Mbps)",
# "Primary type", "Primary provider"); the role is not a column of its own but names them.
# A circuit's heading and aliases are the words after its role ("Backup download").
CIRCUIT: tuple[Question, ...] = (
    _circuit("role"),
    _circuit(
        "kind",
        column="type",
        aliases=("type", "kind", "circuit type", "link type", "connection type", "access type"),
        column_place=3,
    ),
    _circuit(
        "down_mbps",
        column="down (Mbps)",
        aliases=("down", "download", "downstream", "bandwidth down", "download speed"),
        column_place=1,
    ),
    _circuit(
        "up_mbps",
        column="up (Mbps)",
        aliases=("up", "upload", "upstream", "bandwidth up", "upload speed"),
        column_place=2,
    ),
    _circuit(
        "provider",
        column="provider",
        aliases=("provider", "isp", "internet provider", "carrier"),
        column_place=4,
    ),
)

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
    Site: frozenset({"id", "created_at", "updated_at", "version", "assessment", "position"}),
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
