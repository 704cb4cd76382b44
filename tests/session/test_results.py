"""Outcomes come back to the machine under a closed set of kinds: each effect that asks for
something names the kind of its answer, and a string that names no kind fails where the
event is made instead of being ignored by every state."""

from __future__ import annotations

import typing

import pytest

from kiosk.session import NetworkResult
from kiosk.session import effects as fx
from kiosk.session.results import DeskOp, ResultKind


def test_a_misspelt_result_kind_is_refused_when_the_event_is_made() -> None:
    with pytest.raises(ValueError, match="prefil"):
        NetworkResult("prefil", True)


def test_a_result_named_by_its_string_becomes_its_kind() -> None:
    assert NetworkResult("prefill", True).op is ResultKind.PREFILL
    assert NetworkResult("queue_sync", True).op is DeskOp.QUEUE_SYNC


def test_every_effect_that_asks_for_an_answer_names_its_kind() -> None:
    kinds = {cls.result for cls in typing.get_args(fx.Asks) if cls is not fx.Desk}
    # one effect per kind; OUT_OF_SERVICE is read once at start, not asked by an effect
    assert len(kinds) == len(typing.get_args(fx.Asks)) - 1
    assert kinds == set(ResultKind) - {ResultKind.OUT_OF_SERVICE}
    assert fx.Desk(DeskOp.REPRINT, ("x",)).result is DeskOp.REPRINT


def test_a_tap_with_the_wrong_payload_is_refused_where_the_ui_makes_it() -> None:
    from kiosk.session import Action, Tap

    with pytest.raises(TypeError, match="set_field carries pair"):
        Tap(Action.SET_FIELD, "just text")
    with pytest.raises(TypeError, match="next carries nothing"):
        Tap(Action.NEXT, "x")
    with pytest.raises(TypeError):
        Tap(Action.DELETE_PAGE, ("MAT-1", True))  # a flag is not a page index


def test_a_tap_payload_is_normalised_to_its_declared_type() -> None:
    from kiosk.session import Action, Tap

    assert Tap(Action.SET_FIELD, ["name", "张三"]).pair == ("name", "张三")
    assert Tap(Action.DELETE_PAGE, ("MAT-1", 2)).page == ("MAT-1", 2)
    stroke = Tap(Action.ADD_STROKE, [(0, 1), (0.5, 0.25)]).stroke
    assert stroke == ((0.0, 1.0), (0.5, 0.25))
    assert Tap(Action.SEARCH, "公积金").text == "公积金"
    assert Tap(Action.NEXT).value is None
