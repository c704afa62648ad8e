"""Pure scoring engine: assessment dataclasses in, explained results out (no Django)."""

from scoring.engine import score_assessment, score_site
from scoring.inputs import AssessmentInput, CircuitInput, CustomerInput, SiteInput
from scoring.results import (
    AssessmentResult,
    Finding,
    ModelFit,
    NetworkReadiness,
    Recommendation,
    SiteResult,
)
from scoring.ruleset import RULESET_VERSION

__all__ = [
    "RULESET_VERSION",
    "AssessmentInput",
    "AssessmentResult",
    "CircuitInput",
    "CustomerInput",
    "Finding",
    "ModelFit",
    "NetworkReadiness",
    "Recommendation",
    "SiteInput",
    "SiteResult",
    "score_assessment",
    "score_site",
]
