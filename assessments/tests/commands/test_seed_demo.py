"""The demo data: two partners, a user of each role, realistic customers; safe to run twice."""

from io import StringIO

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db.models import Count

import pytest

from assessments.management.commands.seed_demo import DEMO_PASSWORD
from assessments.models import Assessment, Circuit, Customer, Site
from tenancy.models import Membership, Organisation
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, get_user_model(), Customer, Assessment, Site, Circuit)
    }


def test_it_creates_two_organisations_with_a_user_of_each_role():
    assert "Demo data created." in seed()
    assert set(Organisation.objects.values_list("slug", flat=True)) == {"northwind", "fabrikam"}
    assert get_user_model().objects.count() == 6
    for organisation in Organisation.objects.all():
        roles = sorted(
            Membership.objects.filter(organisation=organisation).values_list("role", flat=True)
        )
        assert roles == ["admin", "manager", "se"]


def test_every_demo_user_can_log_in():
    seed()
    for username in ("sam", "maria", "alex", "lena", "tom", "ines"):
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username


def test_customers_have_between_1_and_25_sites_in_several_countries():
    seed()
    per_assessment = list(Assessment.objects.annotate(n=Count("sites")).values_list("n", flat=True))
    assert per_assessment and min(per_assessment) >= 1 and max(per_assessment) <= 25
    assert 1 in per_assessment and max(per_assessment) >= 20
    assert Site.objects.values("country").distinct().count() >= 10
    for assessment in Assessment.objects.all():
        assert assessment.customer.organisation_id == assessment.organisation_id
        assert assessment.owner.membership.organisation_id == assessment.organisation_id


def test_some_sites_are_measured_and_some_are_not():
    seed()
    measured = Site.objects.filter(client_loss_pct__isnull=False).count()
    unmeasured = Site.objects.filter(client_loss_pct__isnull=True).count()
    assert measured > 0 and unmeasured > 0


def test_every_site_has_a_primary_circuit_with_capacity():
    seed()
    sites = Site.objects.count()
    assert Site.objects.filter(circuits__role="primary").distinct().count() == sites
    assert not Circuit.objects.filter(down_mbps__lte=0).exists()


def test_demo_records_pass_their_own_validation():
    seed()
    for model in (Organisation, Customer, Assessment, Site, Circuit):
        for obj in model.objects.all():
            obj.full_clean()


def test_running_it_twice_does_not_duplicate_anything():
    seed()
    first = counts()
    assert "Demo data exists already" in seed()
    assert counts() == first


def test_reset_recreates_the_same_demo():
    seed()
    first = counts()
    Site.objects.filter(name="Lyon").update(users=1)
    assert "Demo data created." in seed("--reset")
    assert counts() == first
    assert Site.objects.get(name="Lyon").users == 160


def test_reset_leaves_other_organisations_alone():
    site = SiteFactory(assessment__customer__organisation__slug="litware-partners")
    seed()
    seed("--reset")
    assert Organisation.objects.filter(slug="litware-partners").exists()
    assert Site.objects.filter(pk=site.pk).exists()
