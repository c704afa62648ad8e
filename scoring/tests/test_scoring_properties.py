"""Properties of the engine over random assessments (hypothesis)."""

import json
from dataclasses import replace

from assessments.schema import dump_document, load_document
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import inputs as I
from scoring import score_assessment, score_site
from scoring.countries import CountryOverride, FitOptions
from scoring.network import score_network

settings.register_profile(
    "scoring", parent=settings.get_profile("portal"), max_examples=150, deadline=None
)
settings.load_profile("scoring")

MEASURES = {
    "client_rtt_ms": 1_000.0,
    "client_jitter_ms": 200.0,
    "client_loss_pct": 100.0,
    "client_reorder_pct": 5.0,
    "edge_rtt_ms": 1_000.0,
    "edge_jitter_ms": 200.0,
    "edge_loss_pct": 100.0,
    "edge_reorder_pct": 5.0,
}


def choice(enum):
    return st.sampled_from([m.value for m in enum])


def measure(upper):
    return st.one_of(st.none(), st.floats(0, upper, allow_nan=False))


circuits = st.builds(
    I.CircuitInput,
    down_mbps=st.floats(0.01, 10_000),
    up_mbps=st.floats(0.01, 10_000),
    role=choice(I.CircuitRole),
    kind=choice(I.CircuitKind),
)

countries = st.sampled_from(["GB", "US", "CA", "DE", "FR", "IN", "BR", "JP", "AE", "ZA", "MX"])


@st.composite
def sites(draw, name=None):
    return I.SiteInput(
        name=name or draw(st.text("abcdefgh ", min_size=1, max_size=8).filter(str.strip)),
        country=draw(countries),
        users=draw(st.integers(0, 5_000)),
        peak_concurrency=draw(st.one_of(st.none(), st.integers(1, 100))),
        teams_rooms=draw(st.integers(0, 30)),
        analog_devices=draw(st.integers(0, 50)),
        fax_lines=draw(st.integers(0, 5)),
        door_elevator_phones=draw(st.integers(0, 5)),
        overhead_paging=draw(choice(I.YesNoUnknown)),
        sdwan=draw(choice(I.YesNoUnknown)),
        lte_backup=draw(choice(I.YesNoUnknown)),
        internet_breakout=draw(choice(I.Breakout)),
        proxy=draw(choice(I.Bypass)),
        vpn=draw(choice(I.Bypass)),
        qos=draw(choice(I.Qos)),
        wifi=draw(choice(I.WiFi)),
        firewall_media_ports=draw(choice(I.YesNoUnknown)),
        operator_available=draw(choice(I.YesNoUnknown)),
        regulation=draw(choice(I.Regulation)),
        needs_survivability=draw(choice(I.YesNoUnknown)),
        emergency_address_ready=draw(choice(I.Readiness)),
        circuits=tuple(draw(st.lists(circuits, max_size=3))),
        **{field: draw(measure(upper)) for field, upper in MEASURES.items()},
    )


@st.composite
def assessments(draw, max_sites=6):
    n = draw(st.integers(0, max_sites))
    return I.AssessmentInput(
        title=draw(st.text(max_size=20)),
        customer=I.CustomerInput(name=draw(st.text(max_size=20))),
        operating_model=draw(choice(I.OperatingModel)),
        voice_skills=draw(choice(I.VoiceSkills)),
        voice_staff_fte=draw(st.one_of(st.none(), st.sampled_from([0.0, 0.5, 2.0]))),
        risk_tolerance=draw(choice(I.Level)),
        timeline=draw(choice(I.Timeline)),
        routing_complexity=draw(choice(I.RoutingComplexity)),
        keep_current_carrier=draw(choice(I.YesNoUnknown)),
        multi_carrier=draw(choice(I.YesNoUnknown)),
        existing_sbcs=draw(choice(I.ExistingSbcs)),
        pbx_coexistence=draw(choice(I.YesNoUnknown)),
        survivability_required=draw(choice(I.YesNoUnknown)),
        contact_centre=draw(choice(I.ContactCentre)),
        compliance_recording=draw(choice(I.YesNoUnknown)),
        mobile_first_share=draw(st.one_of(st.none(), st.integers(0, 100))),
        phone_numbers=draw(st.one_of(st.none(), st.integers(0, 100_000))),
        dynamic_emergency_required=draw(choice(I.YesNoUnknown)),
        sites=tuple(draw(sites(name=f"Site {i}")) for i in range(n)),
    )


