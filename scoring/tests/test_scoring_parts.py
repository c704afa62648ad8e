"""Scoring some sites and aggregating stored parts gives what scoring everything gives."""

import json
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from scoring import score_assessment
from scoring.countries import CountryOverride, FitOptions
from scoring.engine import (
    aggregate,
    org_inputs_key,
    score_sites,
    site_inputs_keys,
    site_part,
)
from scoring.results import site_part_from_dict
from scoring.tests.scoring_builders import assessment, site
from scoring.tests.test_scoring_properties import assessments


@st.composite
def with_hubs(draw):
    """An assessment where some sites backhaul to a site on its own line."""
    a = draw(assessments(max_sites=6))
    names = [s.name for s in a.sites]
    if len(names) < 2:
        return a
    hub = draw(st.sampled_from(names))
    branches = draw(st.sets(st.sampled_from([n for n in names if n != hub])))
    sites = tuple(replace(s, backhaul_hub=hub if s.name in branches else "") for s in a.sites)
    return replace(a, sites=sites)


def _stored(part):
    """A part as it comes back from a JSON column."""
    return site_part_from_dict(json.loads(json.dumps(part.to_dict())))


@given(with_hubs())
def test_aggregating_stored_parts_equals_scoring_the_whole_assessment(a):
    whole = score_assessment(a)
    parts = [_stored(site_part(r, s, a)) for r, s in zip(whole.sites, a.sites, strict=True)]
    estate = aggregate(a, parts)
    assert estate.with_sites(whole.sites) == whole


@given(with_hubs(), st.data())
def test_a_subset_is_scored_as_in_the_whole_assessment(a, data):
    whole = {r.site: r for r in score_assessment(a).sites}
    names = data.draw(st.sets(st.sampled_from([s.name for s in a.sites]))) if a.sites else set()
    # Only the named sites and the branches of those among them that are hubs are given.
    needed = names | {s.name for s in a.sites if s.backhaul_hub in names}
    subset = replace(
        a,
        sites=tuple(
            replace(s, backhaul_hub=s.backhaul_hub if s.backhaul_hub in needed else "")
            for s in a.sites
            if s.name in needed
        ),
    )
    scored = score_sites(subset, names)
    assert {r.site for r in scored} == names
    assert all(r == whole[r.site] for r in scored)


def test_a_site_key_moves_with_its_inputs_its_branches_and_the_answers_only():
    base = assessment(site(name="Hub", users=100), site(name="Branch", users=10))
    hubbed = replace(base, sites=(base.sites[0], replace(base.sites[1], backhaul_hub="Hub")))
    org = org_inputs_key(base)
    keys = site_inputs_keys(base, None, org)
    moved = site_inputs_keys(hubbed, None, org)
    # The hub now carries the branch's load; the branch's own result does not change.
    assert moved["Hub"] != keys["Hub"]
    assert moved["Branch"] == keys["Branch"]
    assert org_inputs_key(replace(base, title="Renamed")) == org
    assert org_inputs_key(replace(base, risk_tolerance="high")) != org
    override = FitOptions(overrides={"GB": CountryOverride(country="GB", operator_connect="no")})
    assert org_inputs_key(base, override) != org
