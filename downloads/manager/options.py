"""Reading the download settings; their defaults live in downloads/conf.py."""

from __future__ import annotations

from ..conf import setting

__all__ = ["setting"]
