"""A partner's corrections of the published country facts (their operators' footprint)."""

from django.db import models

from django_countries.fields import CountryField

from tenancy.models.base import TimeStamped
from tenancy.models.organisations import Organisation


class Availability(models.TextChoices):
    """Whether a way of connecting Teams to the phone network is sold in a country."""

    PUBLISHED = "", "As published"
    YES = "yes", "Available"
    NO = "no", "Not available"


class CountryOverride(TimeStamped):
    """One country's facts as the partner knows them, over the published country data.

    The scoring engine's country data (``scoring/data/countries.json``) says where Calling
    Plans are sold and where Operator Connect is known to be; a partner knows its own
    operators' footprint better. "As published" keeps the data file's fact.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="country_overrides"
    )
    country = CountryField()
    operator_connect = models.CharField(
        "Operator Connect", max_length=3, choices=Availability.choices, blank=True
    )
    calling_plans = models.CharField(
        "Calling Plans", max_length=3, choices=Availability.choices, blank=True
    )
    teams_phone_mobile = models.CharField(
        "Teams Phone Mobile", max_length=3, choices=Availability.choices, blank=True
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="Why, e.g. the operator and its offer."
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "country"], name="country_override_once_per_country"
            )
        ]

    def __str__(self) -> str:
        return f"Country facts for {self.country.name}"
