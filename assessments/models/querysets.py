"""Tenant-safe querysets of sites and their internet lines."""

from django.db.models import Value
from django.db.models.functions import Lower

from tenancy.models.querysets import OrganisationQuerySet


class SiteQuerySet(OrganisationQuerySet):
    organisation_path = "assessment__organisation_id"

    def named(self, name: str) -> "SiteQuerySet":
        """Sites whose name is ``name`` in any case: the rule of the unique constraint."""
        return self.alias(name_key=Lower("name")).filter(name_key=Lower(Value(name.strip())))


class CircuitQuerySet(OrganisationQuerySet):
    organisation_path = "site__assessment__organisation_id"
