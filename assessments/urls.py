"""URL routes of the staff screens."""

from django.urls import path

from assessments.views import organisation, results, staff

app_name = "assessments"

urlpatterns = [
    path("", staff.dashboard, name="dashboard"),
    path("customers/", staff.customer_list, name="customer-list"),
    path("customers/new/", staff.customer_create, name="customer-create"),
    path("customers/<int:pk>/edit/", staff.customer_update, name="customer-update"),
    path("assessments/new/", staff.assessment_create, name="assessment-create"),
    path("assessments/<int:pk>/", staff.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/edit/", staff.assessment_update, name="assessment-update"),
    path("assessments/<int:pk>/delete/", staff.assessment_delete, name="assessment-delete"),
    path("assessments/<int:pk>/results/", results.assessment_results, name="results"),
    path("assessments/<int:pk>/questions/", staff.questionnaire, name="questionnaire"),
    path("assessments/<int:pk>/sites/", staff.site_grid, name="site-grid"),
    path("assessments/<int:pk>/sites/new/", staff.site_create, name="site-create"),
    path("assessments/<int:pk>/sites/<int:site_pk>/", staff.site_update, name="site-update"),
    path("assessments/<int:pk>/sites/<int:site_pk>/clone/", staff.site_clone, name="site-clone"),
    path("assessments/<int:pk>/sites/<int:site_pk>/delete/", staff.site_delete, name="site-delete"),
    path("brand/<slug:slug>.css", organisation.brand_css, name="brand-css"),
    path("organisation/", organisation.organisation_settings, name="organisation-settings"),
    path("organisation/members/", organisation.member_list, name="member-list"),
    path("organisation/members/<int:member_pk>/", organisation.member_update, name="member-update"),
]
