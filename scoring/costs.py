"""What each PSTN model costs over three years, from the partner's price book."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import permutations
from typing import Any

from scoring import sources as S
from scoring.inputs import AssessmentInput, LicencesHeld, SiteInput, YesNoUnknown
from scoring.ownership import CP as COL_CP
from scoring.ownership import DR_HOSTED as COL_DRH
from scoring.ownership import DR_SELF as COL_DR
from scoring.ownership import OC as COL_OC
from scoring.price_lines import LINES, price_problem
from scoring.results import MODEL_LABELS, AssessmentResult, EstateResult, Model, OwnershipSummary
from scoring.sbc_sizing import (
    SBC_CLASS_LABELS,
    SbcGroup,
    SbcPlan,
    peak_calls,
    sbc_plan,
    size_class,
    transcoding_needed,
)

# The horizon of the cost of ownership: three years, month by month (issue 18).
MONTHS = 36
# Bump on any change to a cost rule (a count, SBC sizing, a sum), as RULESET_VERSION is for
# scores: a stored cost (a proposal's snapshot) says which rules produced it.
COST_RULES_VERSION = "1.0.0"


class PriceBookError(ValueError):
    """A price book the engine cannot use (an unknown line, a negative or absurd price)."""


@dataclass(frozen=True, slots=True)
class PriceBook:
    """The partner's prices, as the engine reads them.

    Attributes:
        currency: ISO 4217 code of every price ("EUR").
        prices: Price per line key (``scoring.price_lines.LINES``); ``None`` or a missing
            key means "not priced", which leaves a model needing the line not priced
            (never free).
        version: The stored book's version the prices came from (``None``: no book yet).
    """

    currency: str = "EUR"
    prices: Mapping[str, Decimal | None] = field(default_factory=dict)
    version: int | None = None

    def __post_init__(self) -> None:
        if not (
            isinstance(self.currency, str)
            and len(self.currency) == 3
            and self.currency.isascii()
            and self.currency.isalpha()
            and self.currency.isupper()
        ):
            raise PriceBookError(f"{self.currency!r} is not an ISO 4217 currency code")
        problems = [
            problem
            for key, value in self.prices.items()
            if (problem := price_problem(key, value, self.currency)) is not None
        ]
        if problems:
            raise PriceBookError("; ".join(problems))
        # Frozen: normalise to an immutable dict of Decimals the once it is built.
        object.__setattr__(
            self,
            "prices",
            {k: None if v is None else Decimal(v) for k, v in self.prices.items()},
        )

    def price(self, key: str) -> Decimal | None:
        """The price of a line, or ``None`` when the book leaves it blank.

        Args:
            key: A line key of ``scoring.price_lines.LINES``.

        Returns:
            The price, or ``None`` for "not priced".
        """
        if key not in LINES:
            raise KeyError(key)
        return self.prices.get(key)


EMPTY_BOOK = PriceBook()


@dataclass(frozen=True, slots=True)
class Count:
    """A count the costs are built on, with the rule behind it.

    Attributes:
        key: Stable identifier ("teams_phone_users").
        label: What is counted, in plain words.
        count: How many.
        rule: How it was counted from the answers, in plain words.
        fields: The inputs it comes from.
        source: Where the rule comes from (a Microsoft page, or "partner's assumption").
    """

    key: str
    label: str
    count: int
    rule: str
    fields: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class CostLine:
    """One figure of a model's cost: a count times a price-book line.

    Attributes:
        key: Stable identifier of the item ("service", "teams_phone").
        label: What is paid for.
        period: "one_off" or "year".
        count: How many units (users, SBCs, hours...).
        rule: Where the count comes from, in plain words.
        price_line: The price-book line priced (``scoring.price_lines.LINES``).
        unit_price: The book's price, or ``None`` when not priced.
        factor: Periods per year the price is paid (12 for a monthly price, 1 otherwise).
        amount: ``count x unit_price x factor`` rounded to cents, or ``None`` if not priced.
        required: False when a blank price leaves the item out without unpricing the model.
    """

    key: str
    label: str
    period: str
    count: Decimal
    rule: str
    price_line: str
    unit_price: Decimal | None
    factor: int
    amount: Decimal | None
    required: bool = True


@dataclass(frozen=True, slots=True)
class ModelCost:
    """The cost of ownership of one PSTN model (or of the recommended design).

    Attributes:
        model: A ``scoring.results.Model`` value, or "design" for the recommended design.
        label: Its name.
        priced: False when a price the model needs is blank: the totals are then ``None``.
        missing: The price-book lines left blank that the model needs.
        one_off: The one-off cost.
        per_year: The recurring cost per year.
        total: One-off plus ``months`` of recurring cost.
        cumulative: Cumulative cost at the end of month 0 (the one-off) to ``months``.
        lines: Every figure, one-off first.
        note: Why the model is shown even where it is not offered, or "".
    """

    model: str
    label: str
    priced: bool
    missing: tuple[str, ...]
    one_off: Decimal | None
    per_year: Decimal | None
    total: Decimal | None
    cumulative: tuple[Decimal, ...]
    lines: tuple[CostLine, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class BreakEven:
    """The month a model dearer at first becomes the cheaper one over time.

    Attributes:
        model: The model whose higher one-off cost pays back.
        versus: The model it is compared with.
        month: The first month its cumulative cost is at or below ``versus``'s.
    """

    model: str
    versus: str
    month: int


@dataclass(frozen=True, slots=True)
class CostResult:
    """The cost of ownership of every PSTN model and of the recommended design.

    Attributes:
        currency: The price book's currency (ISO 4217).
        price_book_version: The book's version (``None``: no price book yet).
        months: The horizon (36).
        counts: Licence and device counts, with their rules.
        sbc: SBC sizing for self-managed Direct Routing.
        models: One cost per PSTN model.
        design: The recommended design's cost (``None`` without a recommendation).
        break_even: Months where a dearer start pays back, design and models included.
        assumptions: What the figures assume, in plain words.
        rules_version: The cost rules that produced it (:data:`COST_RULES_VERSION`).
    """

    currency: str
    price_book_version: int | None
    months: int
    counts: tuple[Count, ...]
    sbc: SbcPlan
    models: tuple[ModelCost, ...]
    design: ModelCost | None
    break_even: tuple[BreakEven, ...]
    assumptions: tuple[str, ...]
    rules_version: str = COST_RULES_VERSION

    @property
    def priced(self) -> bool:
        """Whether any model (or the design) has a price."""
        return any(m.priced for m in self.models) or bool(self.design and self.design.priced)

    def model(self, model: str) -> ModelCost:
        """The cost of one model (``"design"`` for the recommended design).

        Args:
            model: A ``scoring.results.Model`` value or ``"design"``.

        Returns:
            Its cost.
        """
        if model == DESIGN and self.design is not None:
            return self.design
        return next(m for m in self.models if m.model == model)

    def to_dict(self) -> dict[str, Any]:
        """Return the costs as plain JSON-able values (amounts as decimal strings)."""
        plain: dict[str, Any] = _plain(self)
        return plain


DESIGN = "design"


def _plain(obj: Any) -> Any:
    """Like ``results.to_plain``, with amounts as exact decimal strings ("1234.50")."""
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, tuple | list):
        return [_plain(item) for item in obj]
    if hasattr(obj, "__dataclass_fields__"):
        return {name: _plain(getattr(obj, name)) for name in obj.__dataclass_fields__}
    return obj


OC, DR, DRH, CP, TPM = (
    Model.OPERATOR_CONNECT.value,
    Model.DIRECT_ROUTING.value,
    Model.DIRECT_ROUTING_HOSTED.value,
    Model.CALLING_PLANS.value,
    Model.TEAMS_PHONE_MOBILE.value,
)
# The order models are listed in: the order of the ownership matrix, then Teams Phone Mobile.
MODELS: tuple[str, ...] = (OC, DR, DRH, CP, TPM)

# The ownership matrix's column whose hours each model's customer IT spends. Teams Phone
# Mobile is sold by Operator Connect operators and administered alike in Teams (S11), so
# it takes Operator Connect's column.
OWNERSHIP_COLUMN = {OC: COL_OC, DR: COL_DR, DRH: COL_DRH, CP: COL_CP, TPM: COL_OC}

# Professional services days to deploy a model: (base days, days per site). The partner's
# own assumption: a tenant-wide design and set-up, then each site's numbers, emergency
# addresses and cut-over; self-managed Direct Routing adds PS_DAYS_PER_SBC per SBC built.
PS_DAYS: dict[str, tuple[Decimal, Decimal]] = {
    OC: (Decimal(3), Decimal("0.5")),
    DR: (Decimal(8), Decimal("0.5")),
    DRH: (Decimal(4), Decimal("0.5")),
    CP: (Decimal(2), Decimal("0.5")),
    TPM: (Decimal(3), Decimal("0.25")),
}
PS_DAYS_PER_SBC = Decimal(1)

_CENT = Decimal("0.01")
_ONE_OFF, _YEAR = "one_off", "year"

# Where each count's rule comes from (Count.source).
# Resource Account licences given with Teams Phone: 25, and one more per 10 licences
# (Microsoft Teams Phone Resource Account licenses, "Resource Account license allocation").
RESOURCE_ACCOUNTS_FREE = 25
RESOURCE_ACCOUNTS_PER_FREE = 10

ASSUMED = "The partner's assumption"
ANSWERS = "The assessment's answers"


def _src(source: S.Source) -> str:
    return f"{source.title} ({source.url})"


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _count(value: int | Decimal) -> Decimal:
    return Decimal(value)


def _plural(n: int | Decimal, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


@dataclass(frozen=True, slots=True)
class _Facts:
    """What every model's cost reads: the counts, keyed, and the IT hourly rate."""

    inputs: AssessmentInput
    prices: PriceBook
    counts: dict[str, Count]
    it_hour: Decimal | None
    it_hour_rule: str
    remediation_sites: int
    calls: Mapping[str, int]  # each site's peak calls, computed once (2,000-site estates)

    def n(self, key: str) -> int:
        return self.counts[key].count


