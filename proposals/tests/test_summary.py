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
        ("operator_connect", 70, 40, "best overall: 70 of 100, against 40 for Direct Routing."),
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
