"""The cost of ownership: licence counts, SBC sizing, three-year sums and break-even."""

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_builders import GOOD, assessment, site

from scoring import score_assessment
from scoring.costs import (
    DESIGN,
    EMPTY_BOOK,
    MONTHS,
    BreakEven,
    ModelCost,
    PriceBook,
    PriceBookError,
    break_even,
    cost_of_ownership,
    licence_counts,
)
from scoring.price_lines import LINES, PRICE_LINES, price_problem
from scoring.sbc_sizing import peak_calls, region_of, sbc_plan, size_class

D = Decimal

# A partner's book in euros with every line priced (the figures are a partner's, made up).
PRICES = {
    "oc_user_month": "8.00",
    "calling_plan_user_month": "10.00",
    "dr_hosted_user_month": "6.00",
    "sip_trunk_channel_month": "15.00",
    "tpm_user_month": "9.00",
    "teams_phone_user_month": "9.40",
    "common_area_phone_device_month": "7.50",
    "teams_rooms_pro_room_month": "37.50",
    "resource_account_month": "0",
    "sbc_small": "4000",
    "sbc_medium": "12000",
    "sbc_large": "40000",
    "sbc_session_licence": "30",
    "sbc_support_year": "800",
    "sbc_certificate_year": "120",
    "gateway_port": "150",
    "porting_number": "15",
    "ps_day": "1100",
    "it_hour": "65",
    "network_remediation_site": "2500",
}
BOOK = PriceBook("EUR", {k: D(v) for k, v in PRICES.items()}, version=3)
MODELS = ("operator_connect", "direct_routing", "direct_routing_hosted", "calling_plans",
          "teams_phone_mobile")  # fmt: skip


def book(**changes):
    """The full book with some prices changed (None: not priced)."""
    prices = {k: D(v) for k, v in PRICES.items()}
    prices.update({k: None if v is None else D(v) for k, v in changes.items()})
    return PriceBook("EUR", prices, version=3)


def costs(a, prices=BOOK):
    return cost_of_ownership(score_assessment(a), a, prices)


def counted(a):
    return {c.key: c.count for c in licence_counts(a)}


# --- Licence counts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "how_many", "to_buy"),
    [
        ("unknown", None, 100),  # not known: charged until found out, never assumed held
        ("none", None, 100),
        ("e5", None, 0),  # every user holds it through E5
        ("standalone", None, 0),
        ("e5", 30, 70),
        ("standalone", 100, 0),
        ("e5", 500, 0),  # more held than users: nothing to buy, never a negative count
    ],
)
def test_teams_phone_licences_to_buy_leave_out_the_ones_held(held, how_many, to_buy):
    a = assessment(site(users=100), teams_phone_licences=held,
                   teams_phone_licences_count=how_many)  # fmt: skip
    assert counted(a)["teams_phone_users"] == to_buy


def test_counts_add_the_sites_devices_with_a_rule_behind_each():
    a = assessment(
        site(name="HQ", users=120, common_area_phones=4, teams_rooms=3, analog_devices=2,
             fax_lines=1, door_elevator_phones=1, overhead_paging="yes"),
        site(name="Lyon", country="FR", users=30, common_area_phones=1),
        porting_required="yes", phone_numbers=400,
    )  # fmt: skip
    n = counted(a)
    assert n["users"] == 150
    assert n["common_area_phones"] == 5
    assert n["teams_rooms"] == 3
    assert n["endpoints"] == 155  # users and common area phones with a number
    assert n["gateway_ports"] == 2 + 1 + 1 + 1  # analog, fax, door and one for paging
    assert n["numbers_to_port"] == 400
    # Not answered: an auto attendant per country (GB, FR) and a call queue per site.
    assert n["resource_accounts"] == 2 + 2
    assert all(c.rule and c.source for c in licence_counts(a))


@pytest.mark.parametrize(
    ("porting", "numbers", "ported"),
    [("no", 400, 0), ("yes", 400, 400), ("yes", None, 102), ("unknown", None, 102)],
)
def test_numbers_to_port_follow_the_porting_answer(porting, numbers, ported):
    a = assessment(site(users=100, common_area_phones=2), porting_required=porting,
                   phone_numbers=numbers)  # fmt: skip
    assert counted(a)["numbers_to_port"] == ported