def _users_needing_licence(inputs: AssessmentInput, users: int) -> tuple[int, int, str]:
    """(held, to buy, rule) for Teams Phone licences."""
    held_answer = inputs.teams_phone_licences
    if held_answer in (LicencesHeld.E5, LicencesHeld.STANDALONE):
        what = "Microsoft 365 E5" if held_answer == LicencesHeld.E5 else "Teams Phone Standard"
        if inputs.teams_phone_licences_count is None:
            return users, 0, f"Every user already holds Teams Phone ({what}): none to buy."
        held = min(inputs.teams_phone_licences_count, users)
        return (
            held,
            users - held,
            (
                f"{users:,} user(s) less {inputs.teams_phone_licences_count:,} licence(s) already "
                f"held ({what})."
            ),
        )
    if held_answer == LicencesHeld.NONE:
        return 0, users, "No Teams Phone licences held today: one for every user."
    return (
        0,
        users,
        (
            "Not known whether Teams Phone licences are held (E5 includes them): one counted for "
            "every user until that is found out."
        ),
    )


def licence_counts(
    inputs: AssessmentInput,
    remediation_sites: int = 0,
    calls: Mapping[str, int] | None = None,
) -> tuple[Count, ...]:
    """The counts the costs are built on, each with its rule and source.

    Args:
        inputs: The assessment.
        remediation_sites: Sites whose network is not graded Ready (from the result).
        calls: Each site's peak calls by name, if computed already (:func:`peak_calls`).

    Returns:
        Users, licences to buy, shared devices, rooms, resource accounts, numbered
        endpoints, peak calls, gateway ports, numbers to port and sites to remediate.
    """
    sites = inputs.sites
    users = sum(s.users for s in sites)
    held, to_buy, held_rule = _users_needing_licence(inputs, users)
    shared = sum(s.common_area_phones for s in sites)
    analog = sum(s.analog_devices for s in sites)
    rooms = sum(s.teams_rooms for s in sites)
    countries = len({s.country for s in sites})
    if inputs.auto_attendants_queues is not None:
        accounts = inputs.auto_attendants_queues
        accounts_rule = "As answered: one resource account per auto attendant and call queue."
        accounts_source = ANSWERS
    else:
        accounts = countries + len(sites)
        accounts_rule = (
            f"Not answered: one auto attendant per country ({countries}) and one call queue "
            f"per site ({len(sites)}), each with its resource account."
        )
        accounts_source = ASSUMED
    # Microsoft allots 25 Resource Account licences, plus one per 10 Teams Phone or Shared
    # Devices licences, at no cost; only those beyond are bought (RESOURCE_ACCOUNTS). Users
    # and common area phones are counted, analog devices not: never a larger free allotment
    # than every model gets.
    allotted = RESOURCE_ACCOUNTS_FREE + (users + shared) // RESOURCE_ACCOUNTS_PER_FREE
    accounts_to_buy = max(0, accounts - allotted)
    ports = sum(
        s.analog_devices + s.fax_lines + s.door_elevator_phones
        + (1 if s.overhead_paging == YesNoUnknown.YES else 0)
        for s in sites
    )  # fmt: skip
    peak = sum(calls[s.name] for s in sites) if calls is not None else sum(map(peak_calls, sites))
    endpoints = users + shared
    if inputs.porting_required == YesNoUnknown.NO:
        port, port_rule = 0, "No numbers will be ported."
    else:
        base = inputs.phone_numbers if inputs.phone_numbers is not None else endpoints
        port = base
        port_rule = (
            "Every number answered" if inputs.phone_numbers is not None
            else "Numbers not answered: one per user and common area phone"
        ) + (
            " is ported." if inputs.porting_required == YesNoUnknown.YES
            else ", counted as ported until the porting answer is known."
        )  # fmt: skip
    return (
        Count("users", "Users", users, "Sum of each site's users.", ("users",), ANSWERS),
        Count("teams_phone_held", "Teams Phone licences already held", held, held_rule,
              ("teams_phone_licences", "teams_phone_licences_count"), ANSWERS),
        Count("teams_phone_users", "Teams Phone licences to buy", to_buy,
              "Every user who makes or takes phone calls needs Teams Phone. " + held_rule,
              ("users", "teams_phone_licences", "teams_phone_licences_count"),
              _src(S.TEAMS_PHONE_LICENSING)),
        Count("common_area_phones", "Common area phones", shared,
              "Sum of each site's common area phones, each with a shared device licence.",
              ("common_area_phones",), _src(S.SHARED_DEVICE_LICENSING)),
        Count("analog_devices", "Analog devices on SIP Gateway", analog,
              "Sum of each site's analog devices: on an ATA through SIP Gateway each signs "
              "in as a shared device and needs its licence (not behind a self-managed "
              "Direct Routing SBC, which carries them without one).",
              ("analog_devices",), _src(S.SIP_GATEWAY)),
        Count("teams_rooms", "Teams Rooms", rooms, "Sum of each site's Teams Rooms.",
              ("teams_rooms",), _src(S.ROOMS_LICENSING)),
        Count("resource_accounts", "Resource accounts (auto attendants, call queues)",
              accounts, accounts_rule, ("auto_attendants_queues",), accounts_source),
        Count("resource_accounts_to_buy", "Resource accounts beyond the free allotment",
              accounts_to_buy,
              f"Microsoft gives {RESOURCE_ACCOUNTS_FREE} Resource Account licences, plus one "
              f"per {RESOURCE_ACCOUNTS_PER_FREE} Teams Phone and Shared Devices licences "
              f"({users + shared}), at no cost: {allotted} free for {accounts} accounts.",
              ("auto_attendants_queues", "users", "common_area_phones"),
              _src(S.RESOURCE_ACCOUNTS)),
        Count("endpoints", "Numbered users and phones (Calling Plan users)", endpoints,
              "Every user and common area phone has a number and a calling service.",
              ("users", "common_area_phones"), _src(S.CALLING_PLANS)),
        Count("peak_calls", "Peak concurrent calls (channels)", peak,
              "Each site's users at its peak concurrency (80 % on site when no personas are "
              "given), rounded up per site; every call counted as possibly external.",
              ("users", "peak_concurrency", "personas"), _src(S.NETWORK_PLANNER)),
        Count("gateway_ports", "Gateway and ATA ports", ports,
              "One port per analog device, fax line and door or lift phone, and one per "
              "site with overhead paging.",
              ("analog_devices", "fax_lines", "door_elevator_phones", "overhead_paging"),
              _src(S.ANALOG)),
        Count("numbers_to_port", "Numbers to port", port, port_rule,
              ("porting_required", "phone_numbers"), ANSWERS),
        Count("remediation_sites", "Sites needing network work", remediation_sites,
              "Sites whose network is not graded Ready today.", ("network",),
              _src(S.PREPARE_NETWORK)),
    )  # fmt: skip


