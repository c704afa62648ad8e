"""What each PSTN model costs an assessment's customer, from its partner's price book."""

from assessments import engine_io
from assessments.models import Assessment
from assessments.services.scores import stored_scores
from costs.selectors import price_book_for as organisation_price_book
from scoring.costs import CostResult, PriceBook, cost_of_ownership
from scoring.decode import estate_result_from_dict
from scoring.inputs import AssessmentInput
from scoring.results import AssessmentResult, EstateResult


def price_book_for(assessment: Assessment) -> PriceBook:
    """The price book the assessment's costs are read from: its partner's, as stored now.

    Args:
        assessment: The assessment (its organisation owns the book).

    Returns:
        The engine's price book (one query); a partner without one gets an empty book, so
        every model shows as "not priced" (never as free).
    """
    return organisation_price_book(assessment.organisation)


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
            ``None`` reads the stored assessment's (two queries).
        prices: The price book to use; ``None`` reads the partner's
            (:func:`price_book_for`).

    Returns:
        The engine's cost result.
    """
    if inputs is None:
        inputs = engine_io.assessment_input(assessment)
    if result is None:
        stored = stored_scores(assessment=assessment)
        result = (
            estate_result_from_dict(stored.estate) if stored.estate else engine_io.score(assessment)
        )
    book = price_book_for(assessment) if prices is None else prices
    return cost_of_ownership(result, inputs, book)
