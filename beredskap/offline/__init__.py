"""The installable web app: manifest and service worker, so the board, the EPS desk, the exercise observer and
the police live map open with no network (issue 18)."""
