"""URL routes of the JSON API (version 1)."""

from django.urls import path

from api import views as api

app_name = "api"

urlpatterns = [
    path("score", api.score_document, name="score"),
    path("assessments", api.assessment_create, name="assessment-create"),
    path("assessments/<int:pk>", api.assessment_document, name="assessment-document"),
    path("assessments/<int:pk>/results", api.assessment_results, name="assessment-results"),
]