def _line(
    facts: _Facts,
    key: str,
    label: str,
    period: str,
    count: int | Decimal,
    rule: str,
    price_line: str,
    *,
    required: bool = True,
    price: Decimal | None = None,
    from_book: bool = True,
) -> CostLine:
    unit = facts.prices.price(price_line) if from_book else price
    factor = 12 if LINES[price_line].kind == "monthly" else 1
    qty = _count(count)
    amount = None if unit is None else _money(qty * unit * factor)
    return CostLine(key, label, period, qty, rule, price_line, unit, factor, amount, required)


def _groups_rule(groups: Sequence[SbcGroup]) -> str:
    """How some SBCs were sized: each region's pair, and the sites' own SBCs summed up.

    A site's own SBCs are told in one sentence, so that a line's rule does not grow with
    the estate.
    """
    parts = [f"{g.region}: {g.rule}" for g in groups if not g.local]
    local = [g for g in groups if g.local]
    if local:
        sbcs = sum(g.sbcs for g in local)
        parts.append(
            f"{_plural(sbcs, 'SBC')} of the sites' own at {_plural(len(local), 'site')} "
            "(a gateway for paging, fax, door phones or analog devices, survivability, or "
            "toll bypass), each sized on its site's peak."
        )
    return " ".join(parts)


