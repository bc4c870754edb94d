"""Who may log in and act: organisations, users and habilitation groups; login, passwords and
credentials, the first connection, getting credentials back (rate limited), managing
colleagues' access, and the outbox where letters and emails wait for a gateway."""
