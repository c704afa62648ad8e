"""Result objects: the fast builders make ordinary frozen dataclasses; JSON conversion."""

import dataclasses
import json
import pickle

import pytest
from scoring_builders import BLANK, GOOD, assessment

from scoring import score_assessment
from scoring.results import (
    Finding,
    ModelFit,
    finding_template,
    from_template,
    from_template_points,
    from_template_values,
    new_finding,
    new_model_fit,
)

ARGS = ("NET.X.OK", "HQ", ("f",), (1.5,), "info", 0, 4, "msg", "advice", "§2.1", False, None)


def test_new_finding_equals_the_dataclass_constructor():
    fast, slow = new_finding(*ARGS), Finding(*ARGS)
    assert type(fast) is Finding
    assert fast == slow and hash(fast) == hash(slow)
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow


def test_fast_built_findings_are_frozen():
    f = new_finding(*ARGS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.points = 5  # type: ignore[misc]
    assert not hasattr(f, "__dict__")


def test_templates_fill_in_the_site_values_and_points():
    t = finding_template("NET.X.UNKNOWN", None, ("f",), (None,), "medium", -4, 4, "m", "a", "§2.1")
    assert from_template(t, "HQ") == Finding(
        "NET.X.UNKNOWN", "HQ", ("f",), (None,), "medium", -4, 4, "m", "a", "§2.1"
    )
    assert from_template_values(t, "HQ", (3,)).values == (3,)
    assert from_template_points(t, "HQ", -9).points == -9


def test_generated_builders_equal_the_constructor():
    args = ("operator_connect", "Operator Connect", 50, 70, "good", "Good fit", True, (),
            "available", ())  # fmt: skip
    assert new_model_fit(*args) == ModelFit(*args)
    with pytest.raises(dataclasses.FrozenInstanceError):
        new_model_fit(*args).fit = 1  # type: ignore[misc]


def test_to_dict_is_plain_json():
    result = score_assessment(assessment(GOOD, BLANK, voice_skills="none"))
    data = result.to_dict()
    text = json.dumps(data)
    assert json.loads(text)["ruleset_version"] == result.ruleset_version
    site = data["sites"][1]
    assert site["network"]["grade"] == "not_assessed"
    assert {"code", "site", "fields", "values", "severity", "points", "source"} <= set(
        site["network"]["findings"][0]
    )
    assert set(site["network"]["findings"][0]["source"]) == {"title", "url"}
    assert site["network"]["to_find_out"][0]["how"]
    assert site["network"]["projection"]["grade"] == "not_assessed"
    assert data["recommendation"]["summary"]
    assert data["ownership"]["rows"][0]["cells"][0]["owner_label"]