def _sbc_lines(facts: _Facts, groups: Sequence[SbcGroup], what: str, key: str) -> list[CostLine]:
    """Hardware, session licences, support and certificates of some SBCs."""
    if not groups:
        return []
    lines: list[CostLine] = []
    by_size: dict[str, list[SbcGroup]] = {}
    for g in groups:
        by_size.setdefault(g.size, []).append(g)
    for size, members in by_size.items():
        n = sum(g.sbcs for g in members)
        rule = _groups_rule(members)
        lines.append(
            _line(
                facts,
                f"{key}.{size}",
                f"{what}: {SBC_CLASS_LABELS[size].lower()} SBCs",
                _ONE_OFF,
                n,
                rule,
                f"sbc_{size}",
            )  # fmt: skip
        )
    sbcs = sum(g.sbcs for g in groups)
    licences = sum(g.session_licences for g in groups)
    lines.append(
        _line(
            facts,
            f"{key}.sessions",
            f"{what}: session licences",
            _ONE_OFF,
            licences,
            "Each SBC licensed for the peak calls it may carry alone.",
            "sbc_session_licence",
        )  # fmt: skip
    )
    lines.append(
        _line(
            facts,
            f"{key}.support",
            f"{what}: SBC support",
            _YEAR,
            sbcs,
            f"{_plural(sbcs, 'SBC')}, each under support.",
            "sbc_support_year",
        )  # fmt: skip
    )
    lines.append(
        _line(
            facts,
            f"{key}.certificates",
            f"{what}: SBC certificates",
            _YEAR,
            sbcs,
            "A public certificate on every SBC: Direct Routing needs one from a trusted authority.",
            "sbc_certificate_year",
        )  # fmt: skip
    )
    return lines


