"""Dialogs of the tenants: « Mes locataires » (list, search, card) and the tenant picker every
form uses to know which of the user's tenants it is about."""
