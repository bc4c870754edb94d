"""Stand-ins for external services (never for our own code), used by integration and e2e tests."""
