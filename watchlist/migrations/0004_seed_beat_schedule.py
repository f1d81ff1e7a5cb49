"""Seed the periodic tasks beat runs (see watchlist/beat.py)."""

from django.db import migrations

from watchlist.beat import ENTRIES, seed_beat_entries


def seed(apps, schema_editor):
    seed_beat_entries(
        apps.get_model("django_celery_beat", "IntervalSchedule"), apps.get_model("django_celery_beat", "PeriodicTask")
    )


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in ENTRIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("watchlist", "0003_schedule_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
