"""Dialogs of the declarations: the July rent form, a change (end of management, departure,
flat-share) and an unpaid rent reported month by month, each with its recap and receipt."""
