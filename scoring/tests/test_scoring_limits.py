"""Hard limits before preference, site designs, and whole customers (domain.md §1, §4.3)."""

import pytest
from scoring_builders import GOOD, assessment, codes, site

from scoring import AssessmentInput, score_assessment, score_site
from scoring.countries import CountryOverride, FitOptions, country_data
from scoring.pstn_fit import choose
from scoring.results import ModelFit

NO_SKILLS = {"voice_skills": "none", "operating_model": "product", "risk_tolerance": "low"}


@pytest.mark.parametrize(
    ("changes", "unavailable"),
    [
        ({"country": "BR"}, {"calling_plans"}),
        ({"operator_available": "no"}, {"operator_connect"}),
        ({"needs_survivability": "yes"}, {"operator_connect", "calling_plans",
                                          "direct_routing_hosted"}),
        ({"country": "DE", "regulation": "toll_bypass"},
         {"operator_connect", "calling_plans", "direct_routing_hosted"}),
        ({"country": "IN"}, {"calling_plans", "direct_routing_hosted", "teams_phone_mobile"}),
        ({"country": "MT", "operator_available": "no"}, {"calling_plans", "operator_connect"}),
    ],
)  # fmt: skip
@pytest.mark.parametrize("answers", [{}, NO_SKILLS, {"mobile_first_share": 90}])
def test_an_unavailable_model_is_never_recommended(changes, unavailable, answers):
    result = score_site(site(**changes), assessment(**answers))
    for model in unavailable:
        fit = result.fit(model)
        assert (fit.availability, fit.fit) == ("unavailable", 0), model
        assert fit.unavailable_because, model  # the reason is given
    assert result.recommendation.model not in unavailable


def _fit(model, fit, availability="available"):
    return ModelFit(model, model, 50, fit, "possible", "Possible", availability != "unavailable",
                    (), availability, ())  # fmt: skip


# MODELS order: operator_connect, direct_routing, direct_routing_hosted, calling_plans, TPM.
@pytest.mark.parametrize(
    ("fits", "chosen"),
    [
        # Equal fits: an available model beats one whose availability is unknown.
        (((60, "unknown"), (50,), (50,), (60, "available"), (0, "unavailable")), 3),
        # Equal and available: the one leaving IT less to own (OC, CP, TPM, hosted, self).
        (((60,), (60,), (60,), (60,), (60,)), 0),
        (((0, "unavailable"), (60,), (60,), (60,), (60,)), 3),
        (((0, "unavailable"), (60,), (60,), (0, "unavailable"), (0, "unavailable")), 2),
        # A higher fit wins whatever the ownership.
        (((55,), (70,), (60,), (0, "unavailable"), (0, "unavailable")), 1),
    ],
)
def test_a_tie_goes_to_an_available_model_then_to_less_ownership(fits, chosen):
    models = ("operator_connect", "direct_routing", "direct_routing_hosted", "calling_plans",
              "teams_phone_mobile")  # fmt: skip
    built = tuple(_fit(m, *spec) for m, spec in zip(models, fits, strict=True))
    assert choose(built) == chosen


@pytest.mark.parametrize(
    "answers",
    [
        NO_SKILLS,
        {**NO_SKILLS, "voice_staff_fte": 0, "timeline": "urgent"},
        {"multi_carrier": "yes"},
    ],
)
@pytest.mark.parametrize("where", [{"needs_survivability": "yes"},
                                   {"needs_survivability": "unknown"}])  # fmt: skip
def test_a_survivability_site_never_gets_hosted_direct_routing(answers, where):
    a = assessment(survivability_required="yes", **answers)
    result = score_site(site(**where), a)
    assert result.fit("direct_routing_hosted").availability == "unavailable"
    assert result.recommendation.model == "direct_routing"
    assert "SITE.SBA.EMERGENCY" in codes(result.notes)  # no location in SBA mode


