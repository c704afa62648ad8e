"""Members of a partner organisation: added, given a role, let in or shut out; each one logged."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from assessments.services.versioning import Actor, record_change
from tenancy.models import Membership, Organisation, Role

OWN_ACCESS = "You cannot change your own role or access."
# How a member's access reads in the activity log.
ACCESS = {True: "active", False: "deactivated"}


def member_name(membership: Membership) -> str:
    """A member as people name them: full name, else username."""
    return membership.user.get_full_name() or membership.user.get_username()


@transaction.atomic
def member_create(
    *,
    organisation: Organisation,
    username: str,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    role: str,
    actor: Actor,
) -> Membership:
    """Add a user who can log in to ``organisation`` with ``role`` (logged for its admins).

    Args:
        organisation: The admin's organisation.
        username: What they type to log in (checked to be free by the form).
        email: Their email address.
        password: Their first password (checked by the password validators by the form).
        first_name: Their first name.
        last_name: Their last name, or "".
        role: One of :class:`Role`.
        actor: The admin who adds them.

    Returns:
        The new membership, with its user.
    """
    user = get_user_model().objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    record_change(
        assessment=None,
        obj=membership,
        action="create",
        changed={"role": [None, role]},
        actor=actor,
        label=member_name(membership),
    )
    return membership


@transaction.atomic
def member_update(
    *, membership: Membership, role: str | None, active: bool | None, actor: Actor
) -> dict[str, list]:
    """Change a member's role or let them in or shut them out; only a real change is written.

    Args:
        membership: A member of the actor's organisation.
        role: Their new role, or None to keep it.
        active: Whether they may log in, or None to keep it.
        actor: The admin who changes it.

    Returns:
        What changed, ``{field: [old, new]}`` (empty: nothing did).

    Raises:
        ValidationError: The admin tried to change their own role or access, or the role
            is not one of :class:`Role`.
    """
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if actor.user is not None and locked.user_id == actor.user.pk:
        raise ValidationError(OWN_ACCESS)
    if role is not None and role not in Role.values:
        raise ValidationError(f"“{role}” is not a role.")
    changed: dict[str, list] = {}
    if role is not None and role != locked.role:
        changed["role"] = [locked.role, role]
        locked.role = role
        locked.save(update_fields=["role", "updated_at"])
    if active is not None and locked.user.is_active != active:
        changed["access"] = [ACCESS[locked.user.is_active], ACCESS[active]]
        locked.user.is_active = active
        locked.user.save(update_fields=["is_active"])
    if changed:
        action = {"deactivated": "deactivate", "active": "reactivate"}.get(
            changed.get("access", [None, None])[1], "update"
        )
        record_change(
            assessment=None,
            obj=locked,
            action=action,
            changed=changed,
            actor=actor,
            label=member_name(locked),
        )
    membership.role = locked.role
    return changed
