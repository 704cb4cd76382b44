"""Fictitious matters and citizens in the contract's shapes, for machine tests without I/O."""

from __future__ import annotations

from typing import Any

from kiosk.catalog import Catalog
from kiosk.session import Citizen

# Region code 99xxxx does not exist: obviously fictitious.
TEST_CITIZEN = Citizen(name="测试张三", cert_no="990101199001010011", address="测试省测试市测试路1号")

GJJ: dict[str, Any] = {
    "implCode": "TEST-GJJ-001", "name": "提取住房公积金", "serviceObjects": ["NATURAL_PERSON"],
    "theme": "住房", "version": "v1#1", "affairType": "PROMISED",
    "timeLimits": {"promised": {"value": 3, "unit": "WORKDAY"}},
    "deliveryModes": ["WINDOW_PICKUP", "EXPRESS", "ELECTRONIC"],
    "materials": [
        {"materialCode": "M-ID", "name": "身份证", "required": True,
         "exemption": {"byLicence": {"licenceTypeCode": "ID"}}},
        {"materialCode": "M-CONTRACT", "name": "购房合同", "required": True, "exemption": None},
        {"materialCode": "M-EXTRA", "name": "其他说明", "required": False, "exemption": None},
    ],
    "formSchema": {
        "type": "object", "required": ["name", "phone", "amount"],
        "properties": {
            "name": {"type": "string", "title": "姓名", "x-prefill": "person.name"},
            "phone": {"type": "string", "title": "手机号", "x-ui": {"widget": "phone"}},
            "amount": {"type": "number", "title": "提取金额", "minimum": 1},
            "reason": {"type": "string", "title": "提取原因", "enum": ["BUY", "RENT"],
                       "x-enumNames": ["购房", "租房"]},
        },
    },
}
COMPANY: dict[str, Any] = {
    "implCode": "TEST-GT-002", "name": "个体工商户设立登记", "category": "CORPORATE", "serviceObjects": ["LEGAL_PERSON", "NATURAL_PERSON"],
    "theme": "开办企业", "materials": [],
    "formSchema": {"type": "object", "properties": {"shopName": {"type": "string"}}},
    "deliveryModes": ["WINDOW_PICKUP"],
}


def catalog() -> Catalog:
    return Catalog([GJJ, COMPANY])
