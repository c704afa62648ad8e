"""Support screens for stored measurement files (read only)."""

from django.contrib import admin

from imports.models import MeasurementImport
from portal.admin import ReadOnlyAdmin


@admin.register(MeasurementImport)
class MeasurementImportAdmin(ReadOnlyAdmin):
    list_display = ["site", "segment", "source", "samples", "created_at"]
    list_filter = ["segment", "source"]
