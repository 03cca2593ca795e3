"""Users, roles, permissions, API tokens and the audit log."""
