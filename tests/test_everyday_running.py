"""Running it as the README says: manage.py finds the kept SECRET_KEY, the
admin's password file holds the password alone, static files are hashed and
compressed once collected, docker-compose has health checks and passes the
settings, every setting is documented, and the heartbeat health check."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "DEBUG", "VAR_DIR")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


PRINT_KEY = ("shell", "--verbosity", "0", "-c", "from django.conf import settings; print(settings.SECRET_KEY)")


def test_manage_py_uses_the_key_kept_in_var_without_an_export(tmp_path):
    (tmp_path / "secret_key").write_text("kept-by-scripts-run\n")
    result = _manage({"VAR_DIR": str(tmp_path)}, *PRINT_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "kept-by-scripts-run"


def test_the_embedded_mode_makes_and_keeps_a_key(tmp_path):
    first = _manage({"VAR_DIR": str(tmp_path)}, *PRINT_KEY)
    second = _manage({"VAR_DIR": str(tmp_path)}, *PRINT_KEY)
    assert first.returncode == 0, first.stderr
    assert len(first.stdout.strip()) >= 50 and first.stdout == second.stdout
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_deployment_with_a_database_url_must_give_its_key(tmp_path):
    result = _manage({"VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://u@127.0.0.1:1/x"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_the_admin_password_file_holds_only_the_password(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    password = (tmp_path / "admin-password.txt").read_text()
    assert password.endswith("\n") and "\n" not in password.strip() and "admin" not in password
    assert f"password: {password.strip()}" in out.getvalue()
    assert Client().post("/login/", {"username": "admin", "password": password.strip()}).status_code == 302


def test_static_files_are_hashed_compressed_and_cached_once_collected(db, tmp_path):
    with override_settings(STATIC_ROOT=tmp_path / "static"):
        call_command("collectstatic", interactive=False, verbosity=0)
        client = Client()
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.create_user("viewer", password="viewer-pass-123"))
        html = client.get("/").content.decode()
        css = re.search(r'href="(/static/watchlist/app\.[0-9a-f]{12}\.css)"', html).group(1)
        js = re.search(r'src="(/static/htmx[^"]*\.[0-9a-f]{12}\.js)"|src="(/static/[^"]*htmx[^"]*\.js)"', html)
        assert js is not None and re.search(r"\.[0-9a-f]{12}\.js", js.group(0)), js.group(0)
        for encoding in ("br", "gzip"):
            response = client.get(css, HTTP_ACCEPT_ENCODING=encoding)
            assert response.status_code == 200
            assert response["Content-Encoding"] == encoding
            assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
        htmx = client.get(js.group(0).split('"')[1], HTTP_ACCEPT_ENCODING="gzip")
        assert htmx["Content-Encoding"] == "gzip"


def test_without_collectstatic_pages_still_find_their_files(client, django_user_model):
    """The test-suite and a fresh checkout have no manifest: plain names,
    served from the apps' folders."""
    client.force_login(django_user_model.objects.create_user("viewer", password="viewer-pass-123"))
    html = client.get("/").content.decode()
    assert 'href="/static/watchlist/app.css"' in html
    assert client.get("/static/watchlist/app.css").status_code == 200


def test_compose_has_health_checks_and_passes_the_settings():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["web"]["healthcheck"]["test"][-1].endswith("/healthz")
    for name, part in (("worker-checks", "worker"), ("worker-downloads", "worker"), ("beat", "beat")):
        assert services[name]["healthcheck"]["test"] == ["CMD", "python", "-m", "watchlist_project.alive", part]
    app = compose["x-app"]
    assert app["env_file"] == [{"path": ".env", "required": False}]
    assert "127.0.0.1" in app["environment"]["ALLOWED_HOSTS"]  # the web's own health check is allowed
    assert "docker compose run --rm web python manage.py ensure_admin" in README


def _settings_read_from_the_environment() -> set[str]:
    source = (ROOT / "watchlist_project" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list|int_list)\(\s*"([A-Z0-9_]+)"', source))


def test_every_setting_is_in_the_readmes_table():
    table = {m.group(1) for m in re.finditer(r"^\| `([A-Z0-9_]+)`", README, re.M)}
    table |= {
        name for line in README.splitlines() if line.startswith("| `") for name in re.findall(r"`([A-Z_]+)`", line)
    }
    missing = _settings_read_from_the_environment() - table
    assert not missing, f"settings not in the README's table: {sorted(missing)}"
    assert "BIND" in table


def test_the_readme_says_the_first_start_takes_minutes():
    assert "The first start creates `.venv` and installs the packages, which takes a few\nminutes" in README


def test_scripts_run_collects_static_files():
    script = (ROOT / "scripts" / "run").read_text()
    assert "collectstatic --noinput" in script
    assert script.index("collectstatic") < script.index("runservice")


# --- the heartbeat health check -------------------------------------------------------


def test_the_alive_check_reads_the_heartbeat_files_age(monkeypatch, tmp_path, capsys):
    from watchlist_project import alive

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert alive.main(["worker"]) == 1  # never stamped
    path = alive.alive_file("worker")
    assert path.parent == tmp_path
    path.touch()
    assert alive.main(["worker"]) == 0
    old = time.time() - 120
    os.utime(path, (old, old))
    assert alive.main(["worker"]) == 1  # 120 s > 90 s
    assert alive.main(["worker", "--max-age", "300"]) == 0
    assert "last heartbeat" in capsys.readouterr().out


@pytest.mark.slow
def test_the_alive_check_runs_as_the_container_runs_it(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    (tmp_path / "watchlist-beat.alive").touch()
    result = subprocess.run(
        [sys.executable, "-m", "watchlist_project.alive", "beat"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""  # no warning from running a module of the package
