"""Pure scoring engine: assessment dataclasses in, explained results out (no Django)."""

from scoring.countries import CountryOverride, FitOptions
from scoring.engine import score_assessment, score_site
from scoring.inputs import AssessmentInput, CircuitInput, CustomerInput, SiteInput
from scoring.results import (
    AssessmentResult,
    Finding,
    Gateway,
    ModelFit,
    NetworkReadiness,
    Recommendation,
    SiteDesign,
    SiteResult,
)
from scoring.ruleset import RULESET_VERSION

__all__ = [
    "RULESET_VERSION",
    "AssessmentInput",
    "AssessmentResult",
    "CircuitInput",
    "CountryOverride",
    "CustomerInput",
    "Finding",
    "FitOptions",
    "Gateway",
    "ModelFit",
    "NetworkReadiness",
    "Recommendation",
    "SiteDesign",
    "SiteInput",
    "SiteResult",
    "score_assessment",
    "score_site",
]
