"""Support screens for customers, assessments, sites, scenarios and the activity log."""

from django.contrib import admin

from assessments.models import Assessment, Change, Circuit, Customer, Scenario, Site


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


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["name", "assessment", "created_by", "updated_at", "promoted_at"]
    raw_id_fields = ["assessment", "created_by"]
