"""好差评 levels and bad-rating reasons are declared once (kiosk.ratings), match the API
contract, and the session accepts nothing else."""

from __future__ import annotations

from kiosk.api.contract import spec
from kiosk.ratings import BAD_RATINGS, BAD_REASONS, RATINGS
from kiosk.session import Action, NetworkResult, SessionMachine, State, Tap
from kiosk.session import effects as fx
from kiosk.session.model import SubmitOutcome
from tests.session.conftest import Clock
from tests.session.test_machine import m, to_review  # noqa: F401  (the fixture)


def test_the_ratings_are_the_contracts() -> None:
    schemas = spec()["components"]["schemas"]
    assert list(RATINGS) == schemas["Satisfaction"]["enum"]
    evaluation = schemas["EvaluationRequest"]
    assert list(BAD_REASONS) == evaluation["properties"]["reasons"]["items"]["enum"]
    assert list(BAD_RATINGS) == evaluation["if"]["properties"]["satisfaction"]["enum"]


def test_the_reference_platform_asks_a_reason_for_the_same_levels_as_the_kiosk() -> None:
    # kiosk.sandbox stands alone (the contract, executable): it keeps its own copy.
    from kiosk.sandbox.routes_applications import BAD_LEVELS

    assert BAD_LEVELS == BAD_RATINGS


def test_a_reason_or_rating_not_declared_is_ignored(m: SessionMachine,  # noqa: F811
                                                    clock: Clock) -> None:
    to_review(m)
    m.handle(Tap(Action.CONFIRM))
    m.handle(NetworkResult("submit", True, SubmitOutcome("cid-1", True)))
    m.handle(NetworkResult("print", True))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.RATING
    m.handle(Tap(Action.RATE, "SO_SO"))
    assert m.data.rating == ""
    m.handle(Tap(Action.RATE, "DISSATISFIED"))
    m.handle(Tap(Action.TOGGLE_REASON, "BAD_COFFEE"))
    assert m.data.reasons == set()
    m.handle(Tap(Action.CONFIRM))
    assert m.data.rating_error == "reasons_required"
    m.handle(Tap(Action.TOGGLE_REASON, "OTHER"))
    effects = m.handle(Tap(Action.CONFIRM))
    sent = next(e for e in effects if isinstance(e, fx.SendRating)).evaluation
    assert sent["reasons"] == ["OTHER"]
