"""Unit tests (no I/O), one folder per capability."""
