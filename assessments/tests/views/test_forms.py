"""Forms say exactly what is wrong, next to the field, and nothing is saved."""

import pytest

from assessments.forms import (
    AssessmentCreateForm,
    CircuitFormSet,
    CustomerForm,
    GridRowForm,
    QuestionnaireForm,
    SiteForm,
)
from assessments.models import Customer, Site
from tests.factories import form_data


def row(site, **changes):
    """A grid row form for ``site`` posted with ``changes`` over its current values."""
    form = GridRowForm(instance=site, row=f"row-{site.pk}")
    return GridRowForm(form_data(form, **changes), instance=site, row=f"row-{site.pk}")


def new_row(world, **values):
    site = Site(assessment=world.assessment)
    data = form_data(GridRowForm(instance=site, row="row-new"), **values)
    return GridRowForm(data, instance=site, row="row-new")


def test_customer_form_refuses_a_duplicate_name_whatever_its_case(world):
    form = CustomerForm(data={"name": "  contoso manufacturing "}, organisation=world.org)
    assert not form.is_valid()
    assert form.errors["name"] == ["You already have a customer with this name."]
    assert Customer.objects.filter(organisation=world.org).count() == 1


def test_customer_form_allows_a_name_used_by_another_organisation(world):
    form = CustomerForm(data={"name": "Tailspin Insurance"}, organisation=world.org)
    assert form.is_valid(), form.errors


def test_customer_form_accepts_its_own_name_when_editing(world):
    form = CustomerForm(
        data={"name": "Contoso Manufacturing", "country": "Germany", "version": 1},
        instance=world.customer,
        organisation=world.org,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["country"] == "DE"


def test_customer_form_refuses_a_country_that_does_not_exist(world):
    form = CustomerForm(data={"name": "New Co", "country": "Narnia"}, organisation=world.org)
    assert not form.is_valid()
    assert "“Narnia” is not a country" in form.errors["country"][0]


def test_assessment_create_needs_a_customer(world):
    form = AssessmentCreateForm(data={"title": "Rollout"}, organisation=world.org)
    assert not form.is_valid()
    assert form.errors["new_customer"] == ["Choose a customer or type the name of a new one."]


def test_assessment_create_refuses_both_a_customer_and_a_new_one(world):
    form = AssessmentCreateForm(
        data={"title": "Rollout", "customer": world.customer.pk, "new_customer": "Fresh Co"},
        organisation=world.org,
    )
    assert not form.is_valid()
    assert "not both" in form.errors["new_customer"][0]


def test_assessment_create_refuses_a_new_customer_that_exists(world):
    form = AssessmentCreateForm(
        data={"title": "Rollout", "new_customer": "CONTOSO manufacturing"},
        organisation=world.org,
    )
    assert not form.is_valid()
    assert "exists already" in form.errors["new_customer"][0]


def test_assessment_create_cannot_pick_another_organisations_customer(world):
    form = AssessmentCreateForm(
        data={"title": "Rollout", "customer": world.other_customer.pk}, organisation=world.org
    )
    assert not form.is_valid()
    assert "customer" in form.errors


def test_questionnaire_refuses_a_negative_sbc_count(world):
    data = form_data(QuestionnaireForm(instance=world.assessment), sbc_count=-1)
    form = QuestionnaireForm(data=data, instance=world.assessment)
    assert not form.is_valid()
    assert "sbc_count" in form.errors
    world.assessment.refresh_from_db()
    assert world.assessment.sbc_count is None


def test_questionnaire_refuses_a_share_above_100(world):
    data = form_data(QuestionnaireForm(instance=world.assessment), mobile_first_share=140)
    form = QuestionnaireForm(data=data, instance=world.assessment)
    assert not form.is_valid()
    assert "mobile_first_share" in form.errors


def test_site_form_names_every_bad_field(world):
    data = form_data(
        SiteForm(instance=world.branch), country="Narnia", client_loss_pct=150, users=-5
    )
    form = SiteForm(data=data, instance=world.branch)
    assert not form.is_valid()
    assert set(form.errors) >= {"country", "client_loss_pct", "users"}
    assert "Narnia" in form.errors["country"][0]


def test_site_form_accepts_a_country_by_name_code_or_alpha3(world):
    for typed in ("France", "fr", "FRA"):
        data = form_data(SiteForm(instance=world.branch), country=typed)
        form = SiteForm(data=data, instance=world.branch)
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["country"] == "FR"


def test_site_form_refuses_the_name_of_a_sibling(world):
    data = form_data(SiteForm(instance=world.branch), name="stuttgart hq")
    form = SiteForm(data=data, instance=world.branch)
    assert not form.is_valid()
    assert form.errors["name"] == ["Another site of this assessment has this name."]


def test_circuit_formset_refuses_zero_capacity():
    formset = CircuitFormSet(
        data={
            "circuits-TOTAL_FORMS": "1",
            "circuits-INITIAL_FORMS": "0",
            "circuits-0-role": "primary",
            "circuits-0-kind": "dia",
            "circuits-0-down_mbps": "0",
            "circuits-0-up_mbps": "10",
        },
        prefix="circuits",
    )
    assert not formset.is_valid()
    assert "down_mbps" in formset.forms[0].errors


def test_grid_row_names_a_bad_country(world):
    form = new_row(world, name="Bad", country="XX")
    assert not form.is_valid()
    assert "country" in form.errors


def test_grid_row_refuses_the_name_of_another_site(world):
    form = new_row(world, name="lyon office", country="FR")
    assert not form.is_valid()
    assert form.errors["name"] == ["Another site has this name."]


def test_grid_row_refuses_a_primary_down_without_up(world):
    form = row(world.branch, primary_down_mbps=100, primary_up_mbps="")
    assert not form.is_valid()
    assert form.errors["primary_up_mbps"] == ["Enter both down and up, or neither."]


def test_grid_row_shows_the_primary_circuit_of_its_site(world):
    assert GridRowForm(instance=world.hq, row="r")["primary_down_mbps"].value() == 1000
    assert GridRowForm(instance=world.branch, row="r")["primary_up_mbps"].value() == 40


def test_grid_row_inputs_belong_to_the_rows_own_form(world):
    html = str(GridRowForm(instance=world.hq, row="row-7")["users"])
    assert 'form="row-7-form"' in html and 'id="row-7-users"' in html


@pytest.mark.parametrize(
    "typed, code",
    [("United States", "US"), ("USA", "US"), ("UK", "GB"), ("The Netherlands", "NL")],
)
def test_country_accepts_the_names_people_commonly_type(world, typed, code):
    form = CustomerForm(data={"name": "New Co", "country": typed}, organisation=world.org)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["country"] == code
