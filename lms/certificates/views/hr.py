"""HR: the SIASN downloads for an OPD and year, and revoking a certificate."""
