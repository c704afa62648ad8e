"""A deal per assessment (stage, value, seats), its stage history, and saved pipeline filters."""

from decimal import Decimal

from django.conf import settings
from django.db import models

from assessments.models import Assessment
from tenancy.models.base import TimeStamped, Versioned
from tenancy.models.organisations import Organisation
from tenancy.models.querysets import OrganisationQuerySet


class Stage(models.TextChoices):
    """Where a sale stands; the order is the pipeline's, left to right."""

    QUALIFYING = "qualifying", "Qualifying"
    ASSESSING = "assessing", "Assessing"
    PROPOSAL = "proposal", "Proposal sent"
    NEGOTIATING = "negotiating", "Negotiating"
    # The customer accepted a version through its link: ready to close, not yet won (the
    # partner still books the order, and may yet lose it).
    ACCEPTED = "accepted", "Accepted"
    WON = "won", "Won"
    LOST = "lost", "Lost"


CLOSED_STAGES = (Stage.WON, Stage.LOST)
# Stages a newly issued proposal moves a deal on from: later ones are already past it.
BEFORE_PROPOSAL = (Stage.QUALIFYING, Stage.ASSESSING)
# Stages a customer's request for changes moves on to "Negotiating": later ones are past it.
BEFORE_NEGOTIATING = (Stage.QUALIFYING, Stage.ASSESSING, Stage.PROPOSAL)
# Stages a customer's acceptance moves on to "Accepted": a closed deal never moves back.
BEFORE_ACCEPTED = (*BEFORE_NEGOTIATING, Stage.NEGOTIATING)


class LostReason(models.TextChoices):
    """Why a deal was lost: a short list, so managers can count the reasons."""

    PRICE = "price", "Price"
    COMPETITOR = "competitor", "Went with a competitor"
    NO_DECISION = "no_decision", "No decision or timing"
    STAYED = "stayed", "Kept the current telephony"
    NETWORK = "network", "Network not ready"
    OTHER = "other", "Other"


class Currency(models.TextChoices):
    """The currencies a deal value may be in (ISO 4217)."""

    EUR = "EUR", "EUR (euro)"
    GBP = "GBP", "GBP (pound sterling)"
    USD = "USD", "USD (US dollar)"
    CHF = "CHF", "CHF (Swiss franc)"
    SEK = "SEK", "SEK (Swedish krona)"
    NOK = "NOK", "NOK (Norwegian krone)"
    DKK = "DKK", "DKK (Danish krone)"
    PLN = "PLN", "PLN (Polish złoty)"
    CZK = "CZK", "CZK (Czech koruna)"
    AUD = "AUD", "AUD (Australian dollar)"
    CAD = "CAD", "CAD (Canadian dollar)"
    INR = "INR", "INR (Indian rupee)"
    JPY = "JPY", "JPY (Japanese yen)"


# A deal worth more than this is a typing error (three extra zeros), not a sale.
MAX_DEAL_VALUE = Decimal("1000000000")
MAX_SEATS = 10_000_000


class DealQuerySet(OrganisationQuerySet):
    """Deals of one partner organisation."""


class Deal(Versioned):
    """The sale an assessment supports: created when someone first sets its stage or value.

    Until then the pipeline shows a stage derived from the assessment (see
    :mod:`deals.selectors`), so every assessment is in the pipeline from its first day.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="deals")
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="deal")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.ASSESSING)
    stage_since = models.DateTimeField()
    value = models.DecimalField(
        "Deal value", max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.EUR)
    seats = models.PositiveIntegerField(null=True, blank=True)
    lost_reason = models.CharField(max_length=20, choices=LostReason.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = DealQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(stage=Stage.LOST) | ~models.Q(lost_reason=""),
                name="deal_lost_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Deal for {self.assessment}"


class DealChangeQuerySet(OrganisationQuerySet):
    """Deal history, reached through its deal's organisation."""

    organisation_path = "deal__organisation_id"


class DealChange(models.Model):
    """One move of a deal (stage, value or seats), kept for its history and days in stage."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    stage_from = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    stage_to = models.CharField(max_length=20, choices=Stage.choices)
    # Who moved it when no member did: the customer whose decision on a link moved it.
    by_name = models.CharField(max_length=160, blank=True)
    summary = models.CharField(max_length=300)

    objects = DealChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.summary


class SavedFilterQuerySet(OrganisationQuerySet):
    """Saved pipeline views: each user sees only their own."""

    def visible_to(self, user) -> "OrganisationQuerySet":
        """Only the user's own saved filters (of their organisation)."""
        return super().visible_to(user).filter(user_id=user.pk)


class SavedFilter(TimeStamped):
    """A pipeline view a manager named and kept: its query string, checked again when used."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="saved_filters"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(max_length=60)
    query = models.CharField(max_length=1000)

    objects = SavedFilterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name
