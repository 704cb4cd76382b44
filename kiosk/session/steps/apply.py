"""The application itself: the matter, its guide, consent to data sharing, the form, the
delivery and the review."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from kiosk.session import bundle
from kiosk.session import effects as fx
from kiosk.session.application import (
    form_phone,
)
from kiosk.session.effects import ResultKind
from kiosk.session.events import (
    Action,
    Event,
    NetworkResult,
    Tap,
)
from kiosk.session.forms import PHONE_RE, field_specs, toggled, validate
from kiosk.session.model import PrefillValue
from kiosk.session.steps.finish import submit

if TYPE_CHECKING:
    from kiosk.session.machine import SessionMachine


def on_choose_matter(m: SessionMachine, e: Event) -> list[fx.Effect]:
    if isinstance(e, Tap):
        if e.action is Action.SEARCH:
            m.data.search = str(e.value or "")
        elif e.action is Action.SELECT_MATTER and m.catalog.get(str(e.value)):
            chosen = m.catalog.get(str(e.value))
            assert chosen is not None
            if m.matter_problem(chosen):  # greyed: its device is out
                return []
            m.data.matter_code = str(e.value)
            return m.forward()
        elif e.action is Action.BACK:
            return m.back()
    return []


def on_guide(m: SessionMachine, e: Event) -> list[fx.Effect]:
    if isinstance(e, Tap):
        if e.action is Action.NEXT:
            return m.forward()
        if e.action is Action.BACK:
            m.data.matter_code = ""
            return m.back()
    return []


def on_consent(m: SessionMachine, e: Event) -> list[fx.Effect]:
    if not isinstance(e, Tap):
        return []
    d = m.data
    if e.action in (Action.AGREE, Action.DECLINE):
        identity_defaults(m)
    if e.action is Action.AGREE and d.citizen is not None:
        d.consented, d.consent_id = True, secrets.token_hex(16)  # replaced by the platform's
        d.prefill_loading = True
        return m.forward(fx.FetchPrefill(d.matter_code, d.citizen, d.consent_id),
                            m.audit("citizen.prefill_consented", implCode=d.matter_code))
    if e.action is Action.DECLINE:
        # Data sharing refused: the citizen fills everything and hands in every material.
        d.consented, d.consent_id, d.prefill, d.exempted = False, "", {}, set()
        return m.forward(m.audit("citizen.prefill_declined", implCode=d.matter_code))
    if e.action is Action.BACK:
        return m.back()
    return []


def on_form(m: SessionMachine, e: Event) -> list[fx.Effect]:
    d, matter = m.data, m.matter
    assert matter is not None
    if isinstance(e, NetworkResult) and e.op is ResultKind.PREFILL:
        d.prefill_loading = False
        if not e.ok or not isinstance(e.value, dict):
            d.message = "prefill_failed"
            return []
        known = {s.key for s in field_specs(matter.form_schema)}
        for key, item in (e.value.get("fields") or {}).items():
            if key not in known or not isinstance(item, dict):
                continue
            d.prefill[key] = PrefillValue(item.get("value"), str(item.get("source", "")),
                                          bool(item.get("editable", True)))
            if key not in d.form and item.get("value") is not None:
                d.form[key] = item["value"]
        if e.value.get("consentId"):
            d.consent_id = str(e.value["consentId"])  # the platform's consent record
        material_codes = {m.code for m in matter.materials}
        d.exempted = {c for c in e.value.get("exemptedMaterialCodes") or ()
                      if c in material_codes}
        return [m.audit("citizen.prefill_fetched", implCode=matter.code,
                           fields=len(d.prefill), exempted=len(d.exempted))]
    if not isinstance(e, Tap):
        return []
    if e.action is Action.SET_FIELD:
        key, text = e.pair
        pre = d.prefill.get(key)
        if pre is not None and not pre.editable:
            return []  # data from the registry: not changeable at the kiosk
        d.form[key] = text
        d.form_errors.pop(key, None)
    elif e.action is Action.TOGGLE_CHOICE:
        key, value = e.pair
        spec = next((s for s in field_specs(matter.form_schema)
                     if s.key == key and s.widget == "checklist"), None)
        if spec is not None and value in dict(spec.choices):
            d.form[key] = toggled(spec, d.form.get(key), str(value))
            d.form_errors.pop(key, None)
    elif e.action is Action.NEXT:
        d.form_errors = validate(m.form_schema(), bundle.shown_form(matter, d.form))
        if d.form_errors:
            d.message = "form_errors"
            return []
        return m.forward()
    elif e.action is Action.BACK:
        return m.back()
    return []


def identity_defaults(m: SessionMachine) -> None:
    """Fields that ask for the applicant's own identity (``x-prefill: person.name`` …)
    start with what the card (or the staff-typed entry) said: that is the citizen's own
    data, not shared data, so it is filled whether or not sharing was agreed."""
    d, matter = m.data, m.matter
    if matter is None or d.citizen is None:
        return
    known = {"person.name": d.citizen.name, "person.certNo": d.citizen.cert_no,
             "person.householdAddress": d.citizen.address}
    props = matter.form_schema.get("properties") or {}
    for key, prop in props.items():
        source = prop.get("x-prefill") if isinstance(prop, dict) else None
        value = known.get(str(source)) if source else None
        if value and not d.form.get(key):
            d.form[key] = value


def residence_address(m: SessionMachine) -> str:
    """The address the citizen's form already holds (prefilled by data sharing with
    consent, or typed): the express address starts from it."""
    matter = m.matter
    if matter is None or not m.data.consented:
        return ""
    props = matter.form_schema.get("properties") or {}
    for key, prop in props.items():
        source = str(prop.get("x-prefill", "")) if isinstance(prop, dict) else ""
        if source in ("person.residenceAddress", "person.householdAddress") and \
                m.data.form.get(key):
            return str(m.data.form[key])
    return ""


def start_delivery(m: SessionMachine) -> list[fx.Effect]:
    """One way to get the result: it is chosen already (the citizen only checks it)."""
    matter = m.matter
    if matter is not None and len(matter.delivery_modes) == 1 and \
            not m.data.delivery_mode:
        return on_delivery(m, Tap(Action.SET_DELIVERY, matter.delivery_modes[0]))
    return []


def on_delivery(m: SessionMachine, e: Event) -> list[fx.Effect]:
    d, matter = m.data, m.matter
    assert matter is not None and d.citizen is not None
    if not isinstance(e, Tap):
        return []
    if e.action is Action.SET_DELIVERY and e.value in matter.delivery_modes:
        d.delivery_mode = str(e.value)
        if d.delivery_mode == "EXPRESS":
            d.address.setdefault("name", d.citizen.name)
            phone = form_phone(d.form)
            if phone:
                d.address.setdefault("phone", phone)
            home = residence_address(m)
            if home:
                d.address.setdefault("addressDetail", home)
    elif e.action is Action.SET_ADDRESS:
        key, text = e.pair
        d.address[key] = text
        d.address_errors.pop(key, None)
    elif e.action is Action.NEXT:
        if not d.delivery_mode:
            d.message = "choose_delivery"
            return []
        if d.delivery_mode == "EXPRESS":
            d.address_errors = _address_errors(d.address)
            if d.address_errors:
                d.message = "form_errors"
                return []
        return m.forward()
    elif e.action is Action.BACK:
        return m.back()
    return []


def on_review(m: SessionMachine, e: Event) -> list[fx.Effect]:
    d, matter = m.data, m.matter
    assert matter is not None
    if not isinstance(e, Tap):
        return []
    if e.action in (Action.CONFIRM, Action.RETRY):
        d.submit_error = ""
        if m.pays_at_kiosk() and not (m.payment_paid() or d.pay_later):
            return m.forward()  # the fee first (统一公共支付), then the application
        return submit(m)
    if e.action is Action.BACK:
        return m.back()
    return []


def _address_errors(address: dict[str, str]) -> dict[str, str]:
    errors = {}
    for key in ("name", "phone", "addressDetail"):
        if not str(address.get(key, "")).strip():
            errors[key] = "required"
    if "phone" not in errors and not PHONE_RE.match(address["phone"].strip()):
        errors["phone"] = "phone"
    return errors
