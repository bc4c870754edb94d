"""Weekly reminders of the July rent campaign: who asked for them, and which week each user was
reminded, so that nobody is reminded twice in a week whichever worker sends."""