def _gateway_groups(sites: Sequence[SiteInput]) -> list[SbcGroup]:
    """One small SBC gateway per site with paging, fax or door phones (domain.md §1.9)."""
    groups = []
    for s in sites:
        devices = (
            (1 if s.overhead_paging == YesNoUnknown.YES else 0) + s.fax_lines
            + s.door_elevator_phones
        )  # fmt: skip
        if devices:
            size, _ = size_class(devices)
            groups.append(
                SbcGroup(s.name, (s.name,), devices, devices, size, 1, devices,
                         f"one gateway SBC for {_plural(devices, 'paging, fax or door device')}.",
                         local=True)
            )  # fmt: skip
    return groups


def _service_lines(facts: _Facts, model: str, sites: Sequence[SiteInput]) -> list[CostLine]:
    users = sum(s.users for s in sites)
    shared = sum(s.common_area_phones for s in sites)
    calls = sum(facts.calls[s.name] for s in sites)
    endpoints = users + shared
    where = f"{_plural(users, 'user')} and {_plural(shared, 'common area phone')}"
    if model == OC:
        return [
            _line(
                facts,
                "service",
                "Operator Connect calling",
                _YEAR,
                endpoints,
                f"{where}, each with a number from the operator.",
                "oc_user_month",
            )
        ]
    if model == CP:
        return [
            _line(
                facts,
                "service",
                "Calling Plans",
                _YEAR,
                endpoints,
                f"{where}, each with a Calling Plan.",
                "calling_plan_user_month",
            )
        ]
    if model == DR:
        return [
            _line(
                facts,
                "service",
                "SIP trunk channels",
                _YEAR,
                calls,
                "One channel per peak concurrent call (the bandwidth model's).",
                "sip_trunk_channel_month",
            )
        ]
    if model == DRH:
        per_user = facts.prices.price("dr_hosted_user_month")
        per_channel = facts.prices.price("dr_hosted_channel_month")
        lines = []
        if per_user is not None or per_channel is None:
            # Neither priced: the per-user line stands as the one missing, never free.
            lines.append(
                _line(
                    facts,
                    "service",
                    "Hosted Direct Routing, per user",
                    _YEAR,
                    endpoints,
                    f"{where}.",
                    "dr_hosted_user_month",
                    required=per_channel is None,
                )
            )
        if per_channel is not None:
            lines.append(
                _line(
                    facts,
                    "service.channels",
                    "Hosted Direct Routing, per channel",
                    _YEAR,
                    calls,
                    "One channel per peak concurrent call.",
                    "dr_hosted_channel_month",
                )
            )
        return lines
    # Teams Phone Mobile: the users' mobile add-on; shared phones stay on a fixed service
    # from the same operator (Teams Phone Mobile operators are Operator Connect operators).
    return [
        _line(facts, "service", "Teams Phone Mobile", _YEAR, users,
              f"{_plural(users, 'user')}, each with a Teams Phone Mobile SIM.",
              "tpm_user_month"),
        _line(facts, "service.fixed", "Operator Connect for common area phones", _YEAR, shared,
              f"{_plural(shared, 'common area phone')} on the operator's fixed service.",
              "oc_user_month"),
    ]  # fmt: skip


