"""Seed the reaper's periodic task (see downloads/beat.py).

Databases migrated before this existed already hold the row (an earlier
watchlist migration seeded it); it is left as it is."""

from django.db import migrations

from downloads.beat import seed_reaper, unseed_reaper


def seed(apps, schema_editor):
    seed_reaper(apps.get_model("django_celery_beat", "IntervalSchedule"), apps.get_model("django_celery_beat", "PeriodicTask"))


def unseed(apps, schema_editor):
    unseed_reaper(apps.get_model("django_celery_beat", "PeriodicTask"))


class Migration(migrations.Migration):
    dependencies = [
        ("downloads", "0002_everyday"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