@pytest.mark.parametrize("country", ["US", "CA"])
@pytest.mark.parametrize("answer", ["yes", "no", "unknown"])
@pytest.mark.parametrize("answers", [{}, NO_SKILLS, {"voice_skills": "dedicated"}])
def test_a_us_or_canadian_site_always_needs_dynamic_emergency_calling(country, answer, answers):
    a = assessment(dynamic_emergency_required=answer, **answers)
    result = score_site(site(country=country), a)
    design = result.recommendation.design
    assert any("dispatchable location" in r for r in design.requirements)
    note = next(n for n in result.notes if n.code == "SITE.EMERGENCY.DISPATCHABLE")
    assert note.severity == ("info" if answer == "yes" else "medium")


@pytest.mark.parametrize(
    "answers",
    [
        {},
        NO_SKILLS,
        {"voice_skills": "dedicated", "operating_model": "platform"},
        {"compliance_recording": "yes", "mobile_first_share": 100},
        {"survivability_required": "yes"},
    ],
)
@pytest.mark.parametrize("operator", ["yes", "no", "unknown"])
@pytest.mark.parametrize("regulation", ["unknown", "none", "toll_bypass"])
def test_an_indian_site_gets_one_of_the_two_compliant_answers(answers, operator, regulation):
    s = site(country="IN", operator_available=operator, regulation=regulation)
    rec = score_site(s, assessment(**answers)).recommendation
    assert (rec.model, rec.label) in {
        ("direct_routing", "Direct Routing with Location-Based Routing"),
        ("operator_connect", "Operator Connect for India"),
    }
    # Nothing lifts a law: no "what would change" line offers a way round it.
    assert not any("India" in c and "would fit" in c for c in rec.what_would_change)


def test_the_country_facts_come_from_one_dated_file_with_sources():
    data = country_data()
    assert data["as_of"] == "2024-08-05"
    assert all(src["url"].startswith("https://") for src in data["sources"])
    assert data["countries"]["IN"]["operator_connect"] == "yes"  # Operator Connect for India


# ---- Whole customers -----------------------------------------------------------------


def test_a_small_office_in_a_calling_plan_market_gets_calling_plans():
    office = AssessmentInput(
        title="Small office",
        operating_model="product",
        voice_skills="none",
        voice_staff_fte=0,
        routing_complexity="simple",
        sites=(site(name="Luxembourg", country="LU", users=15, operator_available="unknown"),),
    )
    result = score_assessment(office)
    rec = result.recommendation
    assert (rec.kind, rec.model, rec.chart_model) == ("single", "calling_plans", "calling_plans")
    # The headline and the chart agree: Calling Plans is the tallest bar.
    assert max(result.fits, key=lambda f: f.fit).model == "calling_plans"
    assert rec.summary == "Calling Plans for every site."
    assert result.ownership.plan.sbc_count == 0
    assert rec.country_data.startswith("countries.json as of 2024-08-05")


def test_a_maltese_site_without_an_operator_gets_direct_routing_as_a_service():
    # Malta sells no Calling Plans; the partner knows no Operator Connect operator there.
    options = FitOptions(overrides={"MT": CountryOverride("MT", operator_connect="no")})
    a = assessment(site(name="Valletta", country="MT", operator_available="unknown"), **NO_SKILLS)
    result = score_assessment(a, options)
    valletta = result.sites[0]
    assert valletta.fit("operator_connect").unavailable_because == ("FIT.OC.OPERATOR.NONE",)
    assert valletta.fit("calling_plans").availability == "unavailable"
    assert valletta.recommendation.model == "direct_routing_hosted"
    assert result.recommendation.dr_variant == "hosted"
    assert result.recommendation.country_data.endswith("partner overrides: MT")
    # Told the other way (the partner's operator covers Malta), Operator Connect wins.
    covered = FitOptions(overrides={"MT": CountryOverride("MT", operator_connect="yes")})
    assert score_assessment(a, covered).sites[0].recommendation.model == "operator_connect"


