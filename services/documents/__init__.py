"""Every document the landlord receives, rendered in one place: declaration receipts (PDF) and
the yearly payment statement (PDF and CSV). It knows layouts, not business rules."""
