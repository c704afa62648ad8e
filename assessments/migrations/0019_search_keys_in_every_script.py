"""Folded copies of customer and site names (and site cities) for search in any script."""

from django.db import migrations

import portal.search

BATCH = 1000


def fill(apps, schema_editor):
    """Folds the names already stored, a batch at a time (memory stays flat on large estates)."""
    for model_name, sources in (("Customer", ("name",)), ("Site", ("name", "city"))):
        model = apps.get_model("assessments", model_name)
        keys = [f"search_{source}" for source in sources]
        batch = []
        for row in model.objects.only("pk", *sources).order_by("pk").iterator(chunk_size=BATCH):
            for source, key in zip(sources, keys, strict=True):
                setattr(row, key, portal.search.fold(getattr(row, source)))
            batch.append(row)
            if len(batch) == BATCH:
                model.objects.bulk_update(batch, keys)
                batch = []
        if batch:
            model.objects.bulk_update(batch, keys)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0018_undo_of_removals_and_promotions"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="search_name",
            field=portal.search.SearchKeyField(source="name"),
        ),
        migrations.AddField(
            model_name="site",
            name="search_city",
            field=portal.search.SearchKeyField(source="city"),
        ),
        migrations.AddField(
            model_name="site",
            name="search_name",
            field=portal.search.SearchKeyField(source="name"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
