"""Optimistic concurrency: save over the version its author saw, merge, or refuse."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from assessments import presenters
from assessments.models import Assessment, Change
from assessments.services.scores import assessment_rescore_on_commit, note_change


@dataclass(frozen=True)
class Actor:
    """Who makes an edit: a staff user, or a customer contact (label only)."""

    label: str
    user: Any = None  # a User, or None for a customer contact

    @classmethod
    def for_user(cls, user) -> "Actor":
        """The actor for a logged-in staff user."""
        return cls(label=user.get_full_name() or user.get_username(), user=user)


@dataclass(frozen=True)
class FieldConflict:
    """A field that both you and someone else changed since you loaded the page."""

    field: str
    label: str
    yours: Any
    theirs: Any
    by: str
    at: datetime
    model: type[models.Model] | None = None

    @property
    def yours_shown(self) -> str:
        """Your value as people read it (a choice by its label, "blank" when empty)."""
        return presenters.display(self.model, self.field, self.yours)

    @property
    def theirs_shown(self) -> str:
        """Their value as people read it."""
        return presenters.display(self.model, self.field, self.theirs)


@dataclass
class SaveResult:
    """What happened to an edit: saved as a new version, possibly merged with others' edits."""

    version: int
    changed: dict[str, list[Any]] = field(default_factory=dict)
    merged_with: list[str] = field(default_factory=list)
    # Fields others changed since the author's version: a page showing the old values
    # must refresh them before its next save, or it would write the old values back.
    others_changed: list[str] = field(default_factory=list)


class StaleEditError(Exception):
    """Someone saved a newer version and changed the same fields: nothing was saved."""

    def __init__(
        self,
        conflicts: list[FieldConflict],
        current_version: int,
        others_changed: list[str] | None = None,
    ):
        self.conflicts = conflicts
        self.current_version = current_version
        self.others_changed = others_changed or []
        names = ", ".join(c.label for c in conflicts) or "this record"
        super().__init__(f"Changed by someone else since you opened it: {names}.")


