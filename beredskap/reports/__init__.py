"""PDF reports: reportlab builders, pure functions from plain data to PDF bytes."""
