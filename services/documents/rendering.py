"""One PDF rendered at a time per process: reportlab keeps module-level caches (colours, fonts)
that are not safe to share between threads, and a webhook worker runs turns in several threads
(a colour lookup failed with "Invalid color value" when two receipts were rendered at once)."""

from __future__ import annotations

import threading

RENDER_LOCK = threading.Lock()
