"""Incidents and exercise runs: the board's log, tasks, decisions and situation reports."""
