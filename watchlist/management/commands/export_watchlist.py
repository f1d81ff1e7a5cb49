import json

from django.core.management.base import BaseCommand, CommandError

from watchlist.backup import BackupError, export_backup


class Command(BaseCommand):
    help = "Write users' watchlists and settings to a JSON backup (all users, or those named with --user)."

    def add_arguments(self, parser):
        parser.add_argument("--user", action="append", dest="users", help="export only this user (repeatable)")
        parser.add_argument("-o", "--output", default="-", help="file to write, '-' for standard output (default)")

    def handle(self, *args, users=None, output="-", **options):
        try:
            document = export_backup(users)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if output == "-":
            self.stdout.write(text, ending="")
            return
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        items = sum(len(u["items"]) for u in document["users"])
        self.stderr.write(f"Exported {len(document['users'])} user(s), {items} item(s) to {output}")
