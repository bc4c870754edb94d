"""What every dialog stands on: the action base classes, the greeting, help, menu and fallback,
the FAQ answers, and how an answer is read (keywords, buttons, recap choices, dates)."""
