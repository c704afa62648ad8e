"""The portal's models, split by domain and re-exported here."""

from assessments.models.api import ApiToken
from assessments.models.assessments import (
    STATUS_FLOW,
    Assessment,
    Breakout,
    Bypass,
    Circuit,
    CircuitKind,
    CircuitRole,
    ContactCentre,
    CurrentTelephony,
    Customer,
    ExistingSbcs,
    Level,
    MeasurementTool,
    OperatingModel,
    Qos,
    Readiness,
    Regulation,
    RoutingComplexity,
    Site,
    Status,
    Timeline,
    VoiceSkills,
    WiFi,
)
from assessments.models.audit import Change
from assessments.models.base import YesNoUnknown
from assessments.models.imports import PendingSiteImport
from assessments.models.invites import Invite, InviteSection, SubmissionNotice
from assessments.models.measurements import MeasurementImport, MeasurementSource, Segment
from assessments.models.proposals import Proposal, ProposalPreview, ProposalStatus
from assessments.models.scenarios import Scenario
from assessments.models.scores import AssessmentScore, ReadinessBand
from assessments.models.tenancy import Font, Membership, Organisation, Role

__all__ = [
    "ApiToken",
    "AssessmentScore",
    "STATUS_FLOW",
    "Assessment",
    "Breakout",
    "Bypass",
    "Change",
    "Circuit",
    "CircuitKind",
    "CircuitRole",
    "ContactCentre",
    "CurrentTelephony",
    "Customer",
    "ExistingSbcs",
    "Font",
    "Invite",
    "InviteSection",
    "Level",
    "MeasurementImport",
    "MeasurementSource",
    "MeasurementTool",
    "Membership",
    "OperatingModel",
    "Organisation",
    "PendingSiteImport",
    "Proposal",
    "ProposalPreview",
    "ProposalStatus",
    "Qos",
    "Readiness",
    "ReadinessBand",
    "Regulation",
    "Role",
    "Scenario",
    "RoutingComplexity",
    "Segment",
    "Site",
    "Status",
    "SubmissionNotice",
    "Timeline",
    "VoiceSkills",
    "WiFi",
    "YesNoUnknown",
]