def _check_explained(result):
    for r in result.sites:
        net = r.network
        assert 0 <= net.score <= 100
        assert 0 <= net.confidence <= 100
        assert net.score == net.base + sum(f.points for f in net.findings)
        for f in r.fits:
            assert 0 <= f.fit <= 100
            assert f.fit == f.base + sum(x.points for x in f.findings)
    for f in result.fits:
        assert 0 <= f.fit <= 100
        assert f.fit == f.base + sum(x.points for x in f.findings)


@given(assessments())
def test_scores_stay_in_range_and_findings_explain_them_exactly(a):
    _check_explained(score_assessment(a))


@given(assessments())
def test_scoring_is_deterministic(a):
    first, second = score_assessment(a), score_assessment(a)
    assert first == second
    assert json.dumps(first.to_dict(), sort_keys=True) == json.dumps(
        second.to_dict(), sort_keys=True
    )


@given(sites(), st.sampled_from(sorted(MEASURES)), st.floats(0, 1), st.floats(0, 1))
def test_a_better_measurement_never_lowers_readiness(s, field, a, b):
    worse, better = sorted((a, b), reverse=True)
    upper = MEASURES[field]
    bad = score_network(replace(s, **{field: worse * upper}))
    good = score_network(replace(s, **{field: better * upper}))
    assert good.score >= bad.score


@given(sites(), st.floats(1, 100))
def test_more_bandwidth_never_lowers_readiness(s, factor):
    bigger = tuple(
        replace(
            c,
            down_mbps=min(c.down_mbps * factor, 1_000_000),
            up_mbps=min(c.up_mbps * factor, 1_000_000),
        )
        for c in s.circuits
    )
    assert score_network(replace(s, circuits=bigger)).score >= score_network(s).score


@given(sites(), circuits.filter(lambda c: c.role != "primary"))
def test_an_added_backup_circuit_scores_no_worse_than_no_backup(s, backup):
    # Against a known "no backup" (an unknown costs no points, so a backup that turns out
    # too small may score below it: that is a finding, not a penalty for answering).
    s = replace(s, lte_backup="no")
    before = score_network(s)
    after = score_network(replace(s, circuits=(*s.circuits, backup)))
    assert after.score >= before.score
    assert after.completeness >= before.completeness


@given(sites())
def test_an_answered_question_never_lowers_confidence(s):
    base = score_network(replace(s, qos="unknown", wifi="unknown"))
    answered = score_network(replace(s, qos="none", wifi="unmanaged"))
    assert answered.confidence >= base.confidence


@given(assessments(max_sites=3))
def test_documents_round_trip(a):
    data = json.loads(json.dumps(dump_document(a)))
    assert load_document(data) == a


@given(sites())
def test_score_site_matches_the_site_inside_an_assessment(s):
    a = I.AssessmentInput(voice_skills="none", sites=(s,))
    assert score_site(s, a) == score_assessment(a).sites[0]


answers = st.sampled_from(["yes", "no", "unknown"])


@given(assessments(), st.dictionaries(countries, st.tuples(answers, answers), max_size=4))
def test_a_model_unavailable_at_a_site_is_never_that_sites_recommendation(a, overrides):
    options = FitOptions(
        overrides={c: CountryOverride(c, oc, tpm) for c, (oc, tpm) in overrides.items()}
    )
    result = score_assessment(a, options)
    for r in result.sites:
        assert r.fit(r.recommendation.model).availability != "unavailable", r.site
    # The chart highlights the main model; when one model serves every site it is also
    # the tallest bar (each site chose its best fit).
    rec = result.recommendation
    if rec.kind == "single":
        best = max(f.fit for f in result.fits)
        assert rec.chart_model == rec.model
        assert next(f for f in result.fits if f.model == rec.model).fit == best


@given(sites(), assessments(), st.sampled_from(["no", "unknown"]))
def test_adding_an_operator_to_a_country_never_lowers_operator_connect(s, a, before):
    s = replace(s, operator_available="unknown")
    without = FitOptions(overrides={s.country: CountryOverride(s.country, before)})
    with_operator = FitOptions(overrides={s.country: CountryOverride(s.country, "yes")})
    lower = score_site(s, a, without).fit("operator_connect").fit
    assert score_site(s, a, with_operator).fit("operator_connect").fit >= lower