def _part_lines(
    facts: _Facts, model: str, sites: Sequence[SiteInput], plan: SbcPlan | None
) -> list[CostLine]:
    """What serving these sites with one model costs beyond the tenant-wide items."""
    lines = _service_lines(facts, model, sites)
    shared = sum(s.common_area_phones for s in sites)
    analog = 0 if model == DR else sum(s.analog_devices for s in sites)
    devices = shared + analog
    rule = f"{_plural(shared, 'common area phone')}"
    rule += (
        " (analog devices behind the SBCs need none)." if model == DR
        else f" and {_plural(analog, 'analog device')} on SIP Gateway."
    )  # fmt: skip
    lines.append(
        _line(
            facts,
            "shared_devices",
            "Shared device licences",
            _YEAR,
            devices,
            rule,
            "common_area_phone_device_month",
        )  # fmt: skip
    )
    if model == DR:
        if plan is None:
            plan = sbc_plan(sites, facts.inputs, facts.calls)
        groups = list(plan.groups)
        lines += _sbc_lines(facts, groups, "Direct Routing", "sbc")
    else:
        groups = _gateway_groups(sites)
        lines += _sbc_lines(facts, groups, "Gateways", "gateway_sbc")
    base, per_site = PS_DAYS[model]
    days = base + per_site * len(sites)
    rule = f"{base} days to design and set up, {per_site} per site ({len(sites)})"
    sbcs = sum(g.sbcs for g in groups)
    if model == DR and sbcs:
        days += PS_DAYS_PER_SBC * sbcs
        rule += f", {PS_DAYS_PER_SBC} per SBC built ({sbcs})"
    lines.append(_line(facts, "services", "Professional services", _ONE_OFF, days, rule + ".",
                       "ps_day"))  # fmt: skip
    return lines


