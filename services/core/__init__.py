"""The ground every capability stands on: the database and its unit of work, the schema
migrations, settings, clock, money, dates, the domain errors, the audit log, conversation
storage and the models' `Base`. It imports no capability."""
