"""What each PSTN model costs over three years, from the partner's price book."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from scoring.price_lines import LINES, price_problem

if TYPE_CHECKING:
    from scoring.inputs import AssessmentInput
    from scoring.results import AssessmentResult, EstateResult

# The horizon of the cost of ownership: three years, month by month (issue 18).
MONTHS = 36


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
class SbcGroup:
    """The SBC pair (or more) serving one region's self-managed Direct Routing sites.

    Attributes:
        region: The region's name ("Europe").
        sites: The sites it serves.
        peak_calls: Peak concurrent calls of those sites (the bandwidth model's).
        sessions: SIP sessions each SBC must carry at peak (calls x the media factor).
        size: The size class ("small", "medium", "large"), or "" beyond the largest.
        sbcs: SBCs in the group (a high-availability pair, or more when one is not enough).
        session_licences: Session licences bought for the group.
        rule: How the size and count were chosen, in plain words.
    """

    region: str
    sites: tuple[str, ...]
    peak_calls: int
    sessions: int
    size: str
    sbcs: int
    session_licences: int
    rule: str


@dataclass(frozen=True, slots=True)
class SbcPlan:
    """SBC sizing for self-managed Direct Routing over every site it could serve.

    Attributes:
        groups: One group per region.
        local_sbcs: Small SBCs at sites that need their own (toll bypass, survivability,
            analog devices), as the ownership matrix counts them.
        media_bypass: Whether media bypass is assumed (media flows client to SBC direct).
        transcoding: Whether the SBCs transcode (each call costs more sessions).
        assumptions: The rules used, in plain words.
    """

    groups: tuple[SbcGroup, ...]
    local_sbcs: int
    media_bypass: bool
    transcoding: bool
    assumptions: tuple[str, ...]

    @property
    def sbcs(self) -> int:
        """Every SBC of the plan: the regional groups' and the local ones."""
        return sum(g.sbcs for g in self.groups) + self.local_sbcs


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


def cost_of_ownership(
    result: AssessmentResult | EstateResult,
    inputs: AssessmentInput,
    prices: PriceBook,
) -> CostResult:
    """The three-year cost of ownership of each PSTN model and of the recommended design.

    Args:
        result: The scored assessment (its recommendation, ownership matrix and grades).
        inputs: The assessment the result was scored from (counts and answers).
        prices: The partner's price book.

    Returns:
        Licence counts, SBC sizing and, per model and for the design, one-off and yearly
        cost lines, 36 months of cumulative cost and the break-even months.
    """
    # First cut of the interface: every model "not priced" until the rules land.
    del result, inputs
    return CostResult(
        prices.currency,
        prices.version,
        MONTHS,
        (),
        SbcPlan((), 0, True, False, ()),
        (),
        None,
        (),
        (),
    )
