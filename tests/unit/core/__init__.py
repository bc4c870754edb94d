"""Unit tests (no I/O) of `core`."""
