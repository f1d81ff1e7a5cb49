"""Every download setting's default lives in downloads/conf.py, once: the
settings module reads the environment with it, code reads the value through
conf.setting(), and the README's table lists it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings

from downloads import conf

ROOT = Path(__file__).resolve().parent.parent


def test_every_download_setting_is_in_the_settings_module_and_the_readme_table():
    readme_rows = [line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("|")]
    missing_from_readme = [name for name in conf.DEFAULTS if not any(f"`{name}`" in row for row in readme_rows)]
    assert missing_from_readme == []
    assert [name for name in conf.DEFAULTS if not hasattr(settings, name)] == []


def test_the_settings_module_takes_its_download_defaults_from_conf():
    source = (ROOT / "watchlist_project" / "settings.py").read_text()
    for name in conf.DEFAULTS:
        assignment = re.search(rf"^{name} = (.+?)(?=^\S)", source, re.M | re.S)
        assert assignment, name
        assert f"download_conf.{name}" in assignment.group(1) or "parse_" in assignment.group(1), name


def test_no_code_repeats_a_download_default():
    """A call like setting("DOWNLOAD_X", 60) or getattr(settings, "DOWNLOAD_X",
    60) is a second default that can drift from conf.py."""
    repeated = []
    for path in [*ROOT.glob("downloads/**/*.py"), *ROOT.glob("watchlist/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            named = [t for t in texts if t in conf.DEFAULTS]
            if named and len(node.args) > (2 if isinstance(node.func, ast.Name) and node.func.id == "getattr" else 1):
                repeated.append(f"{path.relative_to(ROOT)}:{node.lineno} {named[0]}")
    assert repeated == []


def test_a_missing_project_setting_falls_back_to_the_default(settings):
    del settings.DOWNLOAD_REDISPATCH_SECONDS
    assert conf.setting("DOWNLOAD_REDISPATCH_SECONDS") == conf.DOWNLOAD_REDISPATCH_SECONDS == 3600
