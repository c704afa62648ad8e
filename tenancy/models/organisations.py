"""Partner organisations (tenants), their branding, and who belongs to them with which role."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from tenancy.models.base import TimeStamped, Versioned, limited_text

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #RRGGBB, e.g. #1F4E79.")


class Font(models.TextChoices):
    """Fonts shipped in static/fonts/ that pages and PDFs may use."""

    INTER = "inter", "Inter"
    SOURCE_SANS = "source-sans-3", "Source Sans 3"
    MERRIWEATHER = "merriweather", "Merriweather"


class Organisation(Versioned):
    """A partner that sells Teams Phone; every customer, assessment and user belongs to one."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    # Branding used by customer-facing pages and the proposal PDF.
    company_name = models.CharField(
        max_length=120, blank=True, help_text="Shown on proposals; defaults to the name."
    )
    logo = models.FileField(upload_to="branding/", blank=True)
    primary_colour = models.CharField(max_length=7, default="#1F4E79", validators=[hex_colour])
    accent_colour = models.CharField(max_length=7, default="#2E8540", validators=[hex_colour])
    font = models.CharField(max_length=20, choices=Font.choices, default=Font.INTER)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    # Counts the changes of the partner's country facts (``tenancy.signals``): read with the
    # member on every page, it tells a process whether the facts it kept still hold.
    country_facts_version = models.PositiveIntegerField(default=0, editable=False)
    address = limited_text(max_length=500)
    legal_footer = limited_text(
        max_length=600, help_text="Printed at the foot of every proposal page."
    )

    # What proposals and customer pages show of the partner (snapshotted when a proposal
    # is issued); also the fields of the branding form.
    BRANDING_FIELDS = (
        "company_name",
        "primary_colour",
        "accent_colour",
        "font",
        "contact_email",
        "contact_phone",
        "website",
        "address",
        "legal_footer",
    )

    class Meta:
        # Created by the assessments app before the apps were split: the table keeps its name.
        db_table = "assessments_organisation"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name customers see."""
        return self.company_name or self.name


class Role(models.TextChoices):
    """What a member of a partner organisation may do."""

    SALES_ENGINEER = "se", "Sales engineer"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"


class Membership(TimeStamped):
    """Ties a user to exactly one organisation with one role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.SALES_ENGINEER)

    class Meta:
        # Created by the assessments app before the apps were split: the table keeps its name.
        db_table = "assessments_membership"
        ordering = ["organisation", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"
