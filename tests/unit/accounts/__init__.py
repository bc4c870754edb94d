"""Unit tests (no I/O) of `accounts`."""
