"""A site's circuits are listed primary first, backup last, in exports and version compares."""

import copy

from api.models import ApiToken
from assessments import engine_io
from assessments.services.documents import result_payload
from proposals.models import Proposal
from proposals.services import proposal_compare


def test_the_export_lists_the_primary_circuit_before_the_backup(world, client):
    # Stuttgart HQ has a primary line and an LTE backup; "backup" sorts first by name.
    _token, raw = ApiToken.issue(user=world.owner, name="export")
    response = client.get(
        f"/api/v1/assessments/{world.assessment.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    hq = next(s for s in response.json()["sites"] if s["name"] == "Stuttgart HQ")
    assert [c["role"] for c in hq["circuits"]] == ["primary", "backup"]

    # A version issued before listed them backup first: comparing it with a new version
    # shows no circuit change, since the circuits are the same.
    document = response.json()
    earlier = copy.deepcopy(document)
    for site in earlier["sites"]:
        site["circuits"].reverse()
    results = result_payload(engine_io.score(world.assessment))
    changes = proposal_compare(
        old=Proposal(document=earlier, results=results, ruleset_version="1.0.0"),
        new=Proposal(document=document, results=results, ruleset_version="1.0.0"),
    )
    assert changes["sites"] == []
