"""Questions to the broker that the status pages ask: is it reachable, how
many messages wait in each queue. Works for Redis and the filesystem
transport alike, through kombu's passive queue declaration."""

from __future__ import annotations

from .celery import app

QUEUES = ("checks", "downloads", "celery")


def broker_reachable(timeout: float = 2.0) -> tuple[bool, str]:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            return True, ""
    except Exception as exc:  # any transport error means "not reachable"
        return False, f"{type(exc).__name__}: {exc}"


def queue_lengths(queues: tuple[str, ...] = QUEUES) -> dict[str, int | None]:
    lengths: dict[str, int | None] = {}
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            channel = conn.default_channel
            for name in queues:
                try:
                    lengths[name] = channel.queue_declare(queue=name, passive=True).message_count
                except Exception:  # queue never declared yet: nothing waits in it
                    lengths[name] = 0
    except Exception:
        return dict.fromkeys(queues)
    return lengths
