"""The catalogue of price lines a partner's price book fills in, one entry per line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

# Every price is the partner's own figure in the book's currency, never a Microsoft claim:
# list prices differ by country, agreement and date, and partners resell at their own
# margin. The catalogue only says what each line means, what it is counted per, which
# PSTN models need it and how large a price can sensibly be (so a typo of a million per
# user is refused rather than carried into a proposal).


class Kind(StrEnum):
    """How often a line is paid."""

    ONE_OFF = "one_off"
    MONTHLY = "monthly"
    YEARLY = "yearly"
    # A rate for effort: priced per day or hour, and charged once (set-up days, day-one
    # hours) or each year (the ownership matrix's recurring hours) by the rule using it.
    RATE = "rate"


class Unit(StrEnum):
    """What one price of a line buys."""

    USER = "user"
    CHANNEL = "channel"
    DEVICE = "device"
    ROOM = "room"
    ACCOUNT = "account"
    SBC = "sbc"
    SESSION = "session"
    PORT = "port"
    NUMBER = "number"
    DAY = "day"
    HOUR = "hour"
    SITE = "site"


UNIT_LABELS: dict[str, str] = {
    Unit.USER: "per user",
    Unit.CHANNEL: "per channel",
    Unit.DEVICE: "per device",
    Unit.ROOM: "per room",
    Unit.ACCOUNT: "per account",
    Unit.SBC: "per SBC",
    Unit.SESSION: "per session",
    Unit.PORT: "per port",
    Unit.NUMBER: "per number",
    Unit.DAY: "per day",
    Unit.HOUR: "per hour",
    Unit.SITE: "per site",
}

KIND_LABELS: dict[str, str] = {
    Kind.ONE_OFF: "one-off",
    Kind.MONTHLY: "per month",
    Kind.YEARLY: "per year",
    Kind.RATE: "",
}

# The PSTN model values of scoring.results.Model, repeated (results imports nothing from
# here and this module stays a leaf the price book's Django code can import cheaply).
OC = "operator_connect"
DR = "direct_routing"
DR_HOSTED = "direct_routing_hosted"
CP = "calling_plans"
TPM = "teams_phone_mobile"
ALL_MODELS: tuple[str, ...] = (OC, DR, DR_HOSTED, CP, TPM)


class Group(StrEnum):
    """Where a line sits on the price-book screen and in the cost tables."""

    SERVICE = "service"
    LICENCE = "licence"
    SBC = "sbc"
    DEVICES = "devices"
    SERVICES = "services"


GROUP_LABELS: dict[str, str] = {
    Group.SERVICE: "Calling service",
    Group.LICENCE: "Microsoft licences",
    Group.SBC: "Session Border Controllers",
    Group.DEVICES: "Gateways and numbers",
    Group.SERVICES: "People and projects",
}


@dataclass(frozen=True, slots=True)
class PriceLine:
    """One line of the price book.

    Attributes:
        key: Stable identifier, stored in the price book and cited by every cost line.
        label: What the line is, in a partner's words.
        group: A :class:`Group` value (screen section).
        unit: A :class:`Unit` value: what one price buys.
        kind: A :class:`Kind` value: how often it is paid.
        models: The PSTN models (``scoring.results.Model`` values) that need this line.
        upper: The largest sane price in a major currency unit (EUR, USD, GBP); scaled by
            :data:`CURRENCY_SCALE` for currencies worth far less per unit.
        help: What to enter, for the price-book screen.
        required: False for a line a model is still priced without (it is then left out
            and listed as an assumption, never counted as free).
    """

    key: str
    label: str
    group: str
    unit: str
    kind: str
    models: tuple[str, ...]
    upper: Decimal
    help: str
    required: bool = True

    @property
    def unit_label(self) -> str:
        """How one price reads, e.g. "per user per month" or "per SBC, one-off"."""
        kind = KIND_LABELS[self.kind]
        if self.kind == Kind.ONE_OFF:
            return f"{UNIT_LABELS[self.unit]}, one-off"
        return f"{UNIT_LABELS[self.unit]} {kind}".strip()


def _line(
    key: str,
    label: str,
    group: Group,
    unit: Unit,
    kind: Kind,
    models: tuple[str, ...],
    upper: int,
    help: str,
    required: bool = True,
) -> PriceLine:
    return PriceLine(key, label, group, unit, kind, models, Decimal(upper), help, required)


SBC_SIZES: tuple[str, ...] = ("small", "medium", "large")

PRICE_LINES: tuple[PriceLine, ...] = (
    _line(
        "oc_user_month",
        "Operator Connect calling, per user",
        Group.SERVICE,
        Unit.USER,
        Kind.MONTHLY,
        (OC,),
        500,
        "The operator's monthly price for one user's number and calling bundle under "
        "Operator Connect, as you resell it.",
    ),
    _line(
        "calling_plan_user_month",
        "Calling Plan (domestic), per user",
        Group.SERVICE,
        Unit.USER,
        Kind.MONTHLY,
        (CP,),
        500,
        "Microsoft Teams Domestic Calling Plan per user per month, at your price to the customer.",
    ),
    _line(
        "dr_hosted_user_month",
        "Hosted Direct Routing, per user",
        Group.SERVICE,
        Unit.USER,
        Kind.MONTHLY,
        (DR_HOSTED,),
        500,
        "Your (or your partner's) hosted Direct Routing service per user per month: SBCs, "
        "trunks and operations run for the customer. Leave blank if you price per channel.",
        required=False,
    ),
    _line(
        "dr_hosted_channel_month",
        "Hosted Direct Routing, per channel",
        Group.SERVICE,
        Unit.CHANNEL,
        Kind.MONTHLY,
        (DR_HOSTED,),
        2_000,
        "Hosted Direct Routing priced per concurrent call channel per month. Leave blank "
        "if you price per user; fill both if your offer charges both.",
        required=False,
    ),
    _line(
        "sip_trunk_channel_month",
        "SIP trunk for self-managed Direct Routing, per channel",
        Group.SERVICE,
        Unit.CHANNEL,
        Kind.MONTHLY,
        (DR,),
        2_000,
        "The carrier's SIP trunk per concurrent call channel per month, which the customer "
        "buys when it runs its own SBCs.",
    ),
    _line(
        "tpm_user_month",
        "Teams Phone Mobile, per user",
        Group.SERVICE,
        Unit.USER,
        Kind.MONTHLY,
        (TPM,),
        500,
        "The mobile operator's Teams Phone Mobile add-on per user per month (the SIM plan "
        "itself is not counted).",
    ),
    _line(
        "teams_phone_user_month",
        "Teams Phone Standard, per user",
        Group.LICENCE,
        Unit.USER,
        Kind.MONTHLY,
        ALL_MODELS,
        500,
        "Teams Phone Standard per user per month, for users who do not already hold it "
        "(Microsoft 365 E5 includes it).",
    ),
    _line(
        "common_area_phone_device_month",
        "Teams Shared Devices (common area phone)",
        Group.LICENCE,
        Unit.DEVICE,
        Kind.MONTHLY,
        ALL_MODELS,
        500,
        "The licence for a shared phone in a lobby, corridor or lift, per device per month.",
    ),
    _line(
        "teams_rooms_pro_room_month",
        "Teams Rooms Pro, per room",
        Group.LICENCE,
        Unit.ROOM,
        Kind.MONTHLY,
        ALL_MODELS,
        1_000,
        "Teams Rooms Pro per room per month.",
    ),
    _line(
        "resource_account_month",
        "Teams Phone Resource Account",
        Group.LICENCE,
        Unit.ACCOUNT,
        Kind.MONTHLY,
        ALL_MODELS,
        200,
        "Per account beyond Microsoft's free allotment (25, plus one per 10 Teams Phone or "
        "Shared Devices licences): what the customer pays for each extra one. Kept as a "
        "line so a blank is never read as free.",
    ),
    _line(
        "sbc_small",
        "SBC, small (up to 250 sessions)",
        Group.SBC,
        Unit.SBC,
        Kind.ONE_OFF,
        (DR,),
        500_000,
        "A small SBC appliance or virtual edition with its base licence, per SBC.",
    ),
    _line(
        "sbc_medium",
        "SBC, medium (up to 1,000 sessions)",
        Group.SBC,
        Unit.SBC,
        Kind.ONE_OFF,
        (DR,),
        500_000,
        "A medium SBC appliance or virtual edition with its base licence, per SBC.",
    ),
    _line(
        "sbc_large",
        "SBC, large (up to 5,000 sessions)",
        Group.SBC,
        Unit.SBC,
        Kind.ONE_OFF,
        (DR,),
        1_000_000,
        "A large SBC appliance or virtual edition with its base licence, per SBC.",
    ),
    _line(
        "sbc_session_licence",
        "SBC session licence",
        Group.SBC,
        Unit.SESSION,
        Kind.ONE_OFF,
        (DR,),
        10_000,
        "One concurrent SIP session licence on an SBC (each SBC of a pair is licensed for "
        "the full peak).",
    ),
    _line(
        "sbc_support_year",
        "SBC support and software updates",
        Group.SBC,
        Unit.SBC,
        Kind.YEARLY,
        (DR,),
        200_000,
        "The vendor's support and firmware subscription per SBC per year.",
    ),
    _line(
        "sbc_certificate_year",
        "SBC certificate",
        Group.SBC,
        Unit.SBC,
        Kind.YEARLY,
        (DR,),
        10_000,
        "A public TLS certificate per SBC per year (Direct Routing needs one from a "
        "Microsoft-trusted authority on every SBC).",
    ),
    _line(
        "gateway_port",
        "Analog gateway or ATA, per port",
        Group.DEVICES,
        Unit.PORT,
        Kind.ONE_OFF,
        ALL_MODELS,
        5_000,
        "An analog gateway or ATA per port, for analog phones, fax, paging and door phones.",
    ),
    _line(
        "porting_number",
        "Number porting, per number",
        Group.DEVICES,
        Unit.NUMBER,
        Kind.ONE_OFF,
        ALL_MODELS,
        1_000,
        "Porting one existing number to the new carrier, one-off.",
    ),
    _line(
        "ps_day",
        "Professional services, per day",
        Group.SERVICES,
        Unit.DAY,
        Kind.RATE,
        ALL_MODELS,
        20_000,
        "Your day rate for design, configuration and migration work.",
    ),
    _line(
        "it_hour",
        "Customer IT cost, per hour",
        Group.SERVICES,
        Unit.HOUR,
        Kind.RATE,
        ALL_MODELS,
        2_000,
        "What an hour of the customer's own IT staff costs, loaded; an assessment may "
        "give its own figure instead.",
    ),
    _line(
        "network_remediation_site",
        "Network remediation, per site",
        Group.SERVICES,
        Unit.SITE,
        Kind.ONE_OFF,
        ALL_MODELS,
        1_000_000,
        "An average one-off cost to bring a site's network to Teams' targets (QoS, Wi-Fi, "
        "bypass, a backup link). Leave blank to leave remediation out of the totals.",
        required=False,
    ),
)

LINES: dict[str, PriceLine] = {line.key: line for line in PRICE_LINES}

# How many units of a currency make about one euro, so one upper bound serves every book.
# Only currencies worth far less than a euro are listed; any other code uses 1.
CURRENCY_SCALE: dict[str, int] = {
    "JPY": 200, "KRW": 2_000, "INR": 100, "HUF": 500, "CZK": 30, "SEK": 15, "NOK": 15,
    "DKK": 10, "ISK": 200, "PLN": 5, "ZAR": 25, "MXN": 25, "BRL": 10, "CNY": 10,
    "HKD": 10, "TRY": 50, "THB": 50, "PHP": 70, "IDR": 20_000, "TWD": 40, "RON": 5,
    "ILS": 5, "AED": 5, "SAR": 5, "SGD": 2, "NZD": 2, "AUD": 2, "CAD": 2, "CLP": 1_200,
    "COP": 5_000, "ARS": 2_000, "NGN": 2_000, "EGP": 60, "PKR": 300, "VND": 30_000,
}  # fmt: skip


_CENT = Decimal("0.01")


def upper_bound(line: PriceLine, currency: str) -> Decimal:
    """The largest price this line accepts in ``currency``.

    Args:
        line: The price line.
        currency: The book's ISO 4217 code.

    Returns:
        ``line.upper`` scaled by :data:`CURRENCY_SCALE`.
    """
    return line.upper * CURRENCY_SCALE.get(currency.upper(), 1)


def price_problem(key: str, value: object, currency: str) -> str | None:
    """Why a price cannot be stored for a line, in words for the field, or ``None``.

    ``None`` as ``value`` means "not priced" and is always allowed; a model that needs the
    line then shows as not priced.

    Args:
        key: The line's key.
        value: The price entered (a ``Decimal``, or anything a form handed over).
        currency: The book's ISO 4217 code.

    Returns:
        A message, or ``None`` when the price is fine.
    """
    line = LINES.get(key)
    if line is None:
        return f"{key!r} is not a price line."
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        return f"{line.label}: enter an amount such as 12.50."
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return f"{line.label}: enter an amount such as 12.50."
    if not amount.is_finite():
        return f"{line.label}: enter an amount such as 12.50."
    if amount < 0:
        return f"{line.label}: a price cannot be negative."
    bound = upper_bound(line, currency)
    if amount > bound:
        # The amount is echoed only while it is short: "1e999999" must not become a
        # million-digit message.
        what = f"{amount:,f} {currency}" if amount.adjusted() < 15 else "The amount"
        return (
            f"{line.label}: {what} {line.unit_label} is more than {bound:,f} {currency}; "
            "check the amount and its unit."
        )
    if amount != amount.quantize(_CENT):
        return f"{line.label}: use at most two decimals."
    return None
