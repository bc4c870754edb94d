"""The business layer, one package per capability; nothing here speaks to users or knows a channel.

- `core`: database and unit of work, migrations, settings, clock, money, dates, errors, audit,
  conversation storage, the models' `Base`;
- `accounts`: login, passwords and credentials, first connection, recovery, users and
  habilitation groups, the outbox of letters and emails, rate limits;
- `tenants`: dwellings and tenants, the scope rule (who may see which tenant), « Mes locataires »;
- `declarations`: the July rent, changes (end of management, departure, flat-share), unpaid
  reports and their dated rules;
- `payments`: the CAF's payments to the landlord and their yearly statement;
- `documents`: every PDF and CSV the landlord receives;
- `demo`: the demo organisations.

Capabilities import `core` and the ones below them (accounts → tenants → declarations and
payments); `tables` gathers every capability's tables for the migrations.
"""
