"""The demo organisations, users, dwellings, tenants, payments and ledger months loaded by
`bailleur-bot seed --demo` and the tests; loading them twice changes nothing."""
