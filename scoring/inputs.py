"""Engine input: frozen dataclasses mirroring the Assessment, Site and Circuit models."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum

# The choice enums below repeat the *values* of the TextChoices in
# assessments/models/assessments.py and base.py, so the Django adapter can copy a
# model field straight into an input field. Labels live with the models (and, for
# results, in results.py); the engine only compares values.


class YesNoUnknown(StrEnum):
    """A yes / no / don't-know answer; "unknown" is scored as missing data."""

    UNKNOWN = "unknown"
    YES = "yes"
    NO = "no"


class CurrentTelephony(StrEnum):
    """What carries calls today (Assessment.current_telephony)."""

    UNKNOWN = "unknown"
    ONPREM_PBX = "onprem_pbx"
    HOSTED_PBX = "hosted_pbx"
    SKYPE_SERVER = "skype_server"
    TEAMS = "teams"
    NONE = "none"
    MIXED = "mixed"


class ExistingSbcs(StrEnum):
    """Session Border Controllers the customer runs today."""

    UNKNOWN = "unknown"
    NONE = "none"
    CERTIFIED = "certified"
    NOT_CERTIFIED = "not_certified"


class OperatingModel(StrEnum):
    """Voice as a product the company uses, or a platform it operates."""

    UNDECIDED = "undecided"
    PRODUCT = "product"
    PLATFORM = "platform"


class VoiceSkills(StrEnum):
    """Voice / SBC skills in IT."""

    UNKNOWN = "unknown"
    NONE = "none"
    GENERALIST = "generalist"
    DEDICATED = "dedicated"


class Level(StrEnum):
    """A low / medium / high answer (risk tolerance)."""

    UNKNOWN = "unknown"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Timeline(StrEnum):
    """When calling must go live."""

    UNKNOWN = "unknown"
    URGENT = "urgent"
    NORMAL = "normal"
    RELAXED = "relaxed"


class RoutingComplexity(StrEnum):
    """How complex call routing is."""

    UNKNOWN = "unknown"
    SIMPLE = "simple"
    MODERATE = "moderate"
    COMPLEX = "complex"


class ContactCentre(StrEnum):
    """Contact-centre integration (domain.md §1.9, S28)."""

    UNKNOWN = "unknown"
    NONE = "none"
    TEAMS_NATIVE = "teams_native"
    CONNECT = "connect"
    EXTEND = "extend"


class LicencesHeld(StrEnum):
    """Teams Phone licences the customer already holds (cost of ownership, issue 18)."""

    UNKNOWN = "unknown"
    NONE = "none"
    E5 = "e5"  # Microsoft 365 / Office 365 E5 includes Teams Phone Standard
    STANDALONE = "standalone"


class Breakout(StrEnum):
    """Where the site's internet traffic leaves the network."""

    UNKNOWN = "unknown"
    LOCAL = "local"
    BACKHAUL = "backhaul"


class Bypass(StrEnum):
    """Whether Teams media goes through a proxy or VPN."""

    UNKNOWN = "unknown"
    NOT_PRESENT = "none"
    BYPASSED = "bypassed"
    THROUGH = "through"


class Qos(StrEnum):
    """DSCP marking and honouring."""

    UNKNOWN = "unknown"
    END_TO_END = "end_to_end"
    PARTIAL = "partial"
    NONE = "none"


class WiFi(StrEnum):
    """The site's wireless LAN."""

    UNKNOWN = "unknown"
    ENTERPRISE_5GHZ = "enterprise_5ghz"
    MANAGED_24GHZ = "managed_24ghz"
    UNMANAGED = "unmanaged"
    WIRED_ONLY = "wired_only"


class Regulation(StrEnum):
    """Telecom regulation at the site."""

    UNKNOWN = "unknown"
    NONE = "none"
    TOLL_BYPASS = "toll_bypass"
    OTHER = "other"


class Readiness(StrEnum):
    """A ready / partly / not ready answer (emergency addresses)."""

    UNKNOWN = "unknown"
    READY = "ready"
    PARTIAL = "partial"
    NOT_READY = "not_ready"


class MeasurementTool(StrEnum):
    """Which tool produced the path measurements ("" = none given)."""

    NONE = ""
    NAT = "nat"
    CONNECTIVITY_TEST = "connectivity"
    CQD = "cqd"
    OTHER = "other"


