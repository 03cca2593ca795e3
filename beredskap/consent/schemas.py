"""Request models of a legal basis for sharing personal data (a hjemmel or a consent) and of its withdrawal.

Used by the EPS export bases (`eps/api_sharing.py`) and the treffpunkt meetings of the cooperation; which fields
a kind needs, and that a consent does not end in the past, the service checks (`consent.services.basis_fields`).
"""

from beredskap.consent.models import BASIS_KINDS, RECIPIENTS
from beredskap.validation import Body, Choice, Day, Int, Text


class BasisIn(Body):
    kind: Choice(*BASIS_KINDS)
    purpose: Text(500, required=True)
    recipient: Choice(*RECIPIENTS) = "politi"
    legal_basis: Text(300) = ""
    consent_by: Text(200) = ""
    valid_until: Day = None


class WithdrawIn(Body):
    reason: Text(300) = ""
    version: Int | None = None