def test_resource_accounts_answered_replace_the_derived_count():
    assert counted(assessment(auto_attendants_queues=7))["resource_accounts"] == 7


@pytest.mark.parametrize(
    ("users", "phones", "queues", "to_buy"),
    [
        (100, 0, 30, 0),  # 25 + 10 free: 30 accounts cost nothing
        (100, 0, 40, 5),  # 35 free, 5 bought
        (95, 5, 40, 5),  # common area phones' Shared Devices licences count towards it
        (9, 0, 26, 1),  # fewer than 10 licences: only the 25
    ],
)
def test_only_resource_accounts_beyond_the_free_allotment_are_bought(users, phones, queues, to_buy):
    a = assessment(site(users=users, common_area_phones=phones), auto_attendants_queues=queues)
    assert counted(a)["resource_accounts"] == queues
    assert counted(a)["resource_accounts_to_buy"] == to_buy


# --- SBC sizing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sessions", "size", "per_side"),
    [(1, "small", 1), (250, "small", 1), (251, "medium", 1), (1_000, "medium", 1),
     (1_001, "large", 1), (5_000, "large", 1), (5_001, "large", 2), (15_001, "large", 4)],
)  # fmt: skip
def test_an_sbc_class_is_the_smallest_that_carries_the_sessions(sessions, size, per_side):
    assert size_class(sessions) == (size, per_side)


def test_peak_calls_come_from_the_bandwidth_models_concurrency():
    # 100 users x 80 % on site x 20 % at the peak = 16 calls; 101 users make 16.16 → 17.
    assert peak_calls(site(users=100, peak_concurrency=20)) == 16
    assert peak_calls(site(users=101, peak_concurrency=20)) == 17


@pytest.mark.parametrize(("users", "size"), [(1_250, "small"), (1_255, "medium")])
def test_a_region_pair_changes_class_at_the_boundary(users, size):
    # 1,250 users x 0.8 x 25 % = 250 calls (small); 1,255 make 251 (medium).
    plan = sbc_plan([site(users=users, peak_concurrency=25)], assessment())
    (group,) = plan.groups
    assert (group.size, group.sbcs) == (size, 2)
    assert group.session_licences == 2 * group.peak_calls  # each of the pair licensed alone


def test_transcoding_for_a_pbx_trunk_weighs_each_call_three_times():
    a = assessment(pbx_coexistence="yes")
    plan = sbc_plan([site(users=525, peak_concurrency=20)], a)  # 84 calls
    (group,) = plan.groups
    assert plan.transcoding
    assert (group.peak_calls, group.sessions, group.size) == (84, 252, "medium")
    assert group.session_licences == 2 * 84  # licences count calls, not capacity


def test_a_pair_per_direct_routing_region_and_local_sbcs_for_site_needs():
    sites = [
        site(name="London"),
        site(name="Boston", country="US"),
        site(name="Toronto", country="CA"),
        site(name="Pune", country="IN"),  # toll bypass: a local pair on the site's network
        site(name="Plant", country="DE", analog_devices=4),  # one local gateway SBC
    ]
    plan = sbc_plan(sites, assessment(*sites))
    regions = {g.region: g for g in plan.groups}
    assert regions["Americas"].sites == ("Boston", "Toronto")
    assert regions["Europe, Middle East and Africa"].sites == ("London", "Plant")
    assert regions["Asia Pacific"].sites == ("Pune",)
    assert (regions["Pune"].sbcs, regions["Plant"].sbcs) == (2, 1)
    assert plan.sbcs == 3 * 2 + 2 + 1
    assert (region_of("BR"), region_of("JP"), region_of("ZA")) == ("americas", "apac", "emea")


def test_media_through_a_vpn_is_not_bypassed():
    sites = [site(name="A"), site(name="B", vpn="through")]
    assert sbc_plan(sites, assessment(*sites)).media_bypass == ("A",)


# --- Sums, not priced, break-even ------------------------------------------------------