def plain(value: Any) -> Any:
    """A JSON value for a field value, so stored old values compare with new ones."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "code"):  # django-countries Country
        return value.code or ""
    if isinstance(value, models.Model):  # a foreign key such as the owner
        # A username is unique and readable in conflict messages; other rows by key.
        return value.get_username() if hasattr(value, "get_username") else value.pk
    return value


def _object_type(obj: models.Model) -> str:
    return obj._meta.model_name


def _organisation_id(obj: models.Model, assessment: Assessment | None) -> int:
    if assessment is not None:
        return assessment.organisation_id
    return obj.pk if obj._meta.model_name == "organisation" else obj.organisation_id


def record_change(
    *,
    assessment: Assessment | None,
    obj: models.Model,
    action: str,
    changed: dict[str, list[Any]],
    actor: Actor,
    rescore: bool = True,
    label: str | None = None,
) -> Change:
    """Append one entry to the activity log (the assessment's, when ``assessment`` is given).

    Every write to an assessment or its sites is logged here, so this one call also keeps
    the pipeline's score summary fresh: it is refreshed once, after the transaction commits.

    Args:
        assessment: The assessment whose log gets the entry, or None for records outside
            one (customers, branding, members).
        obj: The record written (its label and version are logged).
        action: What happened: "create", "update", "delete", "issue" …
        changed: ``{field: [old, new]}`` in plain values.
        actor: Who did it.
        rescore: False when the change cannot move the scores (a scenario, a proposal
            issued), or when the caller scores the assessment itself straight after
            (``assessment_rescore_touched``), so that one request scores it once. Either
            way, what the change reaches is noted for that rescore.
        label: How the record is named in the log, if not by ``str(obj)``.

    Returns:
        The log entry.
    """
    if assessment is not None:
        note_change(assessment.pk, obj, action, changed, scoring=rescore)
        if rescore:
            assessment_rescore_on_commit(assessment.pk)
    return Change.objects.create(
        organisation_id=_organisation_id(obj, assessment),
        assessment=assessment,
        object_type=_object_type(obj),
        object_id=obj.pk,
        object_label=(str(obj) if label is None else label)[:160],
        version=getattr(obj, "version", 0),
        action=action,
        fields=changed,
        user=actor.user,
        actor_label=actor.label[:160],
    )


def edits_over(
    *,
    record: models.Model,
    base_version: int,
    now: dict[str, Any],
    wanted: dict[str, Any],
    model: type[models.Model] | None = None,
) -> tuple[dict[str, Any], set[str], list[str]]:
    """The author's edits over the version they saw, checked against what others saved since.

    Args:
        record: The record, locked for the save (its type and id find its log entries).
        base_version: The version the author's form was built from.
        now: Every field the author's form holds, as stored now, in plain values.
        wanted: The author's value of those fields, in plain values.
        model: The model whose field labels the conflicts use (None: the log's labels).

    Returns:
        ``(mine, others, merged_with)``: the fields the author changed from what they saw,
        with their values; the fields others changed since; who those others are.

    Raises:
        StaleEditError: Someone changed a field the author changed too, to another value.
    """
    # Values as the author saw them: the oldest "old" of each field changed since.
    base = dict(now)
    others: dict[str, Change] = {}
    merged_with: list[str] = []
    if record.version != base_version:
        later = Change.objects.filter(
            object_type=_object_type(record), object_id=record.pk, version__gt=base_version
        ).order_by("version", "id")
        for entry in later:
            merged_with.append(entry.actor_label)
            for name, (old, _new) in entry.fields.items():
                if name not in others:
                    base[name] = old
                others[name] = entry
    mine = {k: v for k, v in wanted.items() if k in base and v != base[k]}
    conflicts = [
        FieldConflict(
            field=name,
            label=presenters.label(model, name),
            yours=value,
            theirs=now.get(name),
            by=others[name].actor_label,
            at=others[name].at,
            model=model,
        )
        for name, value in mine.items()
        if name in others and value != now.get(name)
    ]
    if conflicts:
        raise StaleEditError(conflicts, record.version, sorted(others))
    return mine, set(others), merged_with


def versioned_update(
    *,
    obj: models.Model,
    base_version: int,
    changes: dict[str, Any],
    actor: Actor,
    assessment: Assessment | None,
    current_values: dict[str, Any] | None = None,
    apply=None,
    rescore: bool = True,
    after_save=None,
) -> SaveResult:
    """Save ``changes`` to ``obj`` if nobody else changed the same fields since ``base_version``.

    Args:
        obj: the record, freshly loaded; it is re-read under a row lock.
        base_version: the version the author's form was built from.
        changes: the submitted value of every field on the form (unchanged ones too).
        actor: who saves.
        assessment: the assessment whose activity log gets the entry (None for records
            outside an assessment, such as customers and branding).
        current_values: values of pseudo-fields (e.g. ``circuits``) as they are now.
        apply: callable(locked_obj, {field: value}) that writes pseudo-fields; plain model
            fields are set as attributes.
        rescore: as for :func:`record_change`.
        after_save: callable(locked_obj, {field: [old, new]}) run in the same transaction
            once a change is saved: what must follow it (a hub's branches follow its name).

    Returns:
        The new version and what changed; edits by others to other fields are kept.

    Raises:
        StaleEditError: someone changed a field you changed too; nothing is saved.
    """
    model = obj._meta.model  # not type(obj): request.organisation is a lazy proxy
    with transaction.atomic():
        # NO KEY UPDATE: the key never changes here, and rows pointing at this one (a change
        # logged, a circuit added) may still be written by others meanwhile.
        locked = model.objects.select_for_update(no_key=True).get(pk=obj.pk)
        now = {name: plain(getattr(locked, name)) for name in changes if hasattr(locked, name)}
        now.update({k: plain(v) for k, v in (current_values or {}).items()})
        wanted = {k: plain(v) for k, v in changes.items()}
        mine, others, merged_with = edits_over(
            record=locked, base_version=base_version, now=now, wanted=wanted, model=model
        )
        changed = {k: [now.get(k), v] for k, v in mine.items() if v != now.get(k)}
        if not changed:
            return SaveResult(
                version=locked.version,
                merged_with=sorted(set(merged_with)),
                others_changed=sorted(others),
            )
        real = {k: changes[k] for k in changed if k not in (current_values or {})}
        pseudo = {k: changes[k] for k in changed if k in (current_values or {})}
        for name, value in real.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.version += 1
        locked.save()
        if pseudo and apply:
            apply(locked, pseudo)
        if after_save:
            after_save(locked, changed)
        record_change(
            assessment=assessment,
            obj=locked,
            action="update",
            changed=changed,
            actor=actor,
            rescore=rescore,
        )
        obj.version = locked.version
    return SaveResult(
        version=locked.version,
        changed=changed,
        merged_with=sorted(set(merged_with)),
        others_changed=sorted(set(others) - set(changed)),
    )
