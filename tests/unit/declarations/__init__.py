"""Unit tests (no I/O) of `declarations`."""
