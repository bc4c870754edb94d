"""The housing aid the CAF pays the landlord: month by month, when each aid is paid, and the
year's statement as a file."""
