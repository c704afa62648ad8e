"""Background tasks (Django's tasks framework): ids in, a service call, nothing else."""

from django.tasks import task

from assessments.services import proposals


@task()
def render_proposal(proposal_id: int) -> None:
    """Render and store the PDF of an issued proposal (the proposal carries its tenant)."""
    proposals.proposal_render(proposal_id=proposal_id)


@task()
def render_preview(preview_id: int) -> None:
    """Render a member's draft preview from the current answers (the preview carries its tenant)."""
    proposals.preview_render(preview_id=preview_id)
