"""Forms from JSON Schema: the checklist of an array of choices (一件事 sub-matters)."""

from __future__ import annotations

from kiosk.session.forms import convert, field_specs, toggled, validate

BUNDLE_FORM = {
    "type": "object", "required": ["subMatters"],
    "properties": {"subMatters": {
        "type": "array", "title": "同时办理", "minItems": 1, "uniqueItems": True,
        "items": {"type": "string", "enum": ["A", "B", "C"],
                  "x-enumNames": ["出生医学证明", "户口登记", "医保参保"]}}},
}


def test_an_array_of_choices_is_a_checklist_with_the_names_of_its_items() -> None:
    (spec,) = field_specs(BUNDLE_FORM)
    assert spec.widget == "checklist"
    assert spec.choices == (("A", "出生医学证明"), ("B", "户口登记"), ("C", "医保参保"))


def test_checklist_taps_toggle_in_schema_order_and_none_chosen_is_required() -> None:
    (spec,) = field_specs(BUNDLE_FORM)
    value = toggled(spec, None, "C")
    value = toggled(spec, value, "A")
    assert value == ["A", "C"]
    assert validate(BUNDLE_FORM, {"subMatters": value}) == {}
    assert convert(BUNDLE_FORM, {"subMatters": value}) == {"subMatters": ["A", "C"]}
    empty = toggled(spec, toggled(spec, value, "A"), "C")
    assert empty == []
    assert validate(BUNDLE_FORM, {"subMatters": empty}) == {"subMatters": "required"}


def test_a_date_typed_on_the_digit_pad_gets_its_dashes() -> None:
    schema = {"type": "object", "properties": {"born": {"type": "string", "format": "date",
                                                        "title": "出生日期"}}}
    (spec,) = field_specs(schema)
    assert spec.input_kind == "digits"
    assert convert(schema, {"born": "20240301"}) == {"born": "2024-03-01"}
    assert validate(schema, {"born": "20240301"}) == {}
    assert validate(schema, {"born": "20241301"}) == {"born": "format"}


def test_a_field_whose_pattern_is_only_digits_gets_the_digit_pad() -> None:
    schema = {"type": "object", "properties": {
        "bankAccount": {"type": "string", "title": "收款银行账号", "pattern": "^[0-9]{12,19}$"},
        "postcode": {"type": "string", "title": "邮编", "pattern": "^\\d{6}$"},
        "creditCode": {"type": "string", "title": "统一社会信用代码", "pattern": "^[0-9A-Z]{18}$"},
        "note": {"type": "string", "title": "备注"}}}
    kinds = {spec.key: spec.input_kind for spec in field_specs(schema)}
    assert kinds == {"bankAccount": "digits", "postcode": "digits", "creditCode": "text",
                     "note": "text"}
