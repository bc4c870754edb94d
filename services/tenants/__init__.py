"""The landlord's dwellings and tenants: the scope rule (a user sees the tenants of their
organisation and habilitation groups, nothing by a bare id), the habilitation groups with the
dwellings they open, « Mes locataires » (list, search, card) and small tenant look-ups."""
