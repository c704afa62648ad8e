"""How the cost of ownership reads on a page: tables, the chart, break-even in words."""

from dataclasses import dataclass
from decimal import Decimal

from assessments import charts
from scoring.costs import DESIGN, CostLine, CostResult, ModelCost
from scoring.price_lines import LINES
from scoring.results import MODEL_LABELS


def money(amount: Decimal | None, currency: str, *, cents: bool = False) -> str:
    """An amount as a reader sees it ("EUR 12,345"), or "not priced".

    Args:
        amount: The amount, ``None`` when not priced.
        currency: The ISO 4217 code.
        cents: Show cents (a line's unit price) rather than whole units (totals).

    Returns:
        The words.
    """
    if amount is None:
        return "not priced"
    return f"{currency} {amount:,.2f}" if cents else f"{currency} {amount:,.0f}"


def _count(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral() else f"{value:,.2f}".rstrip("0")


@dataclass(frozen=True)
class LineRow:
    """One figure of a model's cost, in words."""

    label: str
    period: str
    count: str
    unit: str
    price: str
    amount: str
    rule: str
    price_line: str
    left_out: bool


@dataclass(frozen=True)
class ModelRow:
    """One model's (or the design's) cost, in words."""

    model: str
    label: str
    priced: bool
    one_off: str
    per_year: str
    total: str
    missing: tuple[str, ...]
    note: str
    design: bool
    lines: tuple[LineRow, ...]
    # The same totals without the currency, for a table whose headings name it.
    one_off_figure: str = ""
    per_year_figure: str = ""
    total_figure: str = ""


def _figure(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:,.0f}"


def _line_row(line: CostLine, currency: str) -> LineRow:
    book_line = LINES[line.price_line]
    per = "a year" if line.period == "year" else "once"
    unit = book_line.unit_label
    return LineRow(
        line.label,
        per,
        _count(line.count),
        unit,
        money(line.unit_price, currency, cents=True),
        "left out (not priced)"
        if line.amount is None and not line.required
        else money(line.amount, currency, cents=True),
        line.rule,
        book_line.label,
        line.amount is None and not line.required,
    )


def _model_row(cost: ModelCost, currency: str) -> ModelRow:
    return ModelRow(
        cost.model,
        cost.label,
        cost.priced,
        money(cost.one_off, currency),
        money(cost.per_year, currency),
        money(cost.total, currency),
        tuple(LINES[key].label for key in cost.missing),
        cost.note,
        cost.model == DESIGN,
        tuple(_line_row(ln, currency) for ln in cost.lines),
        _figure(cost.one_off),
        _figure(cost.per_year),
        _figure(cost.total),
    )


def _label(model: str, result: CostResult, *, first: bool = True) -> str:
    if model == DESIGN:
        return "The recommended design" if first else "the recommended design"
    return result.model(model).label if model in MODEL_LABELS else model


def break_even_words(result: CostResult, *, limit: int = 4) -> list[str]:
    """The break-even months that matter most, in words: the design's first.

    Args:
        result: The costs.
        limit: At most this many sentences.

    Returns:
        Sentences such as "Operator Connect costs more at the start and is the cheaper from
        month 18 on, against Calling Plans."
    """
    ordered = sorted(result.break_even, key=lambda b: (DESIGN not in (b.model, b.versus), b.month))
    return [
        f"{_label(b.model, result)} costs more at the start and less from month {b.month} "
        f"on, against {_label(b.versus, result, first=False)}."
        for b in ordered[:limit]
    ]


def _local_sbcs(result: CostResult) -> str:
    local = [g for g in result.sbc.groups if g.local]
    if not local:
        return ""
    sbcs = sum(g.sbcs for g in local)
    return (
        f"{sbcs:,} more SBC{'s' if sbcs != 1 else ''} of the sites' own at {len(local):,} "
        f"site{'s' if len(local) != 1 else ''} (toll bypass, survivability, analog, paging, "
        "fax or door devices), each sized on its site's peak."
    )


def cost_context(result: CostResult, *, font: str = charts.FONT) -> dict:
    """What the cost section of a page shows.

    Args:
        result: The engine's cost result.
        font: The chart's font (the proposal passes its brand's).

    Returns:
        ``rows`` (the design first, then each model), ``chart`` (SVG, empty when nothing is
        priced), ``break_even`` (sentences), ``counts``, ``sbc`` groups, ``assumptions``,
        ``currency``, ``priced`` and ``version``.
    """
    currency = result.currency
    costs = ([result.design] if result.design is not None else []) + list(result.models)
    series = [
        (c.label, [float(v) for v in c.cumulative], c.model == DESIGN) for c in costs if c.priced
    ]
    return {
        "rows": [_model_row(c, currency) for c in costs],
        "chart": charts.cost_lines(series, currency, font=font),
        "break_even": break_even_words(result),
        "counts": result.counts,
        "sbc": result.sbc,
        # The regions' pairs one by one; the sites' own SBCs summed up, so that the page does
        # not grow with the estate.
        "sbc_regions": [g for g in result.sbc.groups if not g.local],
        "sbc_local": _local_sbcs(result),
        "assumptions": result.assumptions,
        "currency": currency,
        "priced": result.priced,
        "version": result.price_book_version,
    }


def compare_rows(now: CostResult, then: CostResult) -> list[dict]:
    """Each model's three-year cost today and with a what-if scenario, the design first.

    Args:
        now: The costs of the assessment as stored.
        then: The costs with the scenario's changes.

    Returns:
        Rows of ``label``, ``now``, ``then`` (words), ``changed`` and ``delta`` (words, ""
        when either is not priced or nothing moved).
    """
    rows = []
    pairs = list(zip(now.models, then.models, strict=True))
    if now.design is not None and then.design is not None:
        pairs.insert(0, (now.design, then.design))
    for a, b in pairs:
        delta = ""
        if a.total is not None and b.total is not None and a.total != b.total:
            diff = b.total - a.total
            delta = ("+" if diff > 0 else "−") + money(abs(diff), now.currency)
        rows.append(
            {
                "label": a.label,
                "now": money(a.total, now.currency),
                "then": money(b.total, then.currency),
                "changed": a.total != b.total or a.priced != b.priced,
                "delta": delta,
            }
        )
    return rows
