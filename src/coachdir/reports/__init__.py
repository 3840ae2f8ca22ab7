"""Reports for the programme team: reminders, coach activity, the hours log, the contract."""
