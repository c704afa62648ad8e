"""URL routes of deals: an assessment's deal and the pipeline's saved views."""

from django.urls import path

from deals import views

app_name = "deals"

urlpatterns = [
    path("assessments/<int:pk>/deal/", views.deal_page, name="deal"),
    path("pipeline/views/save/", views.saved_filter_save, name="saved-filter-save"),
    path(
        "pipeline/views/<int:saved_pk>/delete/",
        views.saved_filter_delete,
        name="saved-filter-delete",
    ),
]
