"""Re-encrypt every notification target URL (and every indexer's API key
and torrent client password, which the same keys protect) with the first of NOTIFY_SECRET_KEYS, so older
keys can then be removed from the list."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from watchlist.models import NotificationTarget
from watchlist.notify import cipher


class Command(BaseCommand):
    help = "Re-encrypt notification target URLs with the first key of NOTIFY_SECRET_KEYS."

    def handle(self, *args, **options) -> None:
        done = unreadable = 0
        with transaction.atomic():
            for target in NotificationTarget.objects.select_for_update().only("pk", "url_encrypted"):
                try:
                    rotated = cipher.rotate(target.url_encrypted)
                except cipher.Undecryptable:
                    unreadable += 1
                    continue
                NotificationTarget.objects.filter(pk=target.pk).update(url_encrypted=rotated)
                done += 1
        self.stdout.write(f"re-encrypted {done} target URL(s)")
        if unreadable:
            self.stderr.write(
                f"{unreadable} target URL(s) cannot be decrypted with any key; their owners must enter them again"
            )
        from watchlist.indexers.keys import rotate_all

        rotated, lost = rotate_all()
        self.stdout.write(f"re-encrypted {rotated} indexer API key(s)")
        if lost:
            self.stderr.write(
                f"{lost} indexer API key(s) cannot be decrypted with any key; staff must enter them again"
            )
        from downloads.clients.cipher import rotate_all as rotate_client_passwords

        rotated, lost = rotate_client_passwords()
        self.stdout.write(f"re-encrypted {rotated} torrent client password(s)")
        if lost:
            self.stderr.write(
                f"{lost} torrent client password(s) cannot be decrypted with any key; staff must enter them again"
            )
