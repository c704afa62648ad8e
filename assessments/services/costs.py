"""What each PSTN model costs an assessment's customer, from its partner's price book."""

import dataclasses
import hashlib
import threading
from collections import OrderedDict
from typing import Any

from assessments import engine_io
from assessments.models import Assessment, AssessmentScore, Scenario, Site
from assessments.schema.document import PERSONA_ANSWERS, personas_from_answers
from assessments.services.scenarios import apply_changes
from assessments.services.scores import stored_scores
from costs.selectors import price_book_for as organisation_price_book
from scoring.costs import EMPTY_BOOK, CostResult, PriceBook, cost_of_ownership
from scoring.decode import cost_result_from_dict, estate_result_from_dict
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


def costs_key(prices: PriceBook, answers: AssessmentInput) -> str:
    """A key of what costs depend on besides the result and the sites they are priced from.

    The price book (its version, and its currency and lines too: a book edited without a
    new version must not leave old figures kept) and the organisation's answers, the
    cost-only ones included (licences held, auto attendants, IT's hourly cost move no
    score, so the stored scores' keys leave them out).

    Args:
        prices: The price book the costs are read from.
        answers: The organisation-wide answers (``engine_io.assessment_input(a, [])``).

    Returns:
        A hex digest: equal keys, with equal results and sites, give equal costs.
    """
    book = (prices.version, prices.currency, sorted(prices.prices.items()))
    return _digest(book, dataclasses.replace(answers, sites=()))


def _digest(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


# Per process: kept costs decoded once per key (equal keys, equal costs), for the last
# DECODED_KEPT estates; forgetting one costs a decode, never a wrong figure.
DECODED_KEPT = 256
_decoded: OrderedDict[str, CostResult] = OrderedDict()
_decoded_lock = threading.Lock()


def _decoded_by_key(key: str) -> CostResult | None:
    with _decoded_lock:
        found = _decoded.get(key)
        if found is not None:
            _decoded.move_to_end(key)
        return found


def _decode_kept(key: str, plain: dict[str, Any]) -> CostResult:
    found = _decoded_by_key(key)
    if found is not None:
        return found
    costs = cost_result_from_dict(plain)
    _remember(key, costs)
    return costs


def _remember(key: str, costs: CostResult) -> None:
    with _decoded_lock:
        _decoded[key] = costs
        while len(_decoded) > DECODED_KEPT:
            _decoded.popitem(last=False)


# What the kept costs' key is made of, of the score summary row (read with the estate's
# state by ``scores.stored_scores``, or here).
KEY_FIELDS = ("scored_at", "updating_since", "progress_done", "costs_key")


def _kept_estate_costs(
    assessment: Assessment, book: PriceBook, state: dict[str, Any] | None = None
) -> tuple[CostResult, tuple[AssessmentInput, dict[str, int]] | None, str]:
    """The stored estate's costs, the cost input when it had to be read (else None), the key.

    Kept on the score summary row while its key holds: when the estate was last scored
    (every change to a site or the assessment rescores what it touches, then the estate),
    how far the worker got while it rescores sites (the estate is scored when it is done)
    and :func:`costs_key`. The key is read before what it describes, so kept costs are
    never older than their key (at worst newer, which the next read replaces).

    Args:
        assessment: The assessment.
        book: Its price book.
        state: The summary row's ``KEY_FIELDS`` as read earlier in the request.
    """
    answers = engine_io.assessment_input(assessment, [])
    if state is None:
        state = AssessmentScore.objects.filter(pk=assessment.pk).values(*KEY_FIELDS).first()
    if state is None:  # never scored: priced from a fresh score, as before, and not kept
        return costs_for(assessment, prices=book), None, ""
    key = _digest(*(state[name] for name in KEY_FIELDS[:-1]), costs_key(book, answers))
    if state["costs_key"] == key:
        # Decoded by this process already, or read now (the costs grow with the estate).
        kept = _decoded_by_key(key)
        if kept is not None:
            return kept, None, key
        plain = (
            AssessmentScore.objects.filter(pk=assessment.pk, costs_key=key)
            .values_list("costs", flat=True)
            .first()
        )
        if plain:
            return _decode_kept(key, plain), None, key
    estate = AssessmentScore.objects.filter(pk=assessment.pk).values_list("estate", flat=True)
    stored = estate.first()
    read = cost_input(assessment)
    if not stored:  # scored before the estate was kept: as costs_for prices it, not kept
        return costs_for(assessment, inputs=read[0], prices=book), read, ""
    costs = cost_of_ownership(estate_result_from_dict(stored), read[0], book)
    AssessmentScore.objects.filter(pk=assessment.pk).update(costs=costs.to_dict(), costs_key=key)
    _remember(key, costs)
    return costs, read, key


def estate_costs(*, assessment: Assessment) -> CostResult:
    """The costs of the estate as stored, kept with its stored result (priced once).

    Equal to ``costs_for(assessment)`` with the stored estate result; priced again only
    when the estate or its sites were rescored, the organisation's answers changed or the
    price book did, so a page of a 2,000-site estate reads them rather than pricing every
    site on each view.

    Args:
        assessment: The assessment (its customer selected with it); read its stored
            scores first (``scores.stored_scores``): a rescore they need changes the key.

    Returns:
        The engine's cost result.
    """
    return _kept_estate_costs(assessment, price_book_for(assessment))[0]


def estate_costs_keyed(
    *, assessment: Assessment, state: dict[str, Any] | None = None
) -> tuple[CostResult, str]:
    """As :func:`estate_costs`, with the key the costs are kept under.

    Args:
        assessment: The assessment (its customer selected with it).
        state: The score summary row's state as ``scores.stored_scores`` read it in this
            request (``Stored.state``), or None to read it.

    Returns:
        The costs, and their key: equal keys, equal costs (so what is rendered from them
        may be kept by it); ``""`` when they are not kept (the estate not scored yet).
    """
    costs, _read, key = _kept_estate_costs(assessment, price_book_for(assessment), state)
    return costs, key


def scenario_costs_kept(
    *, assessment: Assessment, scenario: Scenario, then: AssessmentResult | EstateResult
) -> tuple[CostResult, CostResult]:
    """As :func:`scenario_costs`, the scenario's costs kept with its stored outcome.

    The scenario's costs are priced when its outcome is (``scenario_outcome`` scored it
    again) or when the organisation's answers or the price book changed since, and kept
    with it; the estate's as :func:`estate_costs`.

    Args:
        assessment: The assessment (its customer selected with it).
        scenario: The scenario, its outcome read first (``scenario_outcome``): its
            ``outcome_key`` is the one ``then`` was scored under.
        then: The scenario's estate result (``scenario_outcome``).

    Returns:
        ``(costs now, costs with the scenario)``, both from the same price book.
    """
    book = price_book_for(assessment)
    now, read, _key = _kept_estate_costs(assessment, book)
    key = _digest(scenario.outcome_key, costs_key(book, engine_io.assessment_input(assessment, [])))
    if scenario.costs_key == key and scenario.costs:
        return now, cost_result_from_dict(scenario.costs)
    current, ids = read if read is not None else cost_input(assessment)
    costs = cost_of_ownership(then, apply_changes(current, scenario.changes, ids), book)
    scenario.costs, scenario.costs_key = costs.to_dict(), key
    # Not ``save()``: pricing a scenario is not changing it (``updated_at`` orders them).
    Scenario.objects.filter(pk=scenario.pk).update(costs=scenario.costs, costs_key=key)
    return now, costs
