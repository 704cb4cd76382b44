"""好差评: the levels and the reasons for a bad rating, declared once (the API contract's
``Satisfaction`` and ``EvaluationRequest.reasons`` enums; tests/test_ratings.py holds them
together). The session accepts only these; ui.texts names them on screen."""

from __future__ import annotations

# Best first: the order of the buttons.
GOOD_RATINGS = ("VERY_SATISFIED", "SATISFIED", "BASICALLY_SATISFIED")
BAD_RATINGS = ("DISSATISFIED", "VERY_DISSATISFIED")  # a reason is required (the contract)
RATINGS = GOOD_RATINGS + BAD_RATINGS
BAD_REASONS = ("MORE_THAN_ONE_VISIT", "LONG_WAIT", "POOR_ATTITUDE", "UNCLEAR_GUIDANCE",
               "TOO_MANY_MATERIALS", "SYSTEM_PROBLEM", "OTHER")