def test_every_model_total_is_its_one_off_and_three_years_of_its_lines():
    result = costs(assessment(site(users=45, common_area_phones=2, teams_rooms=1),
                              porting_required="yes"))  # fmt: skip
    for cost in (*result.models, result.design):
        assert cost.priced, cost.model
        one_off = sum(ln.amount for ln in cost.lines if ln.period == "one_off" and ln.amount)
        per_year = sum(ln.amount for ln in cost.lines if ln.period == "year" and ln.amount)
        assert (cost.one_off, cost.per_year) == (one_off, per_year)
        assert cost.total == one_off + 3 * per_year
        assert cost.cumulative[0] == one_off
        assert cost.cumulative[12] == one_off + per_year
        assert len(cost.cumulative) == MONTHS + 1
        for ln in cost.lines:
            assert ln.amount == (ln.count * ln.unit_price * ln.factor).quantize(D("0.01"))


def test_operator_connect_for_ten_users_adds_up_by_hand():
    a = assessment(site(users=10), teams_phone_licences="e5", porting_required="no",
                   auto_attendants_queues=0, it_hourly_cost=D("50"))  # fmt: skip
    scored = score_assessment(a)
    oc = cost_of_ownership(scored, a, BOOK).model("operator_connect")
    hours = next(s for s in scored.ownership.summaries if s.model == "operator_connect")
    lines = {ln.key: ln.amount for ln in oc.lines}
    assert lines["service"] == D("960.00")  # 10 users x 8.00 x 12 months
    assert lines["services"] == D("3850.00")  # 3 days + 0.5 for the one site, at 1,100
    assert lines["it.day_one"] == (D(str(hours.day_one_hours)) * 50).quantize(D("0.01"))
    assert "teams_phone" not in lines  # E5 holds it: not charged again
    assert oc.one_off == lines["services"] + lines["it.day_one"]
    assert oc.per_year == lines["service"] + lines["it.yearly"]


def test_an_empty_book_leaves_every_model_not_priced_never_free():
    result = costs(assessment(), EMPTY_BOOK)
    for cost in (*result.models, result.design):
        assert not cost.priced
        assert (cost.one_off, cost.per_year, cost.total, cost.cumulative) == (None,) * 3 + ((),)
        assert "teams_phone_user_month" in cost.missing
    assert not result.priced
    assert result.break_even == ()


def test_one_blank_price_unprices_only_the_models_needing_it():
    result = costs(assessment(), book(oc_user_month=None))
    priced = {m.model: m.priced for m in result.models}
    assert priced == dict.fromkeys(MODELS, True) | {"operator_connect": False}
    assert result.model("operator_connect").missing == ("oc_user_month",)
    # Teams Phone Mobile needs the operator's fixed service once there are shared phones.
    shared = costs(assessment(site(common_area_phones=3)), book(oc_user_month=None))
    assert shared.model("teams_phone_mobile").missing == ("oc_user_month",)


def test_a_blank_remediation_price_leaves_it_out_and_says_so():
    bad = assessment(site(qos="none", wifi="unmanaged", proxy="through"))
    result = costs(bad, book(network_remediation_site=None))
    oc = result.model("operator_connect")
    assert oc.priced
    (line,) = [ln for ln in oc.lines if ln.key == "remediation"]
    assert line.amount is None and not line.required
    assert any("remediation is not priced" in a for a in result.assumptions)
    with_price = costs(bad).model("operator_connect")
    assert with_price.one_off == oc.one_off + D("2500.00")


def test_hosted_direct_routing_may_be_priced_per_channel_alone():
    result = costs(
        assessment(site(users=100)), book(dr_hosted_user_month=None, dr_hosted_channel_month="40")
    )
    hosted = result.model("direct_routing_hosted")
    assert hosted.priced
    (channels,) = [ln for ln in hosted.lines if ln.key == "service.channels"]
    assert channels.count == 16 and channels.amount == D("7680.00")  # 16 x 40 x 12
    neither = costs(assessment(), book(dr_hosted_user_month=None))
    assert neither.model("direct_routing_hosted").missing == ("dr_hosted_user_month",)


def _cost(model, one_off, per_year):
    cumulative = tuple(D(one_off) + D(per_year) * m / 12 for m in range(MONTHS + 1))
    return ModelCost(model, model, True, (), D(one_off), D(per_year), cumulative[-1],
                     cumulative, ())  # fmt: skip


