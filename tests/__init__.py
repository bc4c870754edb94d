"""The test suite: `unit` (no I/O), `integration` (real SQLite and PostgreSQL), `e2e` (a
channel end to end), each by capability; the shared fixtures are in `conftest`."""