class CircuitRole(StrEnum):
    """A circuit's role at the site."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    BACKUP = "backup"


# Primary first, then secondary, then backup: the order every page, export and the PDF list
# a site's circuits in (alphabetical order would put backup first).
CIRCUIT_ROLE_ORDER: tuple[str, ...] = tuple(r.value for r in CircuitRole)


def circuit_order(role: str) -> int:
    """Sort key of a circuit role (primary first, backup last, anything else after)."""
    try:
        return CIRCUIT_ROLE_ORDER.index(role)
    except ValueError:
        return len(CIRCUIT_ROLE_ORDER)


class Persona(StrEnum):
    """How a group of on-site users calls (domain.md §3.1 Network Planner personas).

    Teams Rooms are not a persona here: they are counted per room (``teams_rooms``).
    """

    AUDIO_ONLY = "audio_only"
    OFFICE_WORKER = "office_worker"
    HEAVY_VIDEO = "heavy_video"


class CircuitKind(StrEnum):
    """A circuit's technology."""

    DIA = "dia"
    BROADBAND = "broadband"
    MPLS = "mpls"
    CELLULAR = "cellular"
    SATELLITE = "satellite"
    OTHER = "other"


class InputError(ValueError):
    """An input dataclass was given a value the engine cannot score."""


def _values(enum: type[StrEnum]) -> frozenset[str]:
    return frozenset(member.value for member in enum)


def _check_choices(obj: object, choices: dict[str, frozenset[str]]) -> None:
    for name, allowed in choices.items():
        value = getattr(obj, name)
        if value not in allowed:
            raise InputError(
                f"{type(obj).__name__}.{name}: {value!r} is not one of {sorted(allowed)}"
            )


def _check_number(obj: object, name: str, *, upper: float, lower: float = 0) -> None:
    value = getattr(obj, name)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{type(obj).__name__}.{name}: {value!r} is not a number")
    if math.isnan(value) or not lower <= value <= upper:
        raise InputError(f"{type(obj).__name__}.{name}: {value!r} is outside {lower:g}..{upper:g}")


_YNU = _values(YesNoUnknown)
_PERSONAS = _values(Persona)

# Ranges repeat the model validators so bad data fails here, not deep in a rule.
_CIRCUIT_CHOICES = {"role": _values(CircuitRole), "kind": _values(CircuitKind)}


@dataclass(frozen=True, slots=True)
class CircuitInput:
    """A network link of a site, with its capacity each way (mirrors ``Circuit``)."""

    down_mbps: float
    up_mbps: float
    role: str = CircuitRole.PRIMARY
    kind: str = CircuitKind.DIA
    provider: str = ""

    def __post_init__(self) -> None:
        _check_choices(self, _CIRCUIT_CHOICES)
        for name in ("down_mbps", "up_mbps"):
            _check_number(self, name, lower=0.01, upper=1_000_000)
            if getattr(self, name) is None:
                raise InputError(f"CircuitInput.{name} is required")


_SITE_CHOICES = {
    "overhead_paging": _YNU,
    "sdwan": _YNU,
    "lte_backup": _YNU,
    "internet_breakout": _values(Breakout),
    "proxy": _values(Bypass),
    "vpn": _values(Bypass),
    "qos": _values(Qos),
    "wifi": _values(WiFi),
    "firewall_media_ports": _YNU,
    "measurement_tool": _values(MeasurementTool),
    "operator_available": _YNU,
    "regulation": _values(Regulation),
    "needs_survivability": _YNU,
    "emergency_address_ready": _values(Readiness),
}

_SITE_COUNTS = {
    "users": 1_000_000,
    "teams_rooms": 10_000,
    "common_area_phones": 100_000,
    "analog_devices": 100_000,
    "fax_lines": 100_000,
    "door_elevator_phones": 100_000,
}

_SITE_MEASURES = {
    "client_rtt_ms": 10_000,
    "client_jitter_ms": 10_000,
    "client_loss_pct": 100,
    "client_reorder_pct": 100,
    "edge_rtt_ms": 10_000,
    "edge_jitter_ms": 10_000,
    "edge_loss_pct": 100,
    "edge_reorder_pct": 100,
}


