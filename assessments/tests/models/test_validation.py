"""Models refuse values that make no sense, before and at the database."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from assessments.models import Circuit, Customer, Site
from tenancy.models import Organisation
from tests.factories import (
    AssessmentFactory,
    CircuitFactory,
    CustomerFactory,
    OrganisationFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(obj) -> dict:
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    return info.value.message_dict


def test_a_valid_site_passes_full_clean():
    site = SiteFactory.build(assessment=AssessmentFactory(), users=10, client_loss_pct=0.5)
    site.full_clean()


def test_negative_users_are_refused():
    site = SiteFactory.build(assessment=AssessmentFactory(), users=-1)
    assert "users" in errors_of(site)


@pytest.mark.parametrize("field", ["client_loss_pct", "edge_loss_pct", "client_reorder_pct"])
def test_a_percentage_above_100_is_refused(field):
    site = SiteFactory.build(assessment=AssessmentFactory(), **{field: 100.5})
    assert field in errors_of(site)


def test_negative_latency_is_refused():
    site = SiteFactory.build(assessment=AssessmentFactory(), client_rtt_ms=-3)
    assert "client_rtt_ms" in errors_of(site)


def test_peak_concurrency_zero_is_refused():
    site = SiteFactory.build(assessment=AssessmentFactory(), peak_concurrency=0)
    assert "peak_concurrency" in errors_of(site)


def test_an_unknown_country_is_refused():
    site = SiteFactory.build(assessment=AssessmentFactory(), country="XX")
    assert "country" in errors_of(site)


def test_an_unknown_choice_is_refused():
    site = SiteFactory.build(assessment=AssessmentFactory(), qos="sometimes")
    assert "qos" in errors_of(site)


@pytest.mark.parametrize("colour", ["blue", "#12345", "#GGGGGG", "1F4E79", "#1F4E79FF"])
def test_a_bad_hex_colour_is_refused_with_an_example(colour):
    organisation = OrganisationFactory.build(primary_colour=colour)
    errors = errors_of(organisation)
    assert "#RRGGBB" in errors["primary_colour"][0]


def test_a_good_hex_colour_is_accepted():
    OrganisationFactory.build(primary_colour="#1f4e79", accent_colour="#2E8540").full_clean()


@pytest.mark.parametrize("field", ["down_mbps", "up_mbps"])
def test_a_circuit_with_zero_capacity_is_refused(field):
    circuit = CircuitFactory.build(site=SiteFactory(), **{field: 0})
    assert field in errors_of(circuit)


def test_the_database_refuses_a_circuit_with_zero_capacity():
    site = SiteFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Circuit.objects.create(site=site, down_mbps=0, up_mbps=10)
    assert not site.circuits.exists()


def test_sbc_count_above_500_is_refused():
    assessment = AssessmentFactory.build(
        customer=CustomerFactory(), organisation=OrganisationFactory(), sbc_count=501
    )
    assert "sbc_count" in errors_of(assessment)


def test_a_site_name_is_unique_within_its_assessment():
    site = SiteFactory(name="Leeds")
    twin = SiteFactory.build(assessment=site.assessment, name="Leeds")
    assert "__all__" in errors_of(twin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Site.objects.create(assessment=site.assessment, name="Leeds", country="GB")


def test_two_assessments_may_each_have_a_site_of_the_same_name():
    SiteFactory(name="Leeds")
    other = SiteFactory.build(assessment=AssessmentFactory(), name="Leeds")
    other.full_clean()
    other.save()
    assert Site.objects.filter(name="Leeds").count() == 2


def test_a_customer_name_is_unique_within_an_organisation():
    customer = CustomerFactory(name="Contoso")
    twin = Customer(organisation=customer.organisation, name="Contoso")
    assert "__all__" in errors_of(twin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(organisation=customer.organisation, name="Contoso")


def test_two_organisations_may_each_have_a_customer_of_the_same_name():
    CustomerFactory(name="Contoso")
    other = Customer(organisation=OrganisationFactory(), name="Contoso")
    other.full_clean()
    other.save()
    assert Customer.objects.filter(name="Contoso").count() == 2


def test_organisation_display_name_falls_back_to_its_name():
    assert Organisation(name="Northwind", company_name="").display_name == "Northwind"
    assert Organisation(name="Northwind", company_name="Northwind Ltd").display_name == (
        "Northwind Ltd"
    )


def test_a_new_site_starts_at_version_1_with_unknown_answers():
    site = SiteFactory()
    assert site.version == 1
    assert site.qos == "unknown"
    assert site.operator_available == "unknown"
    assert site.client_loss_pct is None
