"""The one path through which views fetch tenant data."""

from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower


class OrganisationQuerySet(models.QuerySet):
    """Rows of one partner organisation; subclasses name the path to the organisation."""

    organisation_path = "organisation_id"

    def visible_to(self, user) -> "OrganisationQuerySet":
        """Only the rows of the user's organisation; nothing for users without one."""
        membership = getattr(user, "membership", None) if user.is_authenticated else None
        if membership is None:
            return self.none()
        return self.filter(**{self.organisation_path: membership.organisation_id})


class SiteQuerySet(OrganisationQuerySet):
    organisation_path = "assessment__organisation_id"

    def named(self, name: str) -> "SiteQuerySet":
        """Sites whose name is ``name`` in any case: the rule of the unique constraint."""
        return self.alias(name_key=Lower("name")).filter(name_key=Lower(Value(name.strip())))


class CircuitQuerySet(OrganisationQuerySet):
    organisation_path = "site__assessment__organisation_id"
