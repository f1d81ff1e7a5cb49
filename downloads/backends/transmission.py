"""Downloads sent to the staff's Transmission (see downloads/clients/job.py)."""

from __future__ import annotations

from ..clients.job import ClientBackend


class TransmissionBackend(ClientBackend):
    name = "transmission"
