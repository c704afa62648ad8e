"""URL routes of site list imports and exports, and measurement files."""

from django.urls import path

from imports import views as imports

app_name = "imports"

urlpatterns = [
    path("assessments/<int:pk>/sites/import/", imports.site_import, name="site-import"),
    path(
        "assessments/<int:pk>/sites/import/template.csv",
        imports.site_import_template,
        {"fmt": "csv"},
        name="site-import-template-csv",
    ),
    path(
        "assessments/<int:pk>/sites/import/template.xlsx",
        imports.site_import_template,
        {"fmt": "xlsx"},
        name="site-import-template-xlsx",
    ),
    path(
        "assessments/<int:pk>/sites/import/preview/",
        imports.site_import_preview,
        name="site-import-preview",
    ),
    path(
        "assessments/<int:pk>/sites/import/commit/",
        imports.site_import_commit,
        name="site-import-commit",
    ),
    path(
        "assessments/<int:pk>/sites/import/rejected.csv",
        imports.site_import_rejected,
        name="site-import-rejected",
    ),
    path(
        "assessments/<int:pk>/sites/import/discard/",
        imports.site_import_discard,
        name="site-import-discard",
    ),
    path(
        "assessments/<int:pk>/sites/export.csv",
        imports.site_export,
        {"fmt": "csv"},
        name="site-export-csv",
    ),
    path(
        "assessments/<int:pk>/sites/export.xlsx",
        imports.site_export,
        {"fmt": "xlsx"},
        name="site-export-xlsx",
    ),
    path(
        "assessments/<int:pk>/sites/<int:site_pk>/measurements/",
        imports.site_measurements,
        name="site-measurements",
    ),
    path(
        "assessments/<int:pk>/sites/<int:site_pk>/measurements/import/",
        imports.measurement_upload,
        name="measurement-upload",
    ),
    path(
        "assessments/<int:pk>/sites/<int:site_pk>/measurements/paste/",
        imports.measurement_paste,
        name="measurement-paste",
    ),
]