def test_a_factory_with_paging_gets_operator_connect_plus_a_gateway_it_owns():
    factory = site(name="Factory", country="DE", users=250, overhead_paging="yes",
                   door_elevator_phones=4, fax_lines=2)  # fmt: skip
    result = score_assessment(assessment(factory, **NO_SKILLS))
    rec = result.sites[0].recommendation
    assert rec.model == "operator_connect"
    assert [(g.kind, g.purpose, g.devices, g.owner) for g in rec.design.gateways] == [
        ("sbc", "paging", 1, "customer_it"),
        ("sbc", "fax", 2, "customer_it"),
        ("sbc", "door_phones", 4, "customer_it"),
    ]
    assert rec.design.summary.startswith("Operator Connect for 250 user(s) + SBC gateway")
    # The gateway's SBC is in what IT owns although the users are on Operator Connect.
    assert result.ownership.plan.sbc_count == 1
    assert result.ownership.gateways.certificate_renewals_per_year == 2


def test_a_hospital_with_survivability_and_no_voice_team_is_told_what_would_change():
    hospital = site(name="St Mary's", users=800, needs_survivability="yes")
    result = score_assessment(assessment(hospital, voice_staff_fte=0, **NO_SKILLS))
    rec = result.sites[0].recommendation
    assert rec.model == "direct_routing"  # the only model that keeps calling local
    assert [g.kind for g in rec.design.gateways] == ["sba"]
    assert rec.status == "poor_fit"
    assert any(
        c.startswith("Operator Connect would fit") and " with dropping the survivability" in c
        for c in rec.what_would_change
    )
    assert any("survivability" in c for c in rec.what_would_change)
    overall = result.recommendation
    assert overall.status == "poor_fit" and "No available model fits St Mary's well" in (
        overall.summary
    )
    assert "SITE.SBA.EMERGENCY" in codes(result.sites[0].notes)


def test_a_us_multi_site_customer_needs_dispatchable_locations_everywhere_it_is_law():
    a = assessment(
        site(name="Chicago", country="US", users=900),
        site(name="Austin", country="US", users=300, needs_survivability="yes"),
        site(name="Toronto", country="CA", users=200),
        site(name="London", country="GB", users=100),
        voice_skills="generalist",
        dynamic_emergency_required="no",
    )
    result = score_assessment(a)
    by_name = {r.site: r for r in result.sites}
    for name in ("Chicago", "Austin", "Toronto"):
        reqs = by_name[name].recommendation.design.requirements
        assert any("dispatchable location" in r for r in reqs), name
    assert not any(
        "dispatchable" in r for r in by_name["London"].recommendation.design.requirements
    )
    # Austin's SBA keeps calling up in an outage, but its emergency calls lose location.
    assert any("no location" in r for r in by_name["Austin"].recommendation.design.requirements)
    assert result.recommendation.kind == "mix"
    assert dict(result.recommendation.sites_by_model)["direct_routing"] == ("Austin",)


def test_keeping_a_carrier_of_unknown_programme_membership_asks_instead_of_zeroing():
    a = assessment(keep_current_carrier="yes")
    unknown = score_site(GOOD, a).fit("operator_connect")
    finding = next(f for f in unknown.findings if f.code == "FIT.CARRIER.OC.UNKNOWN")
    assert finding.missing and finding.points == 0
    member = score_site(
        GOOD, assessment(keep_current_carrier="yes", carrier_in_operator_connect="yes")
    )
    outsider = score_site(
        GOOD, assessment(keep_current_carrier="yes", carrier_in_operator_connect="no")
    )
    assert member.fit("operator_connect").fit == unknown.fit + 10
    assert outsider.fit("operator_connect").fit == unknown.fit - 20


def test_urgent_porting_narrows_the_fast_enablement_advantage():
    urgent = score_site(GOOD, assessment(timeline="urgent"))
    porting = score_site(GOOD, assessment(timeline="urgent", porting_required="yes"))
    assert porting.fit("operator_connect").fit == urgent.fit("operator_connect").fit - 5
    assert porting.fit("direct_routing").fit == urgent.fit("direct_routing").fit
