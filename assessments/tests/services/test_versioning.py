"""Optimistic concurrency: two people edit the same record; nothing is silently overwritten."""

from django.core.exceptions import ValidationError

import pytest

from assessments import questions
from assessments.models import Assessment, Change, Site
from assessments.services.assessments import (
    assessment_update,
    circuits_plain,
    customer_update,
    site_delete,
    site_update,
)
from assessments.services.versioning import Actor, StaleEditError


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def answers(assessment, **overrides):
    """Every field of the questionnaire as the author's form holds it."""
    return {
        **{name: getattr(assessment, name) for name in questions.names(Assessment)},
        **overrides,
    }


@pytest.fixture
def alice(world):
    return Actor.for_user(world.owner)


@pytest.fixture
def bob(world):
    return Actor.for_user(world.teammate)


def test_a_save_bumps_the_version_and_logs_old_and_new_values(world, alice):
    seen = fresh(world.assessment)
    result = assessment_update(
        assessment=seen,
        base_version=1,
        changes=answers(seen, operating_model="product", sbc_count=3),
        actor=alice,
    )
    assert result.version == 2
    assert result.changed == {"operating_model": ["undecided", "product"], "sbc_count": [None, 3]}
    assert result.merged_with == []
    stored = fresh(world.assessment)
    assert (stored.version, stored.operating_model, stored.sbc_count) == (2, "product", 3)
    change = Change.objects.get(action="update")
    assert change.fields == result.changed
    assert change.version == 2
    assert change.user == world.owner
    assert change.actor_label == "Alice Ames"
    assert change.object_type == "assessment"
    assert change.assessment == world.assessment


def test_edits_of_different_fields_from_the_same_version_are_merged(world, alice, bob):
    alices_form = fresh(world.assessment)
    bobs_form = fresh(world.assessment)
    assessment_update(
        assessment=alices_form,
        base_version=1,
        changes=answers(alices_form, operating_model="product"),
        actor=alice,
    )
    result = assessment_update(
        assessment=bobs_form,
        base_version=1,
        changes=answers(bobs_form, timeline="urgent"),  # still shows operating_model=undecided
        actor=bob,
    )
    assert result.merged_with == ["Alice Ames"]
    assert result.changed == {"timeline": ["unknown", "urgent"]}
    stored = fresh(world.assessment)
    assert stored.operating_model == "product"
    assert stored.timeline == "urgent"
    assert stored.version == 3
    assert Change.objects.filter(action="update").count() == 2


def test_a_stale_edit_of_the_same_field_is_refused_and_the_newer_value_survives(world, alice, bob):
    alices_form = fresh(world.assessment)
    bobs_form = fresh(world.assessment)
    assessment_update(
        assessment=alices_form,
        base_version=1,
        changes=answers(alices_form, operating_model="product"),
        actor=alice,
    )
    with pytest.raises(StaleEditError) as info:
        assessment_update(
            assessment=bobs_form,
            base_version=1,
            changes=answers(bobs_form, operating_model="platform", timeline="urgent"),
            actor=bob,
        )
    error = info.value
    assert error.current_version == 2
    [conflict] = error.conflicts
    assert conflict.field == "operating_model"
    assert conflict.label == "Voice should be…"
    assert (conflict.yours, conflict.theirs, conflict.by) == ("platform", "product", "Alice Ames")
    assert "Voice should be…" in str(error)
    stored = fresh(world.assessment)
    assert stored.operating_model == "product"
    assert stored.timeline == "unknown"  # Bob's other edit was not half-saved
    assert stored.version == 2
    assert Change.objects.filter(action="update").count() == 1


