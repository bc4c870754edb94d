"""The channels and the command line: the terminal chat, Telegram, the rasa-sdk action server,
and `bootstrap`, the one composition root that builds the application."""
