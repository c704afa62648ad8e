"""The pipeline's "Sites not ready" counts the sites graded Not ready, as the results page does."""

from django.db import migrations, models


def mark_for_rescoring(apps, schema_editor):
    # The column counted every site not graded Ready; it now counts the Not ready grade.
    # A summary with 0 is right either way. The others cannot be recounted without scoring,
    # so they are marked as scored by no ruleset: `manage.py rescore_assessments
    # --stale-only` (run after `migrate` in docker-compose.yml) rescores exactly those.
    AssessmentScore = apps.get_model("assessments", "AssessmentScore")
    AssessmentScore.objects.filter(sites_not_ready__gt=0).update(ruleset_version="")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0009_proposal_previews_and_render_notes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assessmentscore",
            name="sites_not_ready",
            field=models.PositiveIntegerField(
                default=0, help_text="Sites graded Not ready (below 50), as on the results page."
            ),
        ),
        migrations.RunPython(mark_for_rescoring, migrations.RunPython.noop, elidable=True),
    ]