def test_saving_again_from_the_current_version_keeps_the_second_persons_value(world, alice, bob):
    assessment_update(
        assessment=fresh(world.assessment),
        base_version=1,
        changes=answers(fresh(world.assessment), operating_model="product"),
        actor=alice,
    )
    with pytest.raises(StaleEditError) as info:
        assessment_update(
            assessment=fresh(world.assessment),
            base_version=1,
            changes={"operating_model": "platform"},
            actor=bob,
        )
    assessment_update(
        assessment=fresh(world.assessment),
        base_version=info.value.current_version,
        changes={"operating_model": "platform"},
        actor=bob,
    )
    assert fresh(world.assessment).operating_model == "platform"


def test_the_same_change_made_twice_is_not_a_conflict(world, alice, bob):
    bobs_form = fresh(world.assessment)
    assessment_update(
        assessment=fresh(world.assessment),
        base_version=1,
        changes={"operating_model": "product"},
        actor=alice,
    )
    result = assessment_update(
        assessment=bobs_form, base_version=1, changes={"operating_model": "product"}, actor=bob
    )
    assert result.changed == {}
    assert fresh(world.assessment).version == 2


def test_a_conflict_is_found_across_several_newer_versions(world, alice, bob):
    carols_form = fresh(world.assessment)
    assessment_update(
        assessment=fresh(world.assessment),
        base_version=1,
        changes={"operating_model": "product"},
        actor=alice,
    )
    assessment_update(
        assessment=fresh(world.assessment),
        base_version=2,
        changes={"timeline": "urgent"},
        actor=bob,
    )
    carol = Actor(label="Carol from the customer")
    with pytest.raises(StaleEditError) as info:
        assessment_update(
            assessment=carols_form,
            base_version=1,
            changes=answers(carols_form, timeline="relaxed", risk_tolerance="low"),
            actor=carol,
        )
    assert [(c.field, c.by) for c in info.value.conflicts] == [("timeline", "Bob Berg")]
    stored = fresh(world.assessment)
    assert (stored.operating_model, stored.timeline, stored.risk_tolerance) == (
        "product",
        "urgent",
        "unknown",
    )


def test_an_invalid_value_is_refused_and_nothing_saved(world, alice):
    with pytest.raises(ValidationError):
        assessment_update(
            assessment=fresh(world.assessment),
            base_version=1,
            changes={"sbc_count": 10_000, "timeline": "urgent"},
            actor=alice,
        )
    stored = fresh(world.assessment)
    assert (stored.sbc_count, stored.timeline, stored.version) == (None, "unknown", 1)
    assert not Change.objects.filter(action="update").exists()


def test_a_refused_status_move_saves_nothing(world, alice):
    with pytest.raises(ValidationError) as info:
        assessment_update(
            assessment=fresh(world.assessment),
            base_version=1,
            changes={"status": "proposal_issued"},
            actor=alice,
        )
    assert info.value.message_dict["status"] == [
        "An assessment cannot move from Draft to Proposal issued."
    ]
    assert fresh(world.assessment).status == "draft"


def test_the_status_check_uses_the_stored_status_not_the_objects(world, alice):
    """A bound ModelForm copies the submitted status onto the instance before the service runs."""
    seen = fresh(world.assessment)
    seen.status = "proposal_issued"
    with pytest.raises(ValidationError):
        assessment_update(
            assessment=seen, base_version=1, changes={"status": "proposal_issued"}, actor=alice
        )
    seen = fresh(world.assessment)
    seen.status = "workshop"
    assessment_update(assessment=seen, base_version=1, changes={"status": "workshop"}, actor=alice)
    stored = fresh(world.assessment)
    assert stored.status == "workshop"
    assert stored.status_changed_at is not None


def site_fields(site, **overrides):
    names = ["name", "country", "city", "users", "teams_rooms", "qos", "client_loss_pct"]
    return {**{n: getattr(site, n) for n in names}, **overrides}


