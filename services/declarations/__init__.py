"""What the landlord declares to the CAF: the July rent of each campaign, a change (end of
management, a tenant's departure, a flat-share), an unpaid rent under the dated rule in force;
each stored once with its receipt reference and PDF receipt."""
