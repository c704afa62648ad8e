"""URL routes of the staff screens of customers, assessments, sites, results and what-if."""

from django.urls import path

from assessments.views import activity, grid_paste, pipeline, results, scenarios, staff, workshop

app_name = "assessments"

urlpatterns = [
    path("", staff.dashboard, name="dashboard"),
    path("customers/", staff.customer_list, name="customer-list"),
    path("customers/new/", staff.customer_create, name="customer-create"),
    path("customers/<int:pk>/edit/", staff.customer_update, name="customer-update"),
    path("assessments/new/", staff.assessment_create, name="assessment-create"),
    path("assessments/<int:pk>/", staff.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/edit/", staff.assessment_update, name="assessment-update"),
    path("assessments/<int:pk>/clone/", staff.assessment_clone, name="assessment-clone"),
    path("assessments/<int:pk>/delete/", staff.assessment_delete, name="assessment-delete"),
    path("assessments/<int:pk>/results/", results.assessment_results, name="results"),
    path(
        "assessments/<int:pk>/results/sites/<int:site_pk>/",
        results.site_result,
        name="site-result",
    ),
    path("assessments/<int:pk>/what-if/", scenarios.scenario_list, name="scenarios"),
    path(
        "assessments/<int:pk>/what-if/<int:scenario_pk>/",
        scenarios.scenario_detail,
        name="scenario",
    ),
    path(
        "assessments/<int:pk>/what-if/<int:scenario_pk>/change/",
        scenarios.scenario_change_add,
        name="scenario-change-add",
    ),
    path(
        "assessments/<int:pk>/what-if/<int:scenario_pk>/change/remove/",
        scenarios.scenario_change_remove,
        name="scenario-change-remove",
    ),
    path(
        "assessments/<int:pk>/what-if/<int:scenario_pk>/circuit/",
        scenarios.scenario_circuit_add,
        name="scenario-circuit-add",
    ),
    path(
        "assessments/<int:pk>/what-if/<int:scenario_pk>/site/",
        scenarios.scenario_site_add,
        name="scenario-site-add",
    ),
    path("assessments/<int:pk>/undo/<int:undo_pk>/", scenarios.undo_take_back, name="undo"),
    path(
        "assessments/<int:pk>/what-if/<int:scenario_pk>/promote/",
        scenarios.scenario_promote,
        name="scenario-promote",
    ),
    path(
        "assessments/<int:pk>/what-if/<int:scenario_pk>/delete/",
        scenarios.scenario_delete,
        name="scenario-delete",
    ),
    path("pipeline/", pipeline.pipeline, name="pipeline"),
    path("pipeline/export.csv", pipeline.pipeline_csv, name="pipeline-csv"),
    path("assessments/<int:pk>/questions/", staff.questionnaire, name="questionnaire"),
    path(
        "assessments/<int:pk>/questions/autosave/",
        workshop.questionnaire_autosave,
        name="questionnaire-autosave",
    ),
    path("assessments/<int:pk>/sites/", workshop.site_grid, name="site-grid"),
    path("assessments/<int:pk>/sites/add/", workshop.site_row_create, name="site-row-create"),
    path("assessments/<int:pk>/sites/bulk/", workshop.site_bulk_set, name="site-bulk-set"),
    path("assessments/<int:pk>/sites/paste/", grid_paste.site_grid_paste, name="site-grid-paste"),
    path("assessments/<int:pk>/sites/undo/", grid_paste.site_grid_undo, name="site-grid-undo"),
    path("assessments/<int:pk>/sites/<int:site_pk>/row/", workshop.site_row, name="site-row"),
    path("assessments/<int:pk>/live-summary/", workshop.live_summary, name="live-summary"),
    path(
        "assessments/<int:pk>/sites/<int:site_pk>/row/save/",
        workshop.site_row_save,
        name="site-row-save",
    ),
    path("assessments/<int:pk>/sites/new/", staff.site_create, name="site-create"),
    path("assessments/<int:pk>/sites/<int:site_pk>/", staff.site_update, name="site-update"),
    path(
        "assessments/<int:pk>/sites/<int:site_pk>/clone/",
        workshop.site_row_clone,
        name="site-clone",
    ),
    path(
        "assessments/<int:pk>/sites/<int:site_pk>/delete/",
        workshop.site_row_delete,
        name="site-delete",
    ),
    path("assessments/<int:pk>/activity/", activity.assessment_activity, name="activity"),
]