def _org_lines(
    facts: _Facts, models: set[str], hours: OwnershipSummary | None, hours_label: str
) -> list[CostLine]:
    """The tenant-wide items: licences every model needs, ports, porting, IT's hours."""
    c = facts.counts
    lines = [
        _line(facts, "teams_phone", "Teams Phone Standard", _YEAR, c["teams_phone_users"].count,
              c["teams_phone_users"].rule, "teams_phone_user_month"),
        _line(facts, "teams_rooms", "Teams Rooms Pro", _YEAR, c["teams_rooms"].count,
              c["teams_rooms"].rule, "teams_rooms_pro_room_month"),
        _line(facts, "resource_accounts", "Resource accounts beyond the free allotment", _YEAR,
              c["resource_accounts_to_buy"].count, c["resource_accounts_to_buy"].rule,
              "resource_account_month"),
        _line(facts, "gateway_ports", "Analog gateway and ATA ports", _ONE_OFF,
              c["gateway_ports"].count, c["gateway_ports"].rule, "gateway_port"),
        _line(facts, "porting", "Number porting", _ONE_OFF, c["numbers_to_port"].count,
              c["numbers_to_port"].rule, "porting_number"),
        _line(facts, "remediation", "Network remediation", _ONE_OFF, facts.remediation_sites,
              c["remediation_sites"].rule, "network_remediation_site", required=False),
    ]  # fmt: skip
    if facts.inputs.pbx_coexistence == YesNoUnknown.YES and DR not in models:
        # Without self-managed Direct Routing no regional pair carries the PBX trunk: a
        # pair of its own, sized on the estate's peak calls (domain.md §1.9).
        calls = c["peak_calls"].count
        weighted = calls * (3 if transcoding_needed(facts.inputs) else 1)
        size, per_side = size_class(weighted)
        pair = SbcGroup(
            "PBX trunk",
            (),
            calls,
            weighted,
            size,
            2 * per_side,
            2 * per_side * math.ceil(calls / per_side),
            "a pair for the trunk to the PBX, sized on the estate's peak calls.",
        )
        lines += _sbc_lines(facts, [pair], "PBX trunk", "pbx_sbc")  # fmt: skip
    if hours is not None:
        rate, rate_rule = facts.it_hour, facts.it_hour_rule
        day_one = Decimal(str(hours.day_one_hours))
        yearly = Decimal(str(hours.hours_per_year))
        lines += [
            _line(facts, "it.day_one", "Customer IT, day one", _ONE_OFF, day_one,
                  f"{hours_label}: the ownership matrix's day-one hours. {rate_rule}", "it_hour",
                  price=rate, from_book=False),
            _line(facts, "it.yearly", "Customer IT, every year", _YEAR, yearly,
                  f"{hours_label}: the ownership matrix's recurring hours. {rate_rule}",
                  "it_hour", price=rate, from_book=False),
        ]  # fmt: skip
    return lines


def _cumulative(one_off: Decimal, per_year: Decimal) -> tuple[Decimal, ...]:
    return tuple(_money(one_off + per_year * m / 12) for m in range(MONTHS + 1))


def _model_cost(model: str, label: str, lines: Iterable[CostLine], note: str = "") -> ModelCost:
    kept = [ln for ln in lines if ln.count > 0]
    kept.sort(key=lambda ln: ln.period != _ONE_OFF)  # one-off first, stable otherwise
    missing = tuple(
        dict.fromkeys(ln.price_line for ln in kept if ln.required and ln.amount is None)
    )
    if missing:
        return ModelCost(model, label, False, missing, None, None, None, (), tuple(kept), note)
    one_off = sum((ln.amount for ln in kept if ln.period == _ONE_OFF and ln.amount), Decimal(0))
    per_year = sum((ln.amount for ln in kept if ln.period == _YEAR and ln.amount), Decimal(0))
    cumulative = _cumulative(one_off, per_year)
    return ModelCost(
        model, label, True, (), _money(one_off), _money(per_year), cumulative[-1], cumulative,
        tuple(kept), note,
    )  # fmt: skip


def break_even(costs: Sequence[ModelCost]) -> tuple[BreakEven, ...]:
    """The months where a model dearer at first becomes the cheaper one.

    For every pair of priced costs where one costs more up front and less a year, the
    first month its cumulative cost is at or below the other's, if within the horizon.

    Args:
        costs: Priced and unpriced model costs (the unpriced are skipped).

    Returns:
        One break-even per such pair, earliest first.
    """
    found = []
    priced = [c for c in costs if c.priced and c.one_off is not None and c.per_year is not None]
    for a, b in permutations(priced, 2):
        assert a.one_off is not None and b.one_off is not None  # narrowed above
        assert a.per_year is not None and b.per_year is not None
        if a.one_off > b.one_off and a.per_year < b.per_year:
            month = next((m for m in range(MONTHS + 1) if a.cumulative[m] <= b.cumulative[m]), None)
            if month is not None:
                found.append(BreakEven(a.model, b.model, month))
    return tuple(sorted(found, key=lambda e: (e.month, e.model, e.versus)))


def _summary(result: AssessmentResult | EstateResult, column: str) -> OwnershipSummary | None:
    return next((s for s in result.ownership.summaries if s.model == column), None)


