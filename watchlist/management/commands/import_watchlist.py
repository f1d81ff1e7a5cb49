import json
import sys

from django.core.management.base import BaseCommand, CommandError

from watchlist.backup import BackupError, import_backup


class Command(BaseCommand):
    help = "Read a JSON backup written by export_watchlist. Importing the same file twice creates no duplicates."

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup file, '-' for standard input")
        parser.add_argument("--user", action="append", dest="users", help="import only this user (repeatable)")
        parser.add_argument(
            "--create-users", action="store_true", help="create users missing here (with no password set)"
        )

    def handle(self, *args, file, users=None, create_users=False, **options):
        try:
            if file == "-":
                document = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as fh:
                    document = json.load(fh)
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        try:
            counts = import_backup(document, usernames=users, create_users=create_users)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Imported {counts['users']} user(s): {counts['created']} item(s) created, {counts['updated']} updated"
        )
