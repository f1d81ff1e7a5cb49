import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from watchlist.backup import BackupError, import_backup
from watchlist.original_import import import_original, is_original, parse_map, read_files


class Command(BaseCommand):
    help = (
        "Read a JSON backup written by export_watchlist, or the original service's config/watchlist.json and "
        "config/watchlist_settings.json (give the config folder, or the file, and --map for its user ids). "
        "Importing the same file twice creates no duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup file, '-' for standard input, or the original service's config folder")
        parser.add_argument("--user", action="append", dest="users", help="import only this user (repeatable)")
        parser.add_argument(
            "--create-users", action="store_true", help="create users missing here (with no password set)"
        )
        original = parser.add_argument_group("the original service's files")
        original.add_argument(
            "--settings-file",
            help="its watchlist_settings.json (found beside watchlist.json when the config folder is given)",
        )
        original.add_argument(
            "--map", action="append", default=[], metavar="USER_ID=USERNAME", help="the account a user id becomes"
        )
        original.add_argument("--map-file", help='a JSON object {"user id": "username", ...}')
        original.add_argument(
            "--skip-unmapped", action="store_true", help="leave out items of user ids not in the mapping"
        )

    def handle(self, *args, file, users=None, create_users=False, **options):
        path = Path(file)
        try:
            if file != "-" and (path.is_dir() or options["settings_file"] or options["map"] or options["map_file"]):
                return self._original(path, options, create_users)
            if file == "-":
                document = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as fh:
                    document = json.load(fh)
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if is_original(document):
            raise CommandError(
                f"{file} is not a backup of this service; if it is the original service's watchlist.json, "
                "give --map USER_ID=USERNAME for its users"
            )
        try:
            counts = import_backup(document, usernames=users, create_users=create_users)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Imported {counts['users']} user(s): {counts['created']} item(s) created, {counts['updated']} updated"
        )

    def _original(self, path: Path, options, create_users: bool) -> None:
        settings_path = Path(options["settings_file"]) if options["settings_file"] else None
        map_file = Path(options["map_file"]) if options["map_file"] else None
        try:
            items, settings = read_files(path, settings_path)
            mapping = parse_map(options["map"], map_file)
            counts = import_original(
                items, settings, mapping, create_users=create_users, skip_unmapped=options["skip_unmapped"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        text = (
            f"Imported {counts['users']} user(s) from the original service: {counts['created']} item(s) created, "
            f"{counts['updated']} updated"
        )
        if counts["paused"]:
            text += f"; {counts['paused']} paused because their provider does not exist here"
        if counts["skipped"]:
            text += f"; {counts['skipped']} skipped (unmapped user ids)"
        self.stdout.write(text)
