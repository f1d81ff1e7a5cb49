import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an 'admin' superuser with a random password when no superuser exists yet."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username="admin", **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin account exists; sign in at /admin/ (reset with manage.py changepassword).")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, password=password, email="")
        password_file = settings.VAR_DIR / "admin-password.txt"
        # Only the password, so scripts can read it as it is (the username is
        # the one printed here, "admin" unless --username says otherwise).
        password_file.write_text(f"{password}\n")
        password_file.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the admin account.\n  username: {username}\n  password: {password}\n"
                f"  (also saved in {password_file}; change it with: manage.py changepassword {username})"
            )
        )
