"""Headers and what the service tells strangers: a strict
Content-Security-Policy that the pages satisfy, HTTPS settings behind one
switch, /healthz without raw errors for anonymous callers, and a database
outage answered 503 rather than 500."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from django.db import OperationalError
from django.test import RequestFactory, override_settings

from downloads import manager
from downloads.models import DownloadJob, JobStatus
from tests.factories import make_item
from tests.support.broker import unreachable_broker
from tests.support.celery_worker import ROOT
from watchlist.models import Notification
from watchlist_project.errors import server_error
from watchlist_project.security import HSTS_SECONDS

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(alice_web):
    policy = alice_web.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on* handler"),
    (re.compile(r"\shx-on", re.I), "an hx-on attribute (needs eval)"),
    (re.compile(r"<style", re.I), "a <style> element"),
]


def test_the_dashboard_has_nothing_the_policy_blocks(alice, alice_web, settings, tmp_path):
    settings.DOWNLOAD_DIR = tmp_path
    item = make_item(alice)
    job, _ = manager.enqueue(alice, "http://127.0.0.1:9/a.mkv", "http", tmp_path / "alice" / "a.mkv")
    DownloadJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, bytes_done=40, bytes_total=100)
    Notification.objects.create(user=alice, kind=Notification.Kind.ERROR, message="x")
    pages = ["/", f"/items/{item.pk}/", "/items/new/", f"/items/{item.pk}/edit/", "/downloads/", "/downloads/active/",
             "/settings/", "/stats/", "/notifications/", "/account/token/", "/api/docs/"]  # fmt: skip
    for page in pages:
        response = alice_web.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        for pattern, what in INLINE:
            found = pattern.search(html)
            assert found is None, f"{page} has {what}: {html[max(0, found.start() - 80) : found.end() + 80]}"
    assert 'class="progress__fill progress__fill--40"' in alice_web.get("/downloads/").content.decode()


def test_the_https_switch_turns_on_secure_cookies_hsts_and_the_proxy_header():
    script = (
        "import json; from django.conf import settings as s; print(json.dumps([s.SECURE_PROXY_SSL_HEADER, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS]))"
    )

    def read(https: str) -> list:
        env = {**os.environ, "SECRET_KEY": "x", "HTTPS": https}
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert read("true") == [["HTTP_X_FORWARDED_PROTO", "https"], True, True, HSTS_SECONDS]
    assert read("false") == [None, False, False, 0]


@override_settings(
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_HSTS_SECONDS=HSTS_SECONDS,
)
def test_behind_a_tls_proxy_cookies_are_secure_and_hsts_is_sent(client, alice):
    response = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"] == f"max-age={HSTS_SECONDS}"
    assert response.cookies["csrftoken"]["secure"]
    signed_in = client.post(
        "/login/", {"username": "alice", "password": "alice-pass-123"}, HTTP_X_FORWARDED_PROTO="https"
    )
    assert signed_in.cookies["sessionid"]["secure"]


def test_healthz_tells_strangers_what_is_down_but_not_the_details(client, admin_user):
    with unreachable_broker():
        anonymous = client.get("/healthz")
        client.force_login(admin_user)
        staff = client.get("/healthz")
    assert anonymous.status_code == 503
    assert anonymous.json() == {"status": "unavailable", "database": "ok", "broker": "unavailable"}
    assert "127.0.0.1" not in anonymous.content.decode()
    assert "Error" in staff.json()["errors"]["broker"]  # the raw error, for staff


@pytest.mark.parametrize("path", ["/api/watchlist", "/"])
def test_a_database_outage_is_a_503_not_a_500(path):
    request = RequestFactory().get(path)
    try:
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"5432" not in response.content
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500
