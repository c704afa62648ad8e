"""The render tasks under the path that renders queued before they moved still name."""

# The tasks live beside their service (assessments.services.proposals), which never
# imports this module: a task row queued under "assessments.tasks.render_proposal"
# by an earlier release still finds its function here after an upgrade.
from assessments.services.proposals import render_preview, render_proposal

__all__ = ["render_preview", "render_proposal"]
