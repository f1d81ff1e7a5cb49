"""`manage.py runservice` keeps going when one of its parts crashes: the
child is started again with a growing pause, and only Ctrl-C or SIGTERM
stops the service (watchlist_project/processes.py). Real processes, killed
with SIGKILL."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.celery_worker import ROOT
from tests.support.processes import wait_for
from watchlist_project.processes import restart_delay


def test_the_pause_doubles_with_each_quick_failure_up_to_a_cap():
    assert [restart_delay(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert restart_delay(20) == 60
    assert restart_delay(3, base=0.5, cap=1.5) == 1.5


def _pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
def test_a_killed_child_is_restarted_and_only_sigterm_stops_the_service(tmp_path):
    pids = tmp_path / "pids"
    child = f"import os, time; open({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n'); time.sleep(600)"
    script = textwrap.dedent(
        f"""
        import sys
        from watchlist_project.processes import Process, run_together
        procs = [Process("sleeper", [sys.executable, "-c", {child!r}]),
                 Process("other", [sys.executable, "-c", "import time; time.sleep(600)"])]
        sys.exit(run_together(procs, restart_base=0.2, restart_max=1.0, grace_seconds=5))
        """
    )
    log = (tmp_path / "service.log").open("wb")
    service = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: len(_pids(pids)) == 1, 20, "the child to start")
        first = _pids(pids)[0]
        for round_ in range(3):  # crash after crash, the service keeps it running
            os.kill(_pids(pids)[-1], signal.SIGKILL)
            wait_for(lambda n=round_: len(_pids(pids)) == n + 2, 20, "the child to be started again")
            assert service.poll() is None, "the service stopped when a child crashed"
        assert not _alive(first)
        time.sleep(0.5)
        assert service.poll() is None
        latest = _pids(pids)[-1]
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=20) == 0
        assert not _alive(latest)
    finally:
        if service.poll() is None:
            service.kill()
        log.close()
    output = (tmp_path / "service.log").read_text()
    assert "sleeper exited with -9; starting it again" in output
    assert "sleeper stopped" in output and "other stopped" in output


PART = """
import os, sys, time
with open(sys.argv[1], "a") as out:
    out.write(f"{os.getpid()}\\n")
time.sleep(600)
"""


@contextlib.contextmanager
def _forking_service(tmp_path: Path, *, start_a_thread: bool) -> Iterator[tuple[subprocess.Popen, Path]]:
    """A supervisor running one forked part (``python -m sleeper_part``),
    its first start waited for; SIGTERM must then stop it and every part."""
    (tmp_path / "sleeper_part.py").write_text(PART)
    pids = tmp_path / "pids"
    thread = "import threading, time; threading.Thread(target=time.sleep, args=(600,), daemon=True).start()"
    script = textwrap.dedent(
        f"""
        import sys
        {thread if start_a_thread else ""}
        from watchlist_project.processes import Process, run_together
        part = Process("sleeper", [sys.executable, "-m", "sleeper_part", {str(pids)!r}], fork=True)
        sys.exit(run_together([part], restart_base=0.2, restart_max=1.0, grace_seconds=5))
        """
    )
    # The part's module is found the same way forked or started anew.
    env = os.environ | {"PYTHONPATH": str(tmp_path)}
    with (tmp_path / "service.log").open("wb") as log:
        service = subprocess.Popen(
            [sys.executable, "-c", script], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_for(lambda: len(_pids(pids)) == 1, 20, "the part to start")
        assert _parent(_pids(pids)[0]) == service.pid
        yield service, pids
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=20) == 0
        assert not any(_alive(pid) for pid in _pids(pids))
    finally:
        if service.poll() is None:
            service.kill()


def _comm(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@pytest.mark.slow
def test_a_forked_part_runs_its_module_in_a_child_and_is_forked_again_after_a_crash(tmp_path):
    with _forking_service(tmp_path, start_a_thread=False) as (service, pids):
        first = _pids(pids)[0]
        # A copy of the supervisor running the part's module, not a new
        # interpreter: its command line is the supervisor's, and it carries
        # the part's name.
        assert Path(f"/proc/{first}/cmdline").read_bytes() == Path(f"/proc/{service.pid}/cmdline").read_bytes()
        assert _comm(first) == "wl:sleeper"
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: len(_pids(pids)) == 2, 20, "the part to be forked again")
        second = _pids(pids)[1]
        assert _parent(second) == service.pid and _comm(second) == "wl:sleeper"
    output = (tmp_path / "service.log").read_text()
    assert "sleeper exited with -9; starting it again" in output
    assert "sleeper stopped" in output


@pytest.mark.slow
def test_a_supervisor_with_a_thread_starts_parts_as_new_interpreters_instead_of_forking(tmp_path):
    # A child forked while another thread may hold a lock can hang for good:
    # the supervisor forks only while it is single-threaded.
    with _forking_service(tmp_path, start_a_thread=True) as (_, pids):
        part = _pids(pids)[0]
        assert Path(f"/proc/{part}/cmdline").read_bytes().split(b"\0")[1:3] == [b"-m", b"sleeper_part"]
        assert _comm(part) != "wl:sleeper"
