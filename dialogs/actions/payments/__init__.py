"""Dialog of the payments: the CAF's payments filtered by tenant, month or year, when each aid is
paid, and the year's statement as a PDF or CSV document."""