@dataclass(frozen=True, slots=True)
class SiteInput:
    """One location of the customer (mirrors ``Site``; circuits nested).

    Measurements are ``None`` when not measured. ``client_*`` is client → Microsoft
    edge and ``edge_*`` is customer edge → Microsoft edge (domain.md §2.1).
    ``country`` is an ISO 3166-1 alpha-2 code (django-countries: ``site.country.code``).
    """

    name: str
    country: str
    city: str = ""
    address: str = ""
    users: int = 0
    peak_concurrency: int | None = None
    teams_rooms: int = 0
    common_area_phones: int = 0
    analog_devices: int = 0
    fax_lines: int = 0
    door_elevator_phones: int = 0
    overhead_paging: str = YesNoUnknown.UNKNOWN
    sdwan: str = YesNoUnknown.UNKNOWN
    lte_backup: str = YesNoUnknown.UNKNOWN
    internet_breakout: str = Breakout.UNKNOWN
    proxy: str = Bypass.UNKNOWN
    vpn: str = Bypass.UNKNOWN
    qos: str = Qos.UNKNOWN
    wifi: str = WiFi.UNKNOWN
    firewall_media_ports: str = YesNoUnknown.UNKNOWN
    client_rtt_ms: float | None = None
    client_jitter_ms: float | None = None
    client_loss_pct: float | None = None
    client_reorder_pct: float | None = None
    edge_rtt_ms: float | None = None
    edge_jitter_ms: float | None = None
    edge_loss_pct: float | None = None
    edge_reorder_pct: float | None = None
    measured_on: date | None = None
    measured_where: str = ""
    measurement_tool: str = MeasurementTool.NONE
    operator_available: str = YesNoUnknown.UNKNOWN
    regulation: str = Regulation.UNKNOWN
    needs_survivability: str = YesNoUnknown.UNKNOWN
    emergency_address_ready: str = Readiness.UNKNOWN
    notes: str = ""
    circuits: tuple[CircuitInput, ...] = ()
    # Ruleset 2 inputs, with defaults so today's callers work. ``personas``: on-site
    # users per persona, ((persona, users), ...); empty means Network Planner's default
    # split of ``users`` (80 % office workers on site, 20 % remote). ``backhaul_hub``: the
    # name of the site whose internet link carries this site's traffic ("" = its own).
    personas: tuple[tuple[str, int], ...] = ()
    backhaul_hub: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError("SiteInput.name must be a non-empty string")
        if not isinstance(self.backhaul_hub, str) or self.backhaul_hub == self.name:
            raise InputError("SiteInput.backhaul_hub must name another site")
        if not isinstance(self.personas, tuple) or not all(
            isinstance(p, tuple)
            and len(p) == 2
            and p[0] in _PERSONAS
            and isinstance(p[1], int)
            and not isinstance(p[1], bool)
            and 0 <= p[1] <= _SITE_COUNTS["users"]
            for p in self.personas
        ):
            raise InputError(
                f"SiteInput.personas: {self.personas!r} is not ((persona, users), ...) with "
                f"persona one of {sorted(_PERSONAS)}"
            )
        if not (
            isinstance(self.country, str)
            and len(self.country) == 2
            and self.country.isascii()
            and self.country.isupper()
        ):
            raise InputError(
                f"SiteInput.country: {self.country!r} is not an ISO 3166-1 alpha-2 code"
            )
        _check_choices(self, _SITE_CHOICES)
        for name, upper in _SITE_COUNTS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise InputError(f"SiteInput.{name}: {value!r} is not a whole number")
            _check_number(self, name, upper=upper)
        if self.peak_concurrency is not None:
            _check_number(self, "peak_concurrency", lower=1, upper=100)
        for name, upper in _SITE_MEASURES.items():
            _check_number(self, name, upper=upper)
        if not isinstance(self.circuits, tuple) or not all(
            isinstance(c, CircuitInput) for c in self.circuits
        ):
            raise InputError("SiteInput.circuits must be a tuple of CircuitInput")


@dataclass(frozen=True, slots=True)
class CustomerInput:
    """The customer an assessment is about (meta data, not scored)."""

    name: str = ""
    industry: str = ""
    country: str = ""


_ORG_CHOICES = {
    "current_telephony": _values(CurrentTelephony),
    "keep_current_carrier": _YNU,
    "carrier_in_operator_connect": _YNU,
    "multi_carrier": _YNU,
    "existing_sbcs": _values(ExistingSbcs),
    "operating_model": _values(OperatingModel),
    "voice_skills": _values(VoiceSkills),
    "risk_tolerance": _values(Level),
    "timeline": _values(Timeline),
    "routing_complexity": _values(RoutingComplexity),
    "pbx_coexistence": _YNU,
    "survivability_required": _YNU,
    "contact_centre": _values(ContactCentre),
    "compliance_recording": _YNU,
    "porting_required": _YNU,
    "dynamic_emergency_required": _YNU,
    "security_desk_notification": _YNU,
    "users_on_skype_server": _YNU,
    "teams_phone_licences": _values(LicencesHeld),
}

