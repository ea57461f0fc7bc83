"""Scheduled work (reminders, weekly summaries) behind one facade; see the meetings issue."""
