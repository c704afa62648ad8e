"""A stored result read back is equal to the result the engine made."""

import json

import pytest
from hypothesis import given, settings

from scoring import score_assessment
from scoring.decode import estate_result_from_dict, site_result_from_dict
from scoring.engine import aggregate, site_part
from scoring.tests.scoring_builders import assessment, site
from scoring.tests.test_scoring_parts import with_hubs


def _json(obj):
    """As it comes back from a JSON column."""
    return json.loads(json.dumps(obj.to_dict()))


@settings(max_examples=60)
@given(with_hubs())
def test_site_and_estate_results_read_back_equal(a):
    whole = score_assessment(a)
    for result in whole.sites:
        assert site_result_from_dict(_json(result)) == result
    estate = aggregate(a, [site_part(r, s, a) for r, s in zip(whole.sites, a.sites, strict=True)])
    assert estate_result_from_dict(_json(estate)) == estate


def test_a_result_stored_before_a_field_existed_reads_with_its_default_or_is_refused():
    result = score_assessment(assessment(site(name="Leeds"))).sites[0]
    stored = _json(result)
    del stored["recommendation"]["status"]  # has a default: read with it
    assert site_result_from_dict(stored) == result
    del stored["network"]  # required: refused, so the caller scores the site again
    with pytest.raises(KeyError):
        site_result_from_dict(stored)
