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
    """

    model: type[models.Model]
    name: str
    section: str
    grid: bool = False
    bulk: int | None = None
    scenario: int | None = None
    customer: str | None = None

    @property
    def field(self) -> models.Field:
        """The model field that stores the answer."""
        return self.model._meta.get_field(self.name)

    @property
    def label(self) -> str:
        """The label staff read (acronyms right)."""
        return presenters.label(self.model, self.name)

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
    _site("name", "location", grid=True, customer=WHERE),
    _site("country", "location", grid=True, customer=WHERE),
    _site("city", "location", grid=True, customer=WHERE),
    _site("address", "location", customer=WHERE),
    _site("users", "people", grid=True, bulk=16, customer=PEOPLE),
    _site("peak_concurrency", "people", bulk=14, scenario=12, customer=PEOPLE),
    _site("teams_rooms", "people", grid=True, bulk=15, customer=PEOPLE),
    _site("common_area_phones", "people", customer=PEOPLE),
    _site("analog_devices", "people", customer=PEOPLE),
    _site("fax_lines", "people", customer=PEOPLE),
    _site("door_elevator_phones", "people", customer=PEOPLE),
    _site("overhead_paging", "people", bulk=13, customer=PEOPLE),
    _site("internet_breakout", "network", grid=True, bulk=3, scenario=3, customer=NETWORK),
    _site("sdwan", "network", bulk=2, scenario=2, customer=NETWORK),
    _site("lte_backup", "network", grid=True, bulk=1, scenario=1, customer=NETWORK),
    _site("proxy", "network", bulk=4, scenario=4, customer=NETWORK),
    _site("vpn", "network", bulk=5, scenario=5, customer=NETWORK),
    _site("qos", "network", grid=True, bulk=6, scenario=6, customer=NETWORK),
    _site("wifi", "network", grid=True, bulk=7, scenario=7, customer=NETWORK),
    _site("firewall_media_ports", "network", bulk=8, scenario=8, customer=CALLING_HERE),
    _site("client_rtt_ms", "measurements", grid=True, scenario=13),
    _site("client_jitter_ms", "measurements", grid=True, scenario=14),
    _site("client_loss_pct", "measurements", grid=True, scenario=15),
    _site("client_reorder_pct", "measurements"),
    _site("edge_rtt_ms", "measurements", scenario=16),
    _site("edge_jitter_ms", "measurements", scenario=17),
    _site("edge_loss_pct", "measurements", scenario=18),
    _site("edge_reorder_pct", "measurements"),
    _site("measured_on", "measurements"),
    _site("measured_where", "measurements"),
    _site("measurement_tool", "measurements"),
    _site("operator_available", "calling", bulk=9, scenario=10),
    _site("regulation", "calling", bulk=10),
    _site("needs_survivability", "calling", bulk=11, scenario=11, customer=CALLING_HERE),
    _site("emergency_address_ready", "calling", bulk=12, scenario=9, customer=CALLING_HERE),
    _site("notes", "notes", customer=CALLING_HERE),
)

# A site's internet lines, in the order of the circuit form.
CIRCUIT: tuple[Question, ...] = tuple(
    Question(Circuit, name, "circuit")
    for name in ("role", "kind", "down_mbps", "up_mbps", "provider")
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
