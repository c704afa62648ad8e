"""A site list names each branch's backhaul hub: a site of the assessment or of the file."""

import pytest

from assessments.models import Site
from imports.tests.conftest import commit, csv_bytes, plan_of, problems_of

pytestmark = pytest.mark.django_db

HEADER = ["Site name", "Country", "Users", "Backhaul hub"]


def test_a_branch_may_name_a_stored_site_or_one_the_file_adds(upload, world, login):
    response = upload(
        csv_bytes(
            [
                HEADER,
                ["Porto depot", "PT", "12", "Lisbon office"],  # added further down the file
                ["Lisbon office", "PT", "80", ""],
                ["Ulm depot", "DE", "9", "stuttgart hq"],  # stored, in another case
            ]
        )
    )
    assert [r.action for r in plan_of(response).rows] == ["create", "create", "create"]
    commit(login(world.owner), response)
    hubs = dict(Site.objects.filter(name__endswith="depot").values_list("name", "backhaul_hub"))
    assert hubs == {"Porto depot": "Lisbon office", "Ulm depot": "stuttgart hq"}


@pytest.mark.parametrize(
    "row, message",
    [
        (
            ["Porto depot", "PT", "12", "Faro"],
            "no site named “Faro” in the assessment or this file",
        ),
        (["Porto depot", "PT", "12", "Porto depot"], "cannot send its traffic through itself"),
        (["Porto depot", "PT", "12", "Lyon Office"], "Lyon Office sends its own traffic through"),
    ],
)
def test_a_hub_that_cannot_carry_the_traffic_is_refused_with_its_line(upload, world, row, message):
    Site.objects.filter(pk=world.branch.pk).update(backhaul_hub="Stuttgart HQ")
    response = upload(csv_bytes([HEADER, row]))
    plan = plan_of(response)
    assert [r.action for r in plan.rows] == ["invalid"]
    assert any(
        p.startswith("line 2, column Backhaul hub:") and message in p for p in problems_of(response)
    ), problems_of(response)
