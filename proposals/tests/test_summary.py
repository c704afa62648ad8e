"""The executive summary's reasons: why the recommended model, in plain words."""

import pytest

from proposals.pdf.sections.summary import _reasons


def _fits(oc: int, dr: int) -> list[dict]:
    return [
        {"model": "operator_connect", "label": "Operator Connect", "fit": oc, "findings": []},
        {"model": "direct_routing", "label": "Direct Routing", "fit": dr, "findings": []},
    ]


@pytest.mark.parametrize(
    ("model", "oc", "dr", "says"),
    [
        ("operator_connect", 70, 40, "best overall: 70 of 100, against 40 for Direct Routing,"),
        ("operator_connect", 50, 50, "equally well (50 of 100); on a tie we recommend Operator"),
        ("direct_routing", 50, 50, "(50 of 100); Direct Routing is recommended for the sites"),
    ],
)
def test_the_summary_says_why_when_the_two_models_tie(model, oc, dr, says):
    results = {"recommendation": {"model": model, "reasons": []}, "fits": _fits(oc, dr)}
    if model == "direct_routing":
        results["fits"].reverse()
    figures = {"sites": 0, "ready": 0}
    assert any(says in reason for reason in _reasons(results, {}, figures))


def _fit(model: str, label: str, fit: int, availability: str = "available") -> dict:
    return {
        "model": model,
        "label": label,
        "fit": fit,
        "findings": [],
        "availability": availability,
    }


def test_the_why_compares_the_recommended_model_with_the_next_available_one_whichever_it_is():
    # Operator Connect would fit best but no operator serves the country: the comparison
    # is with Calling Plans, the best model that could have been chosen instead.
    results = {
        "recommendation": {"model": "direct_routing_hosted", "reasons": []},
        "fits": [
            _fit("operator_connect", "Operator Connect", 0, "unavailable"),
            _fit("direct_routing", "Direct Routing, self-managed", 30),
            _fit("direct_routing_hosted", "Direct Routing as a service", 75),
            _fit("calling_plans", "Calling Plans", 60),
        ],
    }
    reasons = _reasons(results, {}, {"sites": 0, "ready": 0})
    assert reasons[0] == (
        "Direct Routing as a service fits this customer best overall: 75 of 100, against 60 "
        "for Calling Plans, the next best."
    )
    assert not any("Operator Connect" in reason for reason in reasons)


def test_a_main_model_below_the_tallest_bar_is_not_called_the_best_overall():
    # Most users sit at Calling Plans sites; Operator Connect averages more across sites.
    results = {
        "recommendation": {
            "model": "calling_plans",
            "reasons": [],
            "sites_by_model": [["calling_plans", ["New York"]], ["operator_connect", ["Austin"]]],
        },
        "fits": [
            _fit("operator_connect", "Operator Connect", 70),
            _fit("calling_plans", "Calling Plans", 67),
        ],
    }
    reasons = _reasons(results, {}, {"sites": 0, "ready": 0})
    assert reasons[0] == (
        "Operator Connect averages 70 of 100 across all sites against 67 for Calling Plans, "
        "but Calling Plans is the answer at the sites with most of your users; Operator Connect is "
        "recommended at Austin."
    )
