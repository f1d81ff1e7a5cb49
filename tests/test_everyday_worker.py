"""Real processes stamp their heartbeats: a Celery worker (the bootstep
registered by watchlist_project/celery.py) and beat (the scheduler named by
CELERY_BEAT_SCHEDULER), in the database for the System page and liveness,
and in the files the container health checks read."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.support.celery_worker import ROOT, Worker, worker_env
from tests.support.processes import needs_shared_services, wait_for
from watchlist.heartbeats import BEAT, WORKER_PREFIX
from watchlist.liveness import liveness
from watchlist.models import Heartbeat

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), needs_shared_services]


def test_a_worker_and_beat_stamp_their_heartbeats(tmp_path: Path, admin_user):
    env = {**worker_env(tmp_path / "library", tmp_path / "var"), "TMPDIR": str(tmp_path)}
    worker = Worker(env, tmp_path / "worker.log").start()
    beat_log = (tmp_path / "beat.log").open("ab")
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "watchlist_project",
            "beat",
            "-l",
            "info",
            "-s",
            str(tmp_path / "sched"),
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=beat_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def logs() -> str:
        return worker.output() + (tmp_path / "beat.log").read_text(errors="replace")

    try:
        wait_for(
            lambda: Heartbeat.objects.filter(name__startswith=WORKER_PREFIX).exists(), 40, "a worker heartbeat", logs
        )
        row = Heartbeat.objects.get(name__startswith=WORKER_PREFIX)
        assert row.name.startswith(f"{WORKER_PREFIX}test-")
        assert set(row.detail["queues"]) == {"checks", "downloads"} and row.detail["concurrency"] == 2
        wait_for(lambda: Heartbeat.objects.filter(name=BEAT).exists(), 40, "beat's heartbeat", logs)
        assert liveness()["beat_alive"] is True

        for part in ("worker", "beat"):
            assert (tmp_path / f"watchlist-{part}.alive").exists()
            check = subprocess.run(
                [sys.executable, "-m", "watchlist_project.alive", part],
                cwd=ROOT,
                env={**os.environ, "TMPDIR": str(tmp_path)},
                capture_output=True,
                text=True,
            )
            assert check.returncode == 0, check.stdout + check.stderr

        client = Client()
        client.force_login(admin_user)
        html = client.get("/system/").content.decode()
        assert row.name[len(WORKER_PREFIX) :] in html and ">Alive<" in html
        assert "Running" in html  # beat
    finally:
        if beat.poll() is None:
            os.killpg(beat.pid, signal.SIGTERM)
            beat.wait(timeout=20)
        beat_log.close()
        worker.stop()
