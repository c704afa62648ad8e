"""Customers, assessments, their sites and answers, scenarios and the activity log."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments"
