"""Django admin for support staff."""

from django.contrib import admin

from assessments.models import Assessment, Change, Circuit, Customer, Membership, Organisation, Site


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
