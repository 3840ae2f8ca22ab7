"""Reports for the programme team (reminders, coach activity, the hours log and the tripartite contract)."""
