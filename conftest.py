"""The shared world of the portal's tests: two partner organisations and their people.

Organisation A ("Northwind") has an owner SE, a teammate SE, a manager and an admin, and a
customer whose assessment has two sites with circuits. Organisation B ("Fabrikam") has one
SE, the outsider, with a customer and assessment of its own.
"""

import os
import sys
from dataclasses import dataclass

import pytest
from hypothesis import settings

from assessments.models import Assessment, Circuit, Customer, Site
from tenancy.models import Organisation, Role
from tests.factories import (
    AssessmentFactory,
    CircuitFactory,
    CustomerFactory,
    OrganisationFactory,
    SiteFactory,
    member,
)

# Hypothesis draws the same examples on every run, so CI is reproducible; FUZZ_RANDOM=1
# (e.g. `FUZZ_RANDOM=1 ./scripts/test tests/fuzz`) explores new inputs by hand.
settings.register_profile("portal", derandomize=os.environ.get("FUZZ_RANDOM") != "1")
settings.load_profile("portal")


@dataclass
class World:
    org: Organisation
    owner: object  # the SE who owns the assessment
    teammate: object  # another SE of the same organisation
    manager: object
    admin: object
    customer: Customer
    assessment: Assessment
    hq: Site
    branch: Site
    hq_primary: Circuit
    other_org: Organisation
    outsider: object  # an SE of organisation B
    other_customer: Customer
    other_assessment: Assessment
    other_site: Site


@pytest.fixture
def world(db) -> World:
    org = OrganisationFactory(name="Northwind Voice", slug="northwind")
    owner = member(org, Role.SALES_ENGINEER, username="alice", first_name="Alice", last_name="Ames")
    teammate = member(org, Role.SALES_ENGINEER, username="bob", first_name="Bob", last_name="Berg")
    manager = member(org, Role.MANAGER, username="maria", first_name="Maria", last_name="Moss")
    admin = member(org, Role.ADMIN, username="adam", first_name="Adam", last_name="Ash")
    customer = CustomerFactory(organisation=org, name="Contoso Manufacturing", country="DE")
    assessment = AssessmentFactory(customer=customer, owner=owner, title="Rollout 2027")
    hq = SiteFactory(
        assessment=assessment, name="Stuttgart HQ", country="DE", city="Stuttgart", users=850
    )
    branch = SiteFactory(
        assessment=assessment, name="Lyon Office", country="FR", city="Lyon", users=160
    )
    hq_primary = CircuitFactory(site=hq, role="primary", down_mbps=1000, up_mbps=1000)
    CircuitFactory(site=hq, role="backup", kind="cellular", down_mbps=50, up_mbps=10)
    CircuitFactory(site=branch, role="primary", down_mbps=200, up_mbps=40)

    other_org = OrganisationFactory(name="Fabrikam Telecom", slug="fabrikam")
    outsider = member(
        other_org, Role.SALES_ENGINEER, username="charlie", first_name="Charlie", last_name="Cox"
    )
    other_customer = CustomerFactory(organisation=other_org, name="Tailspin Insurance")
    other_assessment = AssessmentFactory(customer=other_customer, owner=outsider)
    other_site = SiteFactory(assessment=other_assessment, name="Vienna HQ", country="AT")
    CircuitFactory(site=other_site)
    return World(
        org=org,
        owner=owner,
        teammate=teammate,
        manager=manager,
        admin=admin,
        customer=customer,
        assessment=assessment,
        hq=hq,
        branch=branch,
        hq_primary=hq_primary,
        other_org=other_org,
        outsider=outsider,
        other_customer=other_customer,
        other_assessment=other_assessment,
        other_site=other_site,
    )


@pytest.fixture
def login(client):
    """Log ``client`` in as a user and return it: ``login(world.owner).get(url)``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _forget_kept_estates():
    """Each test reads its own estates: a frozen clock gives two tests' estates one stamp."""
    yield
    if "assessments.services.scores" in sys.modules:
        sys.modules["assessments.services.scores"].forget_kept_estates()
    if "assessments.windows" in sys.modules:
        sys.modules["assessments.windows"].forget_kept_results()
    if "assessments.engine_io" in sys.modules:
        sys.modules["assessments.engine_io"].forget_kept_fit_options()
    if "assessments.kept_html" in sys.modules:
        sys.modules["assessments.kept_html"].forget_kept_html()
