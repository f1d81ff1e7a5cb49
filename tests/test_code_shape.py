"""The download receiver and the release-name parser stay split into stages:
no function in them goes past a cyclomatic complexity of 15 (ruff's C901),
so each stage can be read, and tested, on its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGED_MODULES = ["downloads/backends/http.py", "watchlist/releases/parse.py"]


def test_staged_modules_have_no_function_above_complexity_15() -> None:
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "C901"]
    command += ["--config", "lint.mccabe.max-complexity=15", "--output-format", "concise", *STAGED_MODULES]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
