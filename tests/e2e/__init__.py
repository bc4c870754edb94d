"""End-to-end tests through a channel (the terminal, Telegram against a fake Bot API), one folder per capability."""
