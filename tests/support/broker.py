"""Read what was really published to the broker (Redis in CI, the
filesystem transport locally), instead of mocking Celery."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager

from kombu import pools

from watchlist_project.celery import app

_outages = itertools.count(1)


def drain(queue: str) -> list[tuple[str, list]]:
    """Remove every waiting message of ``queue``; return (task name, args)."""
    messages = []
    with app.connection_for_read() as conn:
        channel = conn.default_channel
        try:
            channel.queue_declare(queue=queue, passive=True)
        except Exception:
            return []
        while (message := channel.basic_get(queue, no_ack=True)) is not None:
            body = message.body if isinstance(message.body, (list, tuple)) else json.loads(message.body)
            messages.append((message.headers["task"], list(body[0])))
    return messages


@contextmanager
def unreachable_broker() -> Iterator[None]:
    """Point the Celery app at a closed port for the duration: publishing
    then fails the way it does while Redis is down."""
    # With Django's CELERY_ namespace the prefixed keys are the ones read.
    saved = (app.conf.CELERY_BROKER_URL, app._pool, app.amqp._producer_pool)
    # A URL of its own each time: kombu keeps producer pools per broker URL
    # for the whole process, and the one closed below must not be reused by
    # the next outage ("Acquire on closed pool").
    app.conf.CELERY_BROKER_URL = f"redis://outage{next(_outages)}@127.0.0.1:9/0"
    app._pool = app.amqp._producer_pool = None  # pools are built from the URL once
    try:
        yield
    finally:
        # kombu also keeps producer pools in a global registry by connection:
        # the closed-down one for the bad URL would be handed out again by
        # the next use of this helper ("Acquire on closed pool"). Start over
        # with fresh pools for the real broker.
        pools.reset()
        app.conf.CELERY_BROKER_URL = saved[0]
        app._pool = app.amqp._producer_pool = None
