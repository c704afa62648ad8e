"""The versioned assessment JSON document: schema, loader, dumper, clear errors."""

import copy
import json
from datetime import date

import pytest
from assessments.schema import (
    FORMAT,
    FORMAT_VERSION,
    DocumentError,
    dump_document,
    load_document,
    schema,
)
from assessments.schema.document import PERSONA_ANSWERS
from jsonschema import Draft202012Validator
from scoring_builders import BLANK, GOOD

from scoring import AssessmentInput, CustomerInput, score_assessment
from scoring import inputs as I
from scoring.inputs import field_names

FULL = AssessmentInput(
    title="Global rollout",
    customer=CustomerInput(name="Fabrikam", industry="Manufacturing", country="DE"),
    pbx_contract_end=date(2027, 3, 31),
    voice_staff_fte=1.5,
    voice_skills="generalist",
    phone_numbers=1200,
    sites=(GOOD, BLANK),
)


def doc(**changes):
    d = json.loads(json.dumps(dump_document(FULL)))
    for path, value in changes.items():
        target = d
        *parents, last = path.split("__")
        for p in parents:
            target = target[int(p)] if p.isdigit() else target[p]
        target[int(last) if last.isdigit() else last] = value
    return d


def test_the_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_round_trip_through_json_keeps_everything():
    data = json.loads(json.dumps(dump_document(FULL, exported_at="2026-11-25T10:00:00Z")))
    assert data["format"] == FORMAT and data["format_version"] == FORMAT_VERSION
    assert data["meta"]["customer"]["name"] == "Fabrikam"
    assert data["answers"]["pbx_contract_end"] == "2027-03-31"
    assert load_document(data) == FULL
    assert score_assessment(load_document(data)) == score_assessment(FULL)


def test_a_minimal_document_takes_the_defaults():
    a = load_document(
        {
            "format": FORMAT,
            "format_version": 1,
            "meta": {"title": "Quick"},
            "sites": [{"name": "HQ", "country": "GB"}],
        }
    )
    assert a.sites[0] == I.SiteInput(name="HQ", country="GB")
    assert a.voice_skills == "unknown"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"sites__1__client_loss_pct": -5},
            "sites[1].client_loss_pct: -5 is less than the minimum of 0",
        ),
        ({"sites__0__wifi": "great"}, "sites[0].wifi: 'great' is not one of"),
        ({"sites__0__country": "gb"}, "sites[0].country: 'gb' does not match"),
        ({"sites__0__circuits__0__up_mbps": 0}, "sites[0].circuits[0].up_mbps: 0 is less than"),
        ({"sites__0__users": 2.5}, "sites[0].users: 2.5 is not of type 'integer'"),
        (
            {"sites__0__circuits": [{"down_mbps": 50, "up_mbps": 10}] * 13},
            "sites[0].circuits: 13 items; at most 12 are allowed",
        ),
        ({"answers__timeline": "soon"}, "answers.timeline: 'soon' is not one of"),
        (
            {"answers__pbx_contract_end": "31/03/2027"},
            "answers.pbx_contract_end: '31/03/2027' is not a 'date'",
        ),
        ({"sites__0__colour": "red"}, "sites[0]: Additional properties are not allowed ('colour'"),
        ({"sites__1__name": "HQ"}, "sites[1].name: 'HQ' is already used by sites[0]"),
        ({"format_version": 3}, "format_version: 3 is newer than this portal reads (2)"),
        ({"format": "something-else"}, "format: must be 'teams-readiness-assessment'"),
    ],
)
def test_errors_name_the_field(changes, message):
    with pytest.raises(DocumentError) as exc:
        load_document(doc(**changes))
    assert message in str(exc.value)


def test_every_error_is_listed():
    with pytest.raises(DocumentError) as exc:
        load_document(doc(sites__0__wifi="x", sites__1__edge_rtt_ms=-1))
    assert len(exc.value.errors) == 2
    assert "(and 1 more)" in str(exc.value)


def test_not_an_object():
    with pytest.raises(DocumentError, match="document: must be a JSON object"):
        load_document([1, 2])


def test_missing_required_fields():
    d = doc()
    del d["sites"][0]["country"]
    with pytest.raises(DocumentError, match=r"sites\[0\]: 'country' is a required property"):
        load_document(d)


def test_integral_floats_become_ints():
    a = load_document(doc(sites__0__users=40.0))
    assert a.sites[0].users == 40 and isinstance(a.sites[0].users, int)


def _schema_enum(node):
    if "$ref" in node:
        return schema()["$defs"][node["$ref"].rsplit("/", 1)[1]]["enum"]
    return node["enum"]


def test_schema_matches_the_engine_inputs():
    # The document, the engine and the models share field names and choice values; this
    # guards the schema against drift from inputs.py.
    s = schema()
    answers = s["properties"]["answers"]["properties"]
    site = s["$defs"]["site"]["properties"]
    circuit = s["$defs"]["circuit"]["properties"]
    assert set(answers) == set(field_names(I.AssessmentInput)) - {"title", "customer", "sites"}
    # Version 2 asks the engine's personas as one count of users per persona.
    assert set(site) == set(field_names(I.SiteInput)) - {"personas"} | set(PERSONA_ANSWERS)
    assert set(circuit) == set(field_names(I.CircuitInput))
    choices = {**I._ORG_CHOICES, **I._SITE_CHOICES}
    for name, allowed in choices.items():
        node = answers.get(name) or site[name]
        assert set(_schema_enum(node)) == set(allowed), name
    assert set(circuit["role"]["enum"]) == {m.value for m in I.CircuitRole}
    assert set(circuit["kind"]["enum"]) == {m.value for m in I.CircuitKind}


def test_loading_does_not_mutate_the_input():
    d = doc()
    before = copy.deepcopy(d)
    load_document(d)
    assert d == before
