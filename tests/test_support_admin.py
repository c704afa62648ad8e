"""The support admin lists every model without server errors and keeps issued records intact."""

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db

MODELS = [
    "tenancy_organisation", "tenancy_membership", "assessments_customer",
    "assessments_assessment", "assessments_site", "assessments_change", "proposals_proposal",
    "invites_invite", "imports_measurementimport", "assessments_scenario", "api_apitoken",
    "proposals_proposallink", "proposals_proposaldecision",
]  # fmt: skip


@pytest.fixture
def support(client, world):
    user = get_user_model().objects.create_superuser("support", "s@example.com", "pw-12345678")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_every_list_opens(support, model):
    assert support.get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_staff_members_without_admin_rights_cannot_enter(client, world):
    client.force_login(world.admin)  # an admin of a partner, not support staff
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_issued_records_cannot_be_deleted_from_the_support_admin(support, world):
    from proposals.services import proposal_issue

    proposal = proposal_issue(assessment=world.assessment, user=world.owner)
    url = reverse("admin:proposals_proposal_delete", args=[proposal.pk])
    assert support.get(url).status_code == 403
