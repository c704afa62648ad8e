"""Django admin for support staff."""

from django.contrib import admin

from assessments.models import (
    ApiToken,
    Assessment,
    Change,
    Circuit,
    Customer,
    Invite,
    MeasurementImport,
    Membership,
    Organisation,
    Proposal,
    Scenario,
    Site,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "contact_email", "created_at"]
    search_fields = ["name", "company_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["organisation", "role"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "country", "contact_email"]
    list_filter = ["organisation"]
    search_fields = ["name"]


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    fields = ["name", "country", "city", "users", "teams_rooms"]
    show_change_link = True


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["title", "customer", "organisation", "owner", "status", "updated_at"]
    list_filter = ["organisation", "status"]
    search_fields = ["title", "customer__name"]
    raw_id_fields = ["owner", "customer"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [SiteInline]


class CircuitInline(admin.TabularInline):
    model = Circuit
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "assessment", "country", "users"]
    list_filter = ["assessment__organisation", "country"]
    search_fields = ["name", "city"]
    raw_id_fields = ["assessment"]
    readonly_fields = ["version"]
    inlines = [CircuitInline]


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_label", "version"]
    list_filter = ["object_type", "action"]
    readonly_fields = [f.name for f in Change._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records support staff may look at but not change (history, issued documents)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = [
        "customer_name",
        "number",
        "status",
        "issued_by_name",
        "issued_at",
        "page_count",
    ]
    list_filter = ["status", "organisation"]
    search_fields = ["customer_name"]
    exclude = ["document", "results", "branding", "thresholds"]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = [
        "contact_name",
        "email",
        "assessment",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["assessment__organisation"]
    search_fields = ["contact_name", "email"]
    exclude = ["token_hash", "pending_import"]
    readonly_fields = ["sent_at", "send_count", "last_used_at", "last_step", "submitted_at"]
    raw_id_fields = ["assessment", "created_by"]


@admin.register(MeasurementImport)
class MeasurementImportAdmin(ReadOnlyAdmin):
    list_display = ["site", "segment", "source", "samples", "created_at"]
    list_filter = ["segment", "source"]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["name", "assessment", "created_by", "updated_at", "promoted_at"]
    raw_id_fields = ["assessment", "created_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["hint", "created_at", "last_used_at"]
    exclude = ["key_hash"]
    raw_id_fields = ["user"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # tokens are issued by their users, shown once

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