@pytest.mark.parametrize(
    ("dear", "cheap", "month"),
    [
        ((12_000, 0), (0, 12_000), 12),  # pays back after a year
        ((12_000, 1_000), (0, 13_000), 12),
        ((12_001, 0), (0, 12_000), 13),  # a cent over: the next month
        ((36_000, 0), (0, 12_000), 36),  # exactly at the horizon
        ((36_001, 0), (0, 12_000), None),  # beyond it: no break-even
        ((12_000, 12_000), (0, 12_000), None),  # dearer and no cheaper a year: never
    ],
)
def test_break_even_is_the_first_month_the_dearer_start_is_cheaper(dear, cheap, month):
    found = break_even([_cost("a", *dear), _cost("b", *cheap)])
    assert found == ((BreakEven("a", "b", month),) if month is not None else ())


def test_the_result_document_is_json_with_exact_amounts():
    plain = costs(assessment(site(users=45))).to_dict()
    text = json.dumps(plain)
    oc = next(m for m in plain["models"] if m["model"] == "operator_connect")
    assert isinstance(oc["total"], str) and oc["total"].count(".") == 1
    assert len(oc["total"].split(".")[1]) == 2
    assert plain["design"]["model"] == DESIGN and plain["currency"] == "EUR"
    assert json.loads(text) == plain


# --- The price book ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "currency", "words"),
    [
        ("oc_user_month", D("-1"), "EUR", "cannot be negative"),
        ("oc_user_month", D("1000000"), "EUR", "more than 500"),
        ("oc_user_month", D("9.999"), "EUR", "two decimals"),
        ("oc_user_month", "abc", "EUR", "enter an amount"),
        ("oc_user_month", "1e999999", "EUR", "The amount per user per month is more than 500"),
        ("oc_user_month", "NaN", "EUR", "enter an amount"),
        ("sbc_small", D("-0.01"), "GBP", "cannot be negative"),
        ("no_such_line", D("1"), "EUR", "not a price line"),
    ],
)
def test_a_bad_price_is_refused_with_what_is_wrong(key, value, currency, words):
    message = price_problem(key, value, currency)
    assert words in message and len(message) < 200  # never echoes a huge amount back
    with pytest.raises(PriceBookError, match=words):
        PriceBook(currency, {key: value})


def test_bounds_scale_for_currencies_worth_less_and_blank_is_allowed():
    assert price_problem("oc_user_month", D("20000"), "JPY") is None
    assert price_problem("oc_user_month", None, "EUR") is None
    assert price_problem("oc_user_month", D("9.500"), "EUR") is None  # 9.50 written long
    with pytest.raises(PriceBookError, match="ISO 4217"):
        PriceBook("euro", {})


def test_every_line_says_what_it_is_and_which_models_need_it():
    assert len(LINES) == len(PRICE_LINES)
    for line in PRICE_LINES:
        assert line.label and line.help and line.unit_label and line.models
        assert line.upper > 0


# --- Properties -------------------------------------------------------------------------

settings.register_profile(
    "costs", parent=settings.get_profile("portal"), max_examples=60, deadline=None
)

sites = st.builds(
    site,
    users=st.integers(0, 3_000),
    peak_concurrency=st.one_of(st.none(), st.integers(1, 100)),
    common_area_phones=st.integers(0, 50),
    teams_rooms=st.integers(0, 20),
    analog_devices=st.integers(0, 20),
    overhead_paging=st.sampled_from(["yes", "no", "unknown"]),
    country=st.sampled_from(["GB", "US", "DE", "IN", "JP"]),
)
answers = st.fixed_dictionaries(
    {
        "pbx_coexistence": st.sampled_from(["yes", "no"]),
        "teams_phone_licences": st.sampled_from(["unknown", "none", "e5"]),
        "teams_phone_licences_count": st.one_of(st.none(), st.integers(0, 2_000)),
        "porting_required": st.sampled_from(["yes", "no", "unknown"]),
    }
)


@settings(settings.get_profile("costs"))
@given(base=sites, more=st.integers(1, 500), org=answers)
def test_more_users_never_lower_a_models_cost(base, more, org):
    fewer = costs(assessment(base, **org))
    larger = costs(assessment(replace(base, users=base.users + more), **org))
    for model in MODELS:
        a, b = fewer.model(model), larger.model(model)
        assert a.priced and b.priced
        assert b.one_off >= a.one_off and b.per_year >= a.per_year, model