def cost_of_ownership(
    result: AssessmentResult | EstateResult,
    inputs: AssessmentInput,
    prices: PriceBook,
) -> CostResult:
    """The three-year cost of ownership of each PSTN model and of the recommended design.

    Each model is costed as if it served every site (as the ownership matrix's columns
    are); the design costs each recommended model on its own sites, with tenant-wide
    items (licences, porting, IT's hours of the recommended plan) once. A model whose
    needed price is blank is "not priced": its lines show what is missing, its totals
    are ``None``.

    Args:
        result: The scored assessment (its recommendation, ownership matrix and grades).
        inputs: The assessment the result was scored from (counts and answers).
        prices: The partner's price book.

    Returns:
        Licence counts, SBC sizing and, per model and for the design, one-off and yearly
        cost lines, 36 months of cumulative cost and the break-even months.
    """
    remediation = result.ownership.plan.sites_needing_remediation
    calls = {s.name: peak_calls(s) for s in inputs.sites}
    counts = licence_counts(inputs, remediation, calls)
    if inputs.it_hourly_cost is not None:
        # Through str: the answer had two decimals before the engine stored it as a float.
        it_hour: Decimal | None = _money(Decimal(str(inputs.it_hourly_cost)))
        it_rule = f"At the assessment's own IT cost, {it_hour} {prices.currency} an hour."
    else:
        it_hour = prices.price("it_hour")
        it_rule = "At the price book's IT hourly cost."
    facts = _Facts(inputs, prices, {c.key: c for c in counts}, it_hour, it_rule, remediation, calls)
    plan = sbc_plan(inputs.sites, inputs, calls)
    available = {f.model: f.availability for f in result.fits}
    models = []
    for model in MODELS:
        note = ""
        if available.get(model) == "unavailable":
            note = "Not offered at every site: shown for comparison."
        column = OWNERSHIP_COLUMN[model]
        lines = _part_lines(facts, model, inputs.sites, plan if model == DR else None)
        lines += _org_lines(
            facts, {model}, _summary(result, column), f"{MODEL_LABELS[Model(model)]}"
        )
        models.append(_model_cost(model, MODEL_LABELS[Model(model)], lines, note))
    design = _design_cost(facts, result, inputs)
    assumptions = _assumptions(facts, plan)
    every = [*models, *([design] if design is not None else [])]
    return CostResult(
        prices.currency, prices.version, MONTHS, counts, plan, tuple(models), design,
        break_even(every), assumptions,
    )  # fmt: skip


def _design_cost(
    facts: _Facts, result: AssessmentResult | EstateResult, inputs: AssessmentInput
) -> ModelCost | None:
    rec = result.recommendation
    if not rec.sites_by_model:
        return None
    by_name = {s.name: s for s in inputs.sites}
    lines: list[CostLine] = []
    used: set[str] = set()
    mix = len(rec.sites_by_model) > 1
    for model, names in rec.sites_by_model:
        sites = [by_name[n] for n in names if n in by_name]
        if not sites:
            continue
        used.add(model)
        label = MODEL_LABELS[Model(model)]
        for ln in _part_lines(facts, model, sites, None):
            if mix:
                ln = CostLine(
                    f"{model}.{ln.key}", f"{label}: {ln.label}", ln.period, ln.count,
                    f"{_plural(len(sites), 'site')}: {ln.rule}", ln.price_line, ln.unit_price,
                    ln.factor, ln.amount, ln.required,
                )  # fmt: skip
            lines.append(ln)
    lines += _org_lines(facts, used, result.ownership.plan, "Recommended plan")
    return _model_cost(DESIGN, "Recommended design", lines)


def _assumptions(facts: _Facts, plan: SbcPlan) -> tuple[str, ...]:
    currency = facts.prices.currency
    out = [
        f"Every price is the partner's own figure in {currency}, from its price book"
        + (f" (version {facts.prices.version})." if facts.prices.version else "."),
        f"Three years: the one-off costs in month 0, then the yearly costs spread evenly "
        f"over {MONTHS} months; no price rises, discounts or financing.",
        "Each model is costed as if it served every site; the recommended design costs "
        "each site's model on its own sites and the tenant-wide items once.",
        "Call minutes beyond the bundles and the Teams licences users already hold "
        "(Microsoft 365 or Office 365) are not counted.",
        "Professional services days are the partner's assumption per model and site.",
        "Teams Phone Mobile: customer IT's hours are Operator Connect's (same operators, "
        "same administration).",
        "Gateways for paging, fax and door phones: a small SBC per site that has them under "
        "every model but self-managed Direct Routing, whose site SBCs carry them.",
        *plan.assumptions,
    ]
    if facts.prices.price("network_remediation_site") is None:
        out.append("Network remediation is not priced: left out of every total.")
    return tuple(out)
