"""What each PSTN model costs an assessment's customer, from its partner's price book."""

import dataclasses

from assessments import engine_io
from assessments.models import Assessment, Scenario, Site
from assessments.schema.document import PERSONA_ANSWERS, personas_from_answers
from assessments.services.scenarios import apply_changes
from assessments.services.scores import stored_scores
from costs.selectors import price_book_for as organisation_price_book
from scoring.costs import EMPTY_BOOK, CostResult, PriceBook, cost_of_ownership
from scoring.decode import estate_result_from_dict
from scoring.inputs import AssessmentInput, SiteInput
from scoring.results import AssessmentResult, EstateResult


def price_book_of(organisation_id: int | None) -> PriceBook:
    """The price book of a partner organisation, as the engine reads it.

    The partner's stored price book (one query); until a partner has one (and for a
    document scored outside any partner), the empty book, so every model shows as "not
    priced" (never as free).

    Args:
        organisation_id: The partner, or ``None`` for none.

    Returns:
        The engine's price book.
    """
    if organisation_id is None:
        return EMPTY_BOOK
    return organisation_price_book(organisation_id)


def price_book_for(assessment: Assessment) -> PriceBook:
    """The price book the assessment's costs are read from (its partner's).

    Args:
        assessment: The assessment (its organisation owns the book).

    Returns:
        The engine's price book (one query); a partner without one gets an empty book, so
        every model shows as "not priced" (never as free).
    """
    return price_book_of(assessment.organisation_id)


# What the costs read of a site (scoring.costs and scoring.sbc_sizing): its size, devices
# and calling facts, not its circuits or measurements.
COST_SITE_FIELDS = (
    "name",
    "users",
    "peak_concurrency",
    "teams_rooms",
    "common_area_phones",
    "analog_devices",
    "fax_lines",
    "door_elevator_phones",
    "overhead_paging",
    "vpn",
    "proxy",
    "regulation",
    "needs_survivability",
)


def cost_input(assessment: Assessment) -> tuple[AssessmentInput, dict[str, int]]:
    """The engine input the costs read, without what they do not (one query).

    The organisation's answers and each site's size, devices and calling facts: building
    the whole input (circuits, measurements) of a 2,000-site estate costs a page far more.

    Args:
        assessment: The assessment (its customer selected with it).

    Returns:
        The input, and each site's id by name (to apply a what-if scenario's changes).
    """
    rows = Site.objects.filter(assessment=assessment).values(
        "pk", "country", *COST_SITE_FIELDS, *PERSONA_ANSWERS
    )
    sites, ids = [], {}
    for row in rows:
        ids[row["name"]] = row["pk"]
        sites.append(
            SiteInput(
                country=row["country"],
                personas=personas_from_answers(row),
                **{name: row[name] for name in COST_SITE_FIELDS},
            )
        )
    answers = engine_io.assessment_input(assessment, [])
    return dataclasses.replace(answers, sites=tuple(sites)), ids


def costs_for(
    assessment: Assessment,
    *,
    result: AssessmentResult | EstateResult | None = None,
    inputs: AssessmentInput | None = None,
    prices: PriceBook | None = None,
) -> CostResult:
    """The three-year cost of ownership of each model and of the recommended design.

    Args:
        assessment: The assessment, as stored.
        result: Its result (a what-if scenario's, or as the page read it); ``None`` reads
            the stored estate result.
        inputs: The engine input ``result`` was scored from (a what-if scenario's);
            ``None`` reads the stored assessment's (:func:`cost_input`).
        prices: The price book to use; ``None`` reads the partner's
            (:func:`price_book_for`).

    Returns:
        The engine's cost result.
    """
    if inputs is None:
        inputs, _ids = cost_input(assessment)
    if result is None:
        stored = stored_scores(assessment=assessment)
        result = (
            estate_result_from_dict(stored.estate) if stored.estate else engine_io.score(assessment)
        )
    book = price_book_for(assessment) if prices is None else prices
    return cost_of_ownership(result, inputs, book)


def scenario_costs(
    *,
    assessment: Assessment,
    scenario: Scenario,
    now: AssessmentResult | EstateResult,
    then: AssessmentResult | EstateResult,
) -> tuple[CostResult, CostResult]:
    """The costs of the assessment as stored and with a what-if scenario's changes.

    Both are read from the same price book, so the difference is the scenario's alone.

    Args:
        assessment: The assessment (its customer selected with it).
        scenario: The scenario whose changes are applied.
        now: The stored estate result.
        then: The scenario's estate result (``scenario_outcome``).

    Returns:
        ``(costs now, costs with the scenario)``.
    """
    current, ids = cost_input(assessment)
    what_if = apply_changes(current, scenario.changes, ids)
    book = price_book_for(assessment)
    return cost_of_ownership(now, current, book), cost_of_ownership(then, what_if, book)
