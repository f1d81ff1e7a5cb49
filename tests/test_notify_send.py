"""Sending through Apprise to real receivers on 127.0.0.1 (json://, form://,
an SMTP server), and what the address rules refuse: every connection
Apprise opens goes through the guard, redirects included."""

from __future__ import annotations

import pytest

from tests.support.receivers import Answer, CountingListener, SmtpReceiver, WebhookReceiver
from watchlist.notify import targets


@pytest.fixture
def receiver():
    server = WebhookReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def listener():
    server = CountingListener().start()
    yield server
    server.stop()


@pytest.fixture
def smtp():
    server = SmtpReceiver().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def strict_rules(settings):
    settings.ALLOW_PRIVATE_SOURCES = False
    settings.PRIVATE_SOURCE_ALLOWLIST = []
    settings.NOTIFY_SEND_TIMEOUT_SECONDS = 5


def test_json_arrives_with_title_and_body(settings, receiver):
    settings.PRIVATE_SOURCE_ALLOWLIST = [receiver.netloc]
    outcome = targets.send(f"json://{receiver.netloc}/hook", "Frieren: episodes 5-8 downloaded", "Body text.")
    assert outcome.ok, outcome.error
    [posted] = receiver.posted
    assert posted.path == "/hook"
    assert posted.json()["title"] == "Frieren: episodes 5-8 downloaded"
    assert posted.json()["message"] == "Body text."


def test_form_arrives(settings, receiver):
    settings.PRIVATE_SOURCE_ALLOWLIST = [receiver.netloc]
    assert targets.send(f"form://{receiver.netloc}/form", "T", "B").ok
    assert b"title=T" in receiver.posted[0].body and b"message=B" in receiver.posted[0].body


def test_email_arrives_at_the_smtp_server(settings, smtp):
    settings.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{smtp.port}"]
    url = f"mailto://127.0.0.1:{smtp.port}?from=watch@example.org&to=alice@example.org"
    outcome = targets.send(url, "Frieren: episode 5 downloaded", "Ready to watch.")
    assert outcome.ok, outcome.error
    [mail] = smtp.messages
    assert mail["Subject"] == "Frieren: episode 5 downloaded"
    assert "Ready to watch." in mail.get_body(("plain", "html")).get_content()
    assert smtp.envelopes == [("watch@example.org", ["alice@example.org"])]


def test_a_target_cannot_make_the_server_post_to_a_local_service(listener):
    # A stand-in for Redis on 127.0.0.1:6379: not one connection reaches it.
    outcome = targets.send(f"json://127.0.0.1:{listener.port}/", "t", "b")
    assert not outcome.ok and outcome.permanent
    assert outcome.error == "refused by the address rules: address 127.0.0.1 is loopback and not allowed"
    assert listener.connections_so_far() == 0


def test_redis_default_port_is_refused_as_well():
    outcome = targets.send("json://127.0.0.1:6379/", "t", "b")
    assert not outcome.ok and "127.0.0.1 is loopback" in outcome.error


def test_a_cloud_metadata_address_is_refused(settings):
    settings.ALLOW_PRIVATE_SOURCES = True  # a LAN switch does not open metadata
    outcome = targets.send("json://169.254.169.254/latest/meta-data/", "t", "b")
    assert not outcome.ok
    assert "cloud metadata endpoint" in outcome.error


def test_a_name_is_judged_by_its_addresses(fake_dns, listener):
    fake_dns.add("redis.test", "127.0.0.1")
    outcome = targets.send(f"json://redis.test:{listener.port}/", "t", "b")
    assert not outcome.ok and "loopback" in outcome.error
    assert listener.connections_so_far() == 0


def test_smtp_connections_are_guarded_too(fake_dns):
    fake_dns.add("mail.internal.test", "10.0.0.25")
    outcome = targets.send("mailto://mail.internal.test:25?from=a@example.org&to=b@example.org", "t", "b")
    assert not outcome.ok
    assert "10.0.0.25" in outcome.error and "private" in outcome.error


def test_a_redirect_to_a_refused_address_is_not_followed(settings, receiver, listener):
    settings.PRIVATE_SOURCE_ALLOWLIST = [receiver.netloc]
    receiver.answers = [Answer(307, {"Location": f"http://127.0.0.1:{listener.port}/steal"})]
    outcome = targets.send(f"json://{receiver.netloc}/hook", "t", "b")
    assert not outcome.ok and "loopback" in outcome.error
    assert len(receiver.posted) == 1
    assert listener.connections_so_far() == 0


def test_a_server_error_is_told_in_plain_words_without_secrets(settings, receiver):
    settings.PRIVATE_SOURCE_ALLOWLIST = [receiver.netloc]
    receiver.answers = [Answer(503)]
    outcome = targets.send(f"json://user:hunter2secret@{receiver.netloc}/hooks/SECRETPATHTOKEN", "t", "b")
    assert not outcome.ok and not outcome.permanent
    assert "503" in outcome.error or "Service Unavailable" in outcome.error
    assert "hunter2secret" not in outcome.error and "SECRETPATHTOKEN" not in outcome.error


def test_validation_masks_secrets_and_refuses_what_cannot_be_a_target(settings):
    masked = targets.validate("json://user:hunter2secret@hooks.example.org/api/webhook/SECRETPATHTOKEN?x=1")
    assert "hunter2secret" not in masked and "SECRETPATHTOKEN" not in masked
    assert masked.startswith("json://user:****@hooks.example.org/api/")
    assert "discord://1...7/a...N" in targets.validate("discord://1234567/abcdefTOKEN")
    for url, words in [
        ("", "Enter an Apprise URL"),
        ("hooks.example.org/x", "not an Apprise URL"),
        ("gnome://", "acts on the server itself"),
        ("syslog://", "acts on the server itself"),
        ("nosuchservice://x", "does not understand"),
        ("json://127.0.0.1:6379/", "127.0.0.1 is loopback"),
        ("json://localhost/", "loopback"),
        ("json://169.254.169.254/", "cloud metadata"),
        ("mailto://10.1.2.3?from=a@example.org&to=b@example.org", "10.1.2.3 is private"),
    ]:
        with pytest.raises(targets.TargetURLError, match=words):
            targets.validate(url)
    settings.PRIVATE_SOURCE_ALLOWLIST = ["127.0.0.1:8025"]
    targets.validate("json://127.0.0.1:8025/")  # allowed by the administrator


def test_apprise_writes_nothing_to_the_log(settings, receiver, caplog):
    settings.PRIVATE_SOURCE_ALLOWLIST = [receiver.netloc]
    caplog.set_level("DEBUG")
    targets.send(f"json://user:hunter2secret@{receiver.netloc}/SECRETPATHTOKEN", "t", "b")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "hunter2secret" not in logged and "SECRETPATHTOKEN" not in logged