# What an hour of customer IT may cost in an assessment's own figure (any currency).
IT_HOURLY_COST_MAX = 100_000


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    """A whole assessment: organisation-wide answers (mirrors ``Assessment``) and sites.

    ``title`` and ``customer`` are carried for documents and reports; the engine
    does not score them. ``voice_staff_fte`` and ``it_hourly_cost`` may be given as a
    ``Decimal`` (the model's type); they are stored as floats.
    """

    title: str = ""
    customer: CustomerInput = field(default_factory=CustomerInput)
    current_telephony: str = CurrentTelephony.UNKNOWN
    pbx_contract_end: date | None = None
    current_carriers: str = ""
    keep_current_carrier: str = YesNoUnknown.UNKNOWN
    carrier_in_operator_connect: str = YesNoUnknown.UNKNOWN
    multi_carrier: str = YesNoUnknown.UNKNOWN
    existing_sbcs: str = ExistingSbcs.UNKNOWN
    sbc_count: int | None = None
    sbc_details: str = ""
    operating_model: str = OperatingModel.UNDECIDED
    voice_skills: str = VoiceSkills.UNKNOWN
    voice_staff_fte: float | None = None
    risk_tolerance: str = Level.UNKNOWN
    timeline: str = Timeline.UNKNOWN
    routing_complexity: str = RoutingComplexity.UNKNOWN
    pbx_coexistence: str = YesNoUnknown.UNKNOWN
    survivability_required: str = YesNoUnknown.UNKNOWN
    contact_centre: str = ContactCentre.UNKNOWN
    compliance_recording: str = YesNoUnknown.UNKNOWN
    mobile_first_share: int | None = None
    phone_numbers: int | None = None
    porting_required: str = YesNoUnknown.UNKNOWN
    dynamic_emergency_required: str = YesNoUnknown.UNKNOWN
    security_desk_notification: str = YesNoUnknown.UNKNOWN
    users_on_skype_server: str = YesNoUnknown.UNKNOWN
    notes: str = ""
    sites: tuple[SiteInput, ...] = ()
    # Cost of ownership (issue 18): licences already held and how many (``None``: every
    # user's), auto attendants and call queues (``None``: derived), and the customer's own
    # IT hourly cost in the price book's currency (``None``: the price book's). They move
    # costs only, never a score (engine.org_inputs_key leaves them out).
    teams_phone_licences: str = LicencesHeld.UNKNOWN
    teams_phone_licences_count: int | None = None
    auto_attendants_queues: int | None = None
    it_hourly_cost: float | None = None

    def __post_init__(self) -> None:
        for name in ("voice_staff_fte", "it_hourly_cost"):
            if isinstance(getattr(self, name), Decimal):
                # Frozen: the sanctioned writes, normalising the model's Decimals.
                object.__setattr__(self, name, float(getattr(self, name)))
        _check_choices(self, _ORG_CHOICES)
        _check_number(self, "sbc_count", upper=500)
        _check_number(self, "voice_staff_fte", upper=100)
        _check_number(self, "mobile_first_share", upper=100)
        _check_number(self, "phone_numbers", upper=10_000_000)
        _check_number(self, "teams_phone_licences_count", upper=10_000_000)
        _check_number(self, "auto_attendants_queues", upper=100_000)
        _check_number(self, "it_hourly_cost", upper=IT_HOURLY_COST_MAX)
        if not isinstance(self.sites, tuple) or not all(
            isinstance(s, SiteInput) for s in self.sites
        ):
            raise InputError("AssessmentInput.sites must be a tuple of SiteInput")
        seen: set[str] = set()
        for site in self.sites:
            if site.name in seen:
                raise InputError(f"AssessmentInput.sites: two sites are named {site.name!r}")
            seen.add(site.name)
        for site in self.sites:
            if site.backhaul_hub and site.backhaul_hub not in seen:
                raise InputError(
                    f"AssessmentInput.sites: {site.name!r} backhauls to {site.backhaul_hub!r}, "
                    "which is not one of its sites"
                )


# Site inputs that have no model field or document property (none since document version
# 2 asks for personas and the backhaul hub); the Django adapter and the document skip them.
ENGINE_ONLY_SITE_FIELDS: frozenset[str] = frozenset()


def field_names(cls: type) -> tuple[str, ...]:
    """Names of a dataclass's fields, in order (used by the document format)."""
    return tuple(f.name for f in fields(cls))
