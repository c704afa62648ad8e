"""Customer names: one rule everywhere (case does not count), held by the database too."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

import pytest

from assessments.models import CUSTOMER_NAME_TAKEN, Customer
from assessments.services.assessments import customer_create, customer_update
from assessments.services.versioning import Actor

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_customer_named_like_another_in_another_case(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(organisation=world.org, name="CONTOSO manufacturing")


def test_another_organisation_may_have_a_customer_of_the_same_name(world):
    other = world.other_assessment.customer.organisation
    Customer.objects.create(organisation=other, name="Contoso Manufacturing")


def test_a_customer_added_past_the_checks_is_refused_with_the_forms_words(world, monkeypatch):
    # Two people adding the customer at once both pass the checks; the database decides.
    monkeypatch.setattr(Customer, "full_clean", lambda self, **kwargs: None)
    with pytest.raises(ValidationError) as info:
        customer_create(
            organisation=world.org, name="contoso MANUFACTURING", actor=Actor.for_user(world.owner)
        )
    assert info.value.message_dict == {"name": [CUSTOMER_NAME_TAKEN]}
    assert Customer.objects.filter(organisation=world.org).count() == 1


def test_renaming_to_another_customers_name_in_another_case_is_refused(world):
    other = customer_create(
        organisation=world.org, name="Fabrikam", actor=Actor.for_user(world.owner)
    )
    with pytest.raises(ValidationError) as info:
        customer_update(
            customer=other,
            base_version=other.version,
            changes={"name": "CONTOSO Manufacturing"},
            actor=Actor.for_user(world.owner),
        )
    assert CUSTOMER_NAME_TAKEN in str(info.value)
    assert Customer.objects.get(pk=other.pk).name == "Fabrikam"


@pytest.mark.django_db(transaction=True)
def test_upgrading_renames_customers_whose_names_differ_only_in_case(world):
    before = [("assessments", "0020_cost_of_ownership_answers")]
    after = [("assessments", "0021_customer_names_unique_in_any_case")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("assessments", "Customer")
    for name in ("CONTOSO MANUFACTURING", "Contoso Manufacturing (2)", "contoso manufacturing"):
        old.objects.create(organisation_id=world.org.pk, name=name)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    customers = Customer.objects.filter(organisation=world.org)
    names = sorted(customers.values_list("name", flat=True))
    renamed = customers.get(name="contoso manufacturing (4)").search_name
    # Every later migration back, so the tests that follow find the tables they expect.
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
    assert names == [
        "CONTOSO MANUFACTURING (3)",
        "Contoso Manufacturing",
        "Contoso Manufacturing (2)",
        "contoso manufacturing (4)",
    ]
    # The renamed ones are found by search under their new names.
    assert renamed == "contoso manufacturing (4)"
