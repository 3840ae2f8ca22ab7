"""Reports for the programme team (reminders now; indicators, contracts, hours later)."""
