"""Background tasks (Django's tasks framework): ids in, a service call, nothing else."""

from django.tasks import task

from assessments.services import proposals


@task()
def render_proposal(proposal_id: int) -> None:
    """Render and store the PDF of an issued proposal (the proposal carries its tenant)."""
    proposals.proposal_render(proposal_id=proposal_id)
