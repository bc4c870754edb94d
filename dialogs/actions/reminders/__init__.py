"""Reminders: /rappels (on, off, the current choice) and the weekly reminder as a message."""
