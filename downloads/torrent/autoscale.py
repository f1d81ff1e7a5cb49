"""Celery's autoscaler, minus ending the pool processes that seed.

The embedded worker (`manage.py runservice`) grows its pool for downloads
and shrinks it back to one process when idle, to spare memory. Shrinking
ends an idle process with SIGTERM, and with it the torrents its engine
seeds (and their files stay behind in the incomplete folder). Billiard picks
which idle process goes, so while any process seeds the pool is not
shrunk: it stays at its size until the seeding policy ends the seeding
(TORRENT_SEED_RATIO, TORRENT_SEED_MINUTES), then shrinks as before.

Named by CELERY_WORKER_AUTOSCALER; used only by workers started with
--autoscale.
"""

from __future__ import annotations

import logging

from celery.worker.autoscale import Autoscaler

from .seeding import processes_seeding

log = logging.getLogger(__name__)


class SeedingAwareAutoscaler(Autoscaler):
    _held = False  # the "not scaling down" line is logged once per hold

    def scale_down(self, n: int) -> None:
        # Only the automatic scale-down waits; a shrink asked for by remote
        # control (update(), pool_shrink) is done as asked.
        seeding = processes_seeding()
        if seeding:
            if not self._held:
                log.info("Autoscaler: not scaling down while pool processes %s seed torrents.", seeding)
            self._held = True
            return
        self._held = False
        super().scale_down(n)
