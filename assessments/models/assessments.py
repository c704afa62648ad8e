"""Customers, their assessments (organisation-wide answers), sites and circuits."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from django_countries.fields import CountryField

from assessments.models.base import yes_no_unknown
from assessments.models.querysets import CircuitQuerySet, SiteQuerySet
from portal.search import SearchKeyed, SearchKeyField
from tenancy.models.base import TimeStamped, Versioned, limited_text
from tenancy.models.organisations import Organisation
from tenancy.models.querysets import OrganisationQuerySet

CUSTOMER_NAME_TAKEN = "You already have a customer with this name."


class Customer(SearchKeyed, Versioned):
    """A company a partner assesses; one customer may have several assessments."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="customers"
    )
    name = models.CharField(max_length=160)
    # The name folded for search in any script (portal/search.py says why stored).
    search_name = SearchKeyField(source="name")
    industry = models.CharField(max_length=80, blank=True)
    country = CountryField(blank=True, help_text="Where the customer is headquartered.")
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    notes = limited_text()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # Case does not count, as in the forms: "Contoso" and "CONTOSO" are one customer.
            models.UniqueConstraint(
                F("organisation"),
                Lower("name"),
                name="customer_unique_name_any_case",
                violation_error_message=CUSTOMER_NAME_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    """Where an assessment is in its life."""

    DRAFT = "draft", "Draft"
    WORKSHOP = "workshop", "Workshop"
    WITH_CUSTOMER = "with_customer", "With customer"
    SUBMITTED = "submitted", "Submitted"
    PROPOSAL_ISSUED = "proposal_issued", "Proposal issued"


# The moves a user may make; anything else is refused by the status form.
STATUS_FLOW: dict[str, list[str]] = {
    Status.DRAFT: [Status.WORKSHOP, Status.WITH_CUSTOMER],
    Status.WORKSHOP: [Status.DRAFT, Status.WITH_CUSTOMER, Status.SUBMITTED],
    Status.WITH_CUSTOMER: [Status.WORKSHOP, Status.SUBMITTED],
    Status.SUBMITTED: [Status.WORKSHOP, Status.WITH_CUSTOMER, Status.PROPOSAL_ISSUED],
    Status.PROPOSAL_ISSUED: [Status.WORKSHOP],
}


class CurrentTelephony(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    ONPREM_PBX = "onprem_pbx", "On-premises PBX"
    HOSTED_PBX = "hosted_pbx", "Hosted / cloud PBX"
    SKYPE_SERVER = "skype_server", "Skype for Business Server"
    TEAMS = "teams", "Already on Teams Phone"
    NONE = "none", "No phone system (new)"
    MIXED = "mixed", "A mix, varying by site"


class ExistingSbcs(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    NONE = "none", "None"
    CERTIFIED = "certified", "Yes, on Microsoft's certified list"
    NOT_CERTIFIED = "not_certified", "Yes, but not certified for Teams"


class OperatingModel(models.TextChoices):
    UNDECIDED = "undecided", "Undecided"
    PRODUCT = "product", "A product we use"
    PLATFORM = "platform", "A platform we operate"


class VoiceSkills(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    NONE = "none", "No voice skills in house"
    GENERALIST = "generalist", "IT generalists who can learn"
    DEDICATED = "dedicated", "A dedicated voice / SBC team"


class Level(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Timeline(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    URGENT = "urgent", "Within 3 months"
    NORMAL = "normal", "3 to 6 months"
    RELAXED = "relaxed", "More than 6 months"


class RoutingComplexity(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    SIMPLE = "simple", "Simple: one number plan per country"
    MODERATE = "moderate", "Moderate: some translation rules or shared ranges"
    COMPLEX = "complex", "Complex: least-cost routing, PBX ranges, per-site rules"


class ContactCentre(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    NONE = "none", "None"
    TEAMS_NATIVE = "teams_native", "Teams call queues / auto attendants only"
    CONNECT = "connect", "Certified contact centre, SBC-connected (Connect model)"
    EXTEND = "extend", "Contact centre using Teams APIs (Extend / Power model)"


class LicencesHeld(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    NONE = "none", "None"
    E5 = "e5", "Teams Phone through Microsoft 365 E5"
    STANDALONE = "standalone", "Teams Phone Standard, bought on its own"


class Assessment(Versioned):
    """One readiness assessment of a customer, with the organisation-wide answers."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessments"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField(max_length=160)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_assessments"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # Current telephony (domain.md §5 questions 4-8).
    current_telephony = models.CharField(
        "Current phone system",
        max_length=20,
        choices=CurrentTelephony.choices,
        default=CurrentTelephony.UNKNOWN,
        help_text="What carries calls today. Users still homed on Skype for Business Server "
        "must move online before Direct Routing.",
    )
    pbx_contract_end = models.DateField(
        "Current contract ends", null=True, blank=True, help_text="Phone system or carrier."
    )
    current_carriers = models.CharField(
        "Current carriers",
        max_length=300,
        blank=True,
        help_text="Carriers per country. Is your carrier in Microsoft's Operator Connect "
        "directory?",
    )
    keep_current_carrier = yes_no_unknown(
        "Must you keep your current carrier?",
        "Direct Routing works with any carrier; Operator Connect only with carriers in the "
        "programme.",
    )
    carrier_in_operator_connect = yes_no_unknown(
        "Is that carrier in the Operator Connect programme?",
        "Operator Connect works only with carriers in Microsoft's directory of operators; "
        "if yours is there, you can keep it without running Session Border Controllers.",
    )
    multi_carrier = yes_no_unknown(
        "Several carriers needed?",
        "Several carriers or least-cost routing between them favour Direct Routing.",
    )
    existing_sbcs = models.CharField(
        "Session Border Controllers today",
        max_length=20,
        choices=ExistingSbcs.choices,
        default=ExistingSbcs.UNKNOWN,
        help_text="Only certified SBC models and firmware are supported for Direct Routing.",
    )
    sbc_count = models.PositiveSmallIntegerField(
        "Number of SBCs", null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    sbc_details = models.CharField(
        "SBC models and firmware", max_length=300, blank=True, help_text="e.g. AudioCodes M800"
    )

    # Operations: who runs voice (domain.md §5 questions 24-25).
    operating_model = models.CharField(
        "Voice should be…",
        max_length=20,
        choices=OperatingModel.choices,
        default=OperatingModel.UNDECIDED,
        help_text="A product you use (the operator runs the SBCs: Operator Connect) or a "
        "platform you operate (you run SBCs, certificates and routing: Direct Routing).",
    )
    voice_skills = models.CharField(
        "Voice skills in IT",
        max_length=20,
        choices=VoiceSkills.choices,
        default=VoiceSkills.UNKNOWN,
        help_text="Direct Routing needs SBC, certificate, firmware and SIP skills.",
    )
    voice_staff_fte = models.DecimalField(
        "Staff time for voice (FTE)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="People's time available to run voice, in full-time equivalents.",
    )
    risk_tolerance = models.CharField(
        "Tolerance for operational risk",
        max_length=10,
        choices=Level.choices,
        default=Level.UNKNOWN,
        help_text="Low tolerance favours an operator-run service with an SLA.",
    )
    timeline = models.CharField(
        "When must calling go live?",
        max_length=10,
        choices=Timeline.choices,
        default=Timeline.UNKNOWN,
        help_text="Operator Connect takes days; a self-managed Direct Routing build takes weeks "
        "(an estimate).",
    )
    routing_complexity = models.CharField(
        "Call routing",
        max_length=10,
        choices=RoutingComplexity.choices,
        default=RoutingComplexity.UNKNOWN,
        help_text="Routing you control on your own SBC is Direct Routing.",
    )
    pbx_coexistence = yes_no_unknown(
        "Must a PBX keep running alongside Teams?",
        "Third-party PBX coexistence needs a Direct Routing trunk.",
    )
    survivability_required = yes_no_unknown(
        "Must branches keep calling if the internet fails?",
        "Local survivability needs Direct Routing with a Survivable Branch Appliance.",
    )
    contact_centre = models.CharField(
        "Contact centre",
        max_length=20,
        choices=ContactCentre.choices,
        default=ContactCentre.UNKNOWN,
        help_text="The Connect model needs a certified SBC and Direct Routing.",
    )
    compliance_recording = yes_no_unknown(
        "Compliance recording needed?",
        "Not supported for users under Location-Based Routing.",
    )
    mobile_first_share = models.PositiveSmallIntegerField(
        "Mobile-first workers (%)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="Workers who mainly call from a mobile: a fit for Teams Phone Mobile.",
    )

    # Numbers and emergency calling (domain.md §5 questions 6, 12-14).
    phone_numbers = models.PositiveIntegerField(
        "Phone numbers (DIDs)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000)],
        help_text="All direct-dial, service and toll-free numbers to bring to Teams.",
    )
    porting_required = yes_no_unknown(
        "Will numbers be ported?",
        "Porting typically takes one to three weeks or more per batch.",
    )
    dynamic_emergency_required = yes_no_unknown(
        "Dynamic emergency location needed?",
        "Required for US sites (RAY BAUM'S Act); Direct Routing needs extra configuration "
        "and an ERS provider or ELIN.",
    )
    security_desk_notification = yes_no_unknown(
        "Notify a security desk on emergency calls?",
        "Kari's Law requires notification for US multi-line systems.",
    )
    users_on_skype_server = yes_no_unknown(
        "Users still homed on Skype for Business Server?",
        "Direct Routing requires users homed online.",
    )
    # What it costs (issue 18): licences held, resource accounts and the customer's own IT
    # hourly cost move the cost of ownership only, never a score.
    teams_phone_licences = models.CharField(
        "Teams Phone licences held",
        max_length=12,
        choices=LicencesHeld.choices,
        default=LicencesHeld.UNKNOWN,
        help_text="Users who already hold Teams Phone (Microsoft 365 E5 includes it) are not "
        "charged for it again.",
    )
    teams_phone_licences_count = models.PositiveIntegerField(
        "Teams Phone licences held (how many)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000)],
        help_text="Leave empty when every user holds one.",
    )
    auto_attendants_queues = models.PositiveIntegerField(
        "Auto attendants and call queues",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000)],
        help_text="Each needs a Teams Phone Resource Account. Empty: one auto attendant per "
        "country and one call queue per site are assumed.",
    )
    it_hourly_cost = models.DecimalField(
        "IT hourly cost",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100_000)],
        help_text="What an hour of the customer's IT staff costs, in the price book's "
        "currency. Empty: the price book's figure.",
    )
    notes = limited_text()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.customer} — {self.title}"


class Breakout(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    LOCAL = "local", "Local internet breakout"
    BACKHAUL = "backhaul", "Backhauled to a hub / data centre"


class Bypass(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    NOT_PRESENT = "none", "None in the path"
    BYPASSED = "bypassed", "Teams media bypasses it"
    THROUGH = "through", "Teams media goes through it"


class Qos(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    END_TO_END = "end_to_end", "Marked and honoured end to end"
    PARTIAL = "partial", "Partly (LAN only, or not validated)"
    NONE = "none", "None"


class WiFi(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    ENTERPRISE_5GHZ = "enterprise_5ghz", "Managed, 5 GHz with WMM/QoS"
    MANAGED_24GHZ = "managed_24ghz", "Managed, mostly 2.4 GHz"
    UNMANAGED = "unmanaged", "Unmanaged / consumer-grade"
    WIRED_ONLY = "wired_only", "No Wi-Fi: wired only"


class Regulation(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    NONE = "none", "None"
    TOLL_BYPASS = "toll_bypass", "Toll-bypass restrictions (e.g. India)"
    OTHER = "other", "Other telecom regulation"


class Readiness(models.TextChoices):
    UNKNOWN = "unknown", "Don't know"
    READY = "ready", "Ready"
    PARTIAL = "partial", "Partly"
    NOT_READY = "not_ready", "Not ready"


class MeasurementTool(models.TextChoices):
    NONE = "", "—"
    NAT = "nat", "Teams Network Assessment Tool"
    CONNECTIVITY_TEST = "connectivity", "Microsoft 365 network connectivity test"
    CQD = "cqd", "Call Quality Dashboard"
    OTHER = "other", "Other tool"


def _measure(name: str, unit: str, *, upper: float, help_text: str) -> models.FloatField:
    return models.FloatField(
        f"{name} ({unit})",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(upper)],
        help_text=help_text,
    )


SITE_NAME_TAKEN = "Another site of this assessment has this name."
# The site fields that count users per persona (the engine's ``SiteInput.personas``).
PERSONA_FIELDS = ("audio_only_users", "office_video_users", "heavy_video_users")


def _persona_users(name: str, help_text: str) -> models.PositiveIntegerField:
    """Users of one persona at a site, empty when not answered."""
    return models.PositiveIntegerField(
        name,
        null=True,
        blank=True,
        validators=[MaxValueValidator(1_000_000)],
        help_text=help_text,
    )


class Site(SearchKeyed, Versioned):
    """One location of the customer: its people, devices, network and PSTN facts."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=120)
    country = CountryField(help_text="Decides Calling Plan and operator availability.")
    city = models.CharField(max_length=120, blank=True)
    # Name and city folded for the grid's search and jump (portal/search.py).
    search_name = SearchKeyField(source="name")
    search_city = SearchKeyField(source="city")
    address = models.CharField(
        max_length=300, blank=True, help_text="Street address: the emergency address."
    )

    # People and devices (domain.md §2.2, §1.9).
    users = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(1_000_000)], help_text="People working here."
    )
    peak_concurrency = models.PositiveSmallIntegerField(
        "Peak concurrent calls (%)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Share of users in a call at the busiest hour; blank uses the default "
        "assumption.",
    )
    teams_rooms = models.PositiveIntegerField(
        "Teams Rooms",
        default=0,
        validators=[MaxValueValidator(10_000)],
        help_text="Each room needs a bandwidth policy of at least 10 Mbps.",
    )
    # How the people here call: Network Planner's personas, as head counts of users on
    # site (Network Planner asks the same). All empty: its default, 80 % of the users as
    # office workers on site (the other 20 % remote, on their own connection). Any
    # answered: the empty ones count 0, and users not counted are remote.
    audio_only_users = _persona_users(
        "Audio-only users on site",
        "People here who call without video (contact centre, shop floor).",
    )
    office_video_users = _persona_users(
        "Office workers with video on site",
        "People here with video in some calls. All three empty: 80 % of the users, as "
        "Network Planner assumes.",
    )
    heavy_video_users = _persona_users(
        "Heavy video users on site", "People here in video meetings most of the day."
    )
    common_area_phones = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(100_000)]
    )
    analog_devices = models.PositiveIntegerField(
        "Analog devices",
        default=0,
        validators=[MaxValueValidator(100_000)],
        help_text="Analog phones and adapters (ATAs).",
    )
    fax_lines = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(100_000)])
    door_elevator_phones = models.PositiveIntegerField(
        "Door / elevator / emergency phones", default=0, validators=[MaxValueValidator(100_000)]
    )
    overhead_paging = yes_no_unknown(
        "Overhead paging?", "Paging interop with Teams needs Direct Routing."
    )

    # Network (domain.md §2.3-2.6, §4.1).
    sdwan = yes_no_unknown(
        "SD-WAN with failover?", "SD-WAN should break out Teams traffic locally."
    )
    lte_backup = yes_no_unknown(
        "LTE / 5G backup?",
        "A cellular backup keeps calls up when the wired circuit fails.",
    )
    internet_breakout = models.CharField(
        max_length=10,
        choices=Breakout.choices,
        default=Breakout.UNKNOWN,
        help_text="Microsoft prefers local breakout; backhaul adds latency.",
    )
    proxy = models.CharField(
        "Web proxy",
        max_length=10,
        choices=Bypass.choices,
        default=Bypass.UNKNOWN,
        help_text="Teams media should bypass proxies.",
    )
    vpn = models.CharField(
        "VPN",
        max_length=10,
        choices=Bypass.choices,
        default=Bypass.UNKNOWN,
        help_text="Split-tunnel Teams media outside the VPN.",
    )
    qos = models.CharField(
        "QoS (DSCP)",
        max_length=12,
        choices=Qos.choices,
        default=Qos.UNKNOWN,
        help_text="Audio EF 46, video AF41 34, sharing AF21 18 (Microsoft: QoS in Teams).",
    )
    wifi = models.CharField(
        "Wi-Fi",
        max_length=16,
        choices=WiFi.choices,
        default=WiFi.UNKNOWN,
        help_text="Prefer 5 GHz with WMM and band steering.",
    )
    backhaul_hub = models.CharField(
        "Traffic goes through site",
        max_length=120,
        blank=True,
        help_text="The site whose internet line carries this site's traffic; its calls add "
        "to that line's load (Network Planner). Empty: its own line.",
    )
    firewall_media_ports = yes_no_unknown(
        "UDP 3478-3481 open to Teams?",
        "Media relays: 13.107.64.0/18, 52.112.0.0/14, 52.122.0.0/15.",
    )

    # Measured path quality, per segment (domain.md §2.1, §3.2).
    client_rtt_ms = _measure(
        "Client RTT", "ms", upper=10_000, help_text="Client to Microsoft edge; target < 100 ms."
    )
    client_jitter_ms = _measure("Client jitter", "ms", upper=10_000, help_text="Target < 30 ms.")
    client_loss_pct = _measure("Client loss", "%", upper=100, help_text="Target < 1 %.")
    client_reorder_pct = _measure("Client reorder", "%", upper=100, help_text="Target < 0.05 %.")
    edge_rtt_ms = _measure(
        "Edge RTT", "ms", upper=10_000, help_text="Customer edge to Microsoft edge; target < 60 ms."
    )
    edge_jitter_ms = _measure("Edge jitter", "ms", upper=10_000, help_text="Target < 15 ms.")
    edge_loss_pct = _measure("Edge loss", "%", upper=100, help_text="Target < 0.1 %.")
    edge_reorder_pct = _measure("Edge reorder", "%", upper=100, help_text="Target < 0.01 %.")
    measured_on = models.DateField("Measured on", null=True, blank=True)
    measured_where = models.CharField(
        "Measured from", max_length=160, blank=True, help_text="e.g. 3rd floor Wi-Fi, edge router"
    )
    measurement_tool = models.CharField(
        max_length=20, choices=MeasurementTool.choices, default=MeasurementTool.NONE, blank=True
    )

    # PSTN facts (domain.md §1.6, §1.7, §4.3).
    operator_available = yes_no_unknown(
        "Operator Connect operator serves this country?",
        "Check Microsoft's Operator Connect directory.",
    )
    regulation = models.CharField(
        "Telecom regulation",
        max_length=12,
        choices=Regulation.choices,
        default=Regulation.UNKNOWN,
        help_text="Toll-bypass rules need Direct Routing with Location-Based Routing.",
    )
    needs_survivability = yes_no_unknown(
        "Must keep calling if the internet fails?",
        "A Survivable Branch Appliance on Direct Routing.",
    )
    emergency_address_ready = models.CharField(
        "Emergency addresses",
        max_length=10,
        choices=Readiness.choices,
        default=Readiness.UNKNOWN,
        help_text="Validated addresses, and subnets / Wi-Fi BSSIDs for dynamic location.",
    )
    notes = limited_text()
    position = models.PositiveIntegerField(default=0, editable=False)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # Names that differ only in case are the same site to people (and to the grid);
            # forms, the API, cloning and the import check the same rule first.
            models.UniqueConstraint(
                F("assessment"),
                Lower("name"),
                name="site_unique_name_any_case",
                violation_error_message=SITE_NAME_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse more users by persona than the site has, and a hub that is the site itself.

        Both are non-field errors: a form that shows only some of the fields (the sites
        grid) must still be able to say why a row is refused.
        """
        super().clean()
        counted = sum(getattr(self, name) or 0 for name in PERSONA_FIELDS)
        if counted > (self.users or 0):
            raise ValidationError(
                f"Users by way of calling add up to {counted}, more than the site's "
                f"{self.users or 0} users."
            )
        if self.backhaul_hub and self.backhaul_hub.strip().lower() == self.name.strip().lower():
            raise ValidationError("A site cannot send its traffic through itself.")


class CircuitRole(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    BACKUP = "backup", "Backup"


class CircuitKind(models.TextChoices):
    DIA = "dia", "Dedicated internet (fibre)"
    BROADBAND = "broadband", "Business broadband"
    MPLS = "mpls", "MPLS / private WAN"
    CELLULAR = "cellular", "LTE / 5G"
    SATELLITE = "satellite", "Satellite"
    OTHER = "other", "Other"


class Circuit(TimeStamped):
    """A network link of a site, with its capacity each way."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="circuits")
    role = models.CharField(max_length=10, choices=CircuitRole.choices, default=CircuitRole.PRIMARY)
    kind = models.CharField(
        "Type", max_length=12, choices=CircuitKind.choices, default=CircuitKind.DIA
    )
    down_mbps = models.FloatField(
        "Down (Mbps)", validators=[MinValueValidator(0.01), MaxValueValidator(1_000_000)]
    )
    up_mbps = models.FloatField(
        "Up (Mbps)", validators=[MinValueValidator(0.01), MaxValueValidator(1_000_000)]
    )
    provider = models.CharField(max_length=120, blank=True)

    objects = CircuitQuerySet.as_manager()

    class Meta:
        ordering = ["site", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(down_mbps__gt=0) & Q(up_mbps__gt=0), name="circuit_positive_capacity"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_role_display()} {self.get_kind_display()} {self.down_mbps}/{self.up_mbps}"
        )
