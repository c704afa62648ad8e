"""Customers: list, search, add and edit, all within the member's organisation."""

from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.forms import CustomerForm
from assessments.models import Customer
from tests.factories import CustomerFactory, form_data, messages_of

LIST = reverse("assessments:customer-list")
CREATE = reverse("assessments:customer-create")


def test_list_shows_own_customers_with_assessment_counts(world, login):
    response = login(world.owner).get(LIST)
    assert response.status_code == 200
    assertContains(response, "Contoso Manufacturing")
    assertNotContains(response, "Tailspin Insurance")
    [row] = response.context["page"].object_list
    assert row.assessment_count == 1


def test_search_filters_by_name(world, login):
    CustomerFactory(organisation=world.org, name="Woodgrove Retail")
    response = login(world.owner).get(LIST, {"q": "wood"})
    assertContains(response, "Woodgrove Retail")
    assertNotContains(response, "Contoso Manufacturing")


def test_search_without_a_match_says_so(world, login):
    response = login(world.owner).get(LIST, {"q": "Tailspin"})
    assertContains(response, "No customer matches “Tailspin”")


def test_empty_list_says_what_to_do(db, login):
    from tests.factories import OrganisationFactory, member

    lonely = member(OrganisationFactory())
    response = login(lonely).get(LIST)
    assertContains(response, "No customers yet")
    assertContains(response, "Add a customer")


def test_create_stores_the_customer_and_offers_an_assessment(world, login):
    response = login(world.owner).post(
        CREATE,
        {"name": " Woodgrove Retail ", "country": "United States", "industry": "Retail"},
    )
    customer = Customer.objects.get(name="Woodgrove Retail")
    assert customer.organisation == world.org
    assert customer.country.code == "US"
    assertRedirects(
        response,
        reverse("assessments:assessment-create") + f"?customer={customer.pk}",
        fetch_redirect_response=False,
    )


def test_create_with_a_duplicate_name_shows_the_error_and_saves_nothing(world, login):
    response = login(world.owner).post(CREATE, {"name": "Contoso Manufacturing"})
    assert response.status_code == 200
    assertContains(response, "You already have a customer with this name.")
    assert Customer.objects.filter(organisation=world.org).count() == 1


def test_create_without_a_name_is_refused(world, login):
    response = login(world.owner).post(CREATE, {"name": ""})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Customer.objects.filter(organisation=world.org).count() == 1


def edit_data(world, **overrides):
    return form_data(CustomerForm(instance=world.customer, organisation=world.org), **overrides)


def test_edit_saves_the_changes(world, login):
    url = reverse("assessments:customer-update", args=[world.customer.pk])
    client = login(world.owner)
    assertContains(client.get(url), 'value="Contoso Manufacturing"')
    data = edit_data(world, name="Contoso Group", contact_email="it@contoso.example")
    response = client.post(url, data, follow=True)
    assertRedirects(response, LIST)
    assert "Customer “Contoso Group” saved." in messages_of(response)
    world.customer.refresh_from_db()
    assert world.customer.name == "Contoso Group"
    assert world.customer.contact_email == "it@contoso.example"


def test_edit_to_a_siblings_name_is_refused(world, login):
    CustomerFactory(organisation=world.org, name="Woodgrove Retail")
    url = reverse("assessments:customer-update", args=[world.customer.pk])
    response = login(world.owner).post(url, edit_data(world, name="Woodgrove Retail"))
    assertContains(response, "You already have a customer with this name.")
    world.customer.refresh_from_db()
    assert world.customer.name == "Contoso Manufacturing"


def test_edit_with_a_bad_email_is_refused(world, login):
    url = reverse("assessments:customer-update", args=[world.customer.pk])
    response = login(world.owner).post(
        url, edit_data(world, name="Contoso", contact_email="not-an-email")
    )
    assert response.status_code == 200
    assert "contact_email" in response.context["form"].errors
    world.customer.refresh_from_db()
    assert world.customer.name == "Contoso Manufacturing"


@pytest.mark.parametrize("typed", ["²", "²²²", "٣٣٣"])
def test_a_country_of_odd_digits_is_refused_with_a_message(world, login, typed):
    # django-countries reads text whose str.isdigit() is true as a numeric code ("²" too).
    response = login(world.owner).post(CREATE, {"name": "Odd Digits Ltd", "country": typed})
    assertContains(response, "is not a country")
    assert not Customer.objects.filter(name="Odd Digits Ltd").exists()
