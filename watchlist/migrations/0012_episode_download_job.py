"""Episodes point at their download job; jobs queued before this say which
episode they are for only in their metadata, read here once."""

import django.db.models.deletion
from django.db import migrations, models


def link_existing_jobs(apps, schema_editor):
    DownloadJob = apps.get_model("downloads", "DownloadJob")
    Episode = apps.get_model("watchlist", "Episode")
    latest: dict[int, object] = {}
    jobs = DownloadJob.objects.filter(metadata__has_key="episode_id").order_by("created_at")
    for job_id, meta in jobs.values_list("id", "metadata").iterator(chunk_size=2000):
        episode_id = meta.get("episode_id") if isinstance(meta, dict) else None
        if isinstance(episode_id, int):
            latest[episode_id] = job_id  # the newest job wins, as it would have when queued
    existing = set(Episode.objects.filter(pk__in=list(latest)).values_list("pk", flat=True))
    for episode_id, job_id in latest.items():
        if episode_id in existing:
            Episode.objects.filter(pk=episode_id).update(download_job_id=job_id)


class Migration(migrations.Migration):
    dependencies = [
        ("downloads", "0002_everyday"),
        ("watchlist", "0011_indexers"),
    ]

    operations = [
        migrations.AddField(
            model_name="episode",
            name="download_job",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="watchlist_episodes",
                to="downloads.downloadjob",
            ),
        ),
        migrations.RunPython(link_existing_jobs, migrations.RunPython.noop),
    ]