def test_site_edits_of_different_fields_merge_with_circuits(world, alice, bob):
    alices_form = fresh(world.hq)
    bobs_form = fresh(world.hq)
    circuits = circuits_plain(alices_form)
    site_update(
        site=alices_form,
        base_version=1,
        changes=site_fields(alices_form),
        circuits=[{**circuits[0], "down_mbps": 2000, "up_mbps": 2000}, circuits[1]],
        actor=alice,
    )
    result = site_update(
        site=bobs_form,
        base_version=1,
        changes=site_fields(bobs_form, users=900),
        circuits=circuits,  # Bob's form still shows the old circuits
        actor=bob,
    )
    assert result.merged_with == ["Alice Ames"]
    stored = fresh(world.hq)
    assert stored.users == 900
    assert stored.version == 3
    assert sorted((c.role, c.down_mbps) for c in stored.circuits.all()) == [
        ("backup", 50),
        ("primary", 2000),
    ]


def test_a_stale_site_edit_of_the_same_circuits_is_refused(world, alice, bob):
    alices_form = fresh(world.hq)
    bobs_form = fresh(world.hq)
    circuits = circuits_plain(alices_form)
    site_update(
        site=alices_form,
        base_version=1,
        changes=site_fields(alices_form),
        circuits=[{**circuits[0], "down_mbps": 2000, "up_mbps": 2000}, circuits[1]],
        actor=alice,
    )
    with pytest.raises(StaleEditError) as info:
        site_update(
            site=bobs_form,
            base_version=1,
            changes=site_fields(bobs_form, users=900),
            circuits=[circuits[0]],  # Bob removed the backup
            actor=bob,
        )
    assert [c.field for c in info.value.conflicts] == ["circuits"]
    stored = fresh(world.hq)
    assert stored.users == 850
    assert stored.circuits.count() == 2
    assert stored.version == 2


def test_a_stale_site_edit_of_the_same_field_is_refused(world, alice, bob):
    bobs_form = fresh(world.branch)
    site_update(
        site=fresh(world.branch),
        base_version=1,
        changes=site_fields(world.branch, users=170),
        actor=alice,
    )
    with pytest.raises(StaleEditError):
        site_update(
            site=bobs_form,
            base_version=1,
            changes=site_fields(bobs_form, users=200, city="Lyon 2e"),
            actor=bob,
        )
    stored = fresh(world.branch)
    assert (stored.users, stored.city) == (170, "Lyon")


def test_a_stale_delete_is_refused(world, alice, bob):
    site_update(
        site=fresh(world.branch),
        base_version=1,
        changes=site_fields(world.branch, users=170),
        actor=alice,
    )
    with pytest.raises(StaleEditError):
        site_delete(site=fresh(world.branch), base_version=1, actor=bob)
    assert Site.objects.filter(pk=world.branch.pk, users=170).exists()
    assert not Change.objects.filter(action="delete").exists()


def test_a_current_delete_is_logged(world, bob):
    site_delete(site=fresh(world.branch), base_version=1, actor=bob)
    assert not Site.objects.filter(pk=world.branch.pk).exists()
    change = Change.objects.get(action="delete")
    assert (change.object_label, change.actor_label) == ("Lyon Office", "Bob Berg")


def test_customer_edits_are_versioned_too(world, alice, bob):
    bobs_form = fresh(world.customer)
    customer_update(
        customer=fresh(world.customer),
        base_version=1,
        changes={"name": "Contoso Group", "industry": ""},
        actor=alice,
    )
    with pytest.raises(StaleEditError):
        customer_update(
            customer=bobs_form,
            base_version=1,
            changes={"name": "Contoso AG", "industry": "Manufacturing"},
            actor=bob,
        )
    merged = customer_update(
        customer=bobs_form,
        base_version=1,
        changes={"name": "Contoso Manufacturing", "industry": "Manufacturing"},
        actor=bob,
    )
    assert merged.merged_with == ["Alice Ames"]
    stored = fresh(world.customer)
    assert (stored.name, stored.industry, stored.version) == ("Contoso Group", "Manufacturing", 3)