@settings(settings.get_profile("costs"))
@given(
    base=sites,
    org=answers,
    key=st.sampled_from(sorted(PRICES)),
    cut=st.decimals(D("0.01"), D("1"), places=2),
)
def test_a_cheaper_price_never_raises_the_total(base, org, key, cut):
    a = assessment(base, **org)
    dear = costs(a)
    cheaper = costs(a, book(**{key: max(D(0), D(PRICES[key]) * (1 - cut)).quantize(D("0.01"))}))
    pairs = zip((*dear.models, dear.design), (*cheaper.models, cheaper.design), strict=True)
    for before, after in pairs:
        assert after.total <= before.total, (key, before.model)


# --- Scenarios --------------------------------------------------------------------------


def test_a_45_user_office_costs_each_model_and_names_what_every_figure_rests_on():
    office = assessment(
        site(name="Office", users=45, common_area_phones=2, teams_rooms=1, peak_concurrency=None),
        porting_required="yes", phone_numbers=60, teams_phone_licences="none",
    )  # fmt: skip
    result = costs(office)
    dr = result.model("direct_routing")
    assert [(g.size, g.sbcs) for g in result.sbc.groups] == [("small", 2)]
    assert {ln.key: ln.count for ln in dr.lines}["service"] == 8  # 45 x 0.8 x 20 % = 7.2 → 8
    assert result.design is not None and result.design.priced
    # Running your own SBCs for 45 people costs the most over three years.
    totals = {m.model: m.total for m in result.models}
    assert max(totals, key=totals.get) == "direct_routing"
    for line in dr.lines:
        assert line.rule and line.price_line in LINES


def test_a_20_site_multinational_sizes_a_pair_per_region():
    countries = ["GB", "DE", "FR", "US", "CA", "BR", "JP", "AU", "SG", "ZA"] * 2
    estate = [site(name=f"Site {i}", country=c, users=200 + 10 * i)
              for i, c in enumerate(countries)]  # fmt: skip
    result = costs(assessment(*estate, porting_required="no"))
    regional = [g for g in result.sbc.groups if not g.region.startswith("Site")]
    assert sorted(g.region for g in regional) == [
        "Americas", "Asia Pacific", "Europe, Middle East and Africa"]  # fmt: skip
    assert (
        sum(g.peak_calls for g in regional) == {c.key: c.count for c in result.counts}["peak_calls"]
    )
    for cost in result.models:
        assert cost.priced and cost.total > 0
    # Professional services grow with the sites: half a day each for Operator Connect.
    oc_days = next(ln for ln in result.model("operator_connect").lines if ln.key == "services")
    assert oc_days.count == D(3) + D("0.5") * 20


def test_a_plant_with_paging_on_a_mixed_design_costs_each_part_once():
    plant = site(
        name="Plant", country="DE", users=300, overhead_paging="yes", analog_devices=12,
        door_elevator_phones=3, needs_survivability="yes", operator_available="no",
    )  # fmt: skip
    offices = [site(name=f"Office {i}", users=80) for i in range(3)]
    a = assessment(plant, *offices, operating_model="product", risk_tolerance="low",
                   voice_skills="generalist", porting_required="yes")  # fmt: skip
    scored = score_assessment(a)
    assert scored.recommendation.kind == "mix", scored.recommendation.summary
    design = cost_of_ownership(scored, a, BOOK).design
    assert design.priced
    models = {m for m, _ in scored.recommendation.sites_by_model}
    prefixes = {ln.key.split(".")[0] for ln in design.lines if "." in ln.key}
    assert models <= prefixes  # every model of the mix has its own lines
    # Tenant-wide items appear once, not once per model.
    assert [ln.key for ln in design.lines].count("teams_phone") == 1
    assert [ln.key for ln in design.lines].count("porting") == 1
    # The paging, fax and door ports are bought once for the estate.
    ports = next(ln for ln in design.lines if ln.key == "gateway_ports")
    assert ports.count == 1 + 12 + 3


def test_good_site_builder_is_graded_ready_so_costs_carry_no_remediation():
    assert costs(assessment(GOOD)).model("operator_connect").lines
    assert all(ln.key != "remediation" for ln in costs(assessment(GOOD)).design.lines)
