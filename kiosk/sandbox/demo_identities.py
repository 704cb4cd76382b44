"""Demo identities of the sandbox: FICTITIOUS people for demo mode and tests.

Every name ends in 测试 and every ID number starts with the region code 330199, which is not
a real county of Hangzhou (3301xx); the check digits are valid (GB 11643) so that readers and
validators accept them. Prefill answers for these people are consistent with what is here
(same address on every matter, the couple of the newborn bundle are married to each other).
The ID-card simulator may read its cards from this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """GB 11643-1999 check character of the first 17 digits."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def valid_resident_id(cert_no: str) -> bool:
    """18 characters, 17 digits and a correct GB 11643 check character."""
    v = cert_no.strip().upper()
    return len(v) == 18 and v[:17].isdigit() and check_digit(v[:17]) == v[17]


def _id(first17: str) -> str:
    return first17 + check_digit(first17)


@dataclass(frozen=True)
class DemoIdentity:
    cert_no: str
    name: str
    gender: str  # MALE | FEMALE
    nation: str
    birth_date: str  # YYYY-MM-DD
    household_address: str  # 户籍地址 as printed on the card
    residence_address: str  # 居住地址 (shared data)
    phone: str
    issuer: str
    valid_from: str
    valid_to: str
    marital_status: str
    spouse_cert_no: str | None = None
    licences: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    facts: dict[str, Any] = field(default_factory=dict)  # other shared data (公积金, 社保 …)

    @property
    def cert_type(self) -> str:
        return "RESIDENT_ID_CARD"


_ADDR = "浙江省杭州市西湖区演示路1号测试小区{}幢{}室"

ZHANG_SAN = DemoIdentity(
    cert_no=_id("33019919850312001"), name="张三测试", gender="MALE", nation="汉",
    birth_date="1985-03-12", household_address=_ADDR.format(1, 101),
    residence_address=_ADDR.format(1, 101), phone="13900000001",
    issuer="杭州市公安局演示分局", valid_from="2020-01-01", valid_to="2040-01-01",
    marital_status="MARRIED", spouse_cert_no=_id("33019919900708002"),
    licences=(
        {"licenceTypeCode": "LIC-RESIDENT-ID", "name": "居民身份证（电子证照）"},
        {"licenceTypeCode": "LIC-REAL-ESTATE", "name": "不动产权证书",
         "licenceNo": "浙(2020)演示不动产权第0000001号"},
        {"licenceTypeCode": "LIC-MARRIAGE", "name": "结婚证", "licenceNo": "J330199-2015-000001"},
        {"licenceTypeCode": "LIC-HOUSEHOLD", "name": "居民户口簿"},
    ),
    facts={"housingFundAccount": "GJJ-DEMO-000001", "housingFundBalance": "86000.00",
           "employer": "演示科技有限公司（测试）", "socialSecurityNo": "SB-DEMO-000001"},
)

LI_SI = DemoIdentity(
    cert_no=_id("33019919900708002"), name="李四测试", gender="FEMALE", nation="汉",
    birth_date="1990-07-08", household_address=_ADDR.format(1, 101),
    residence_address=_ADDR.format(1, 101), phone="13900000002",
    issuer="杭州市公安局演示分局", valid_from="2021-05-01", valid_to="2041-05-01",
    marital_status="MARRIED", spouse_cert_no=_id("33019919850312001"),
    licences=(
        {"licenceTypeCode": "LIC-RESIDENT-ID", "name": "居民身份证（电子证照）"},
        {"licenceTypeCode": "LIC-MARRIAGE", "name": "结婚证", "licenceNo": "J330199-2015-000001"},
        {"licenceTypeCode": "LIC-BIRTH-CERT", "name": "出生医学证明",
         "licenceNo": "T330199-2026-000001"},
        {"licenceTypeCode": "LIC-HOUSEHOLD", "name": "居民户口簿"},
    ),
    facts={"newbornName": "张小测试", "newbornBirthDate": "2026-10-01",
           "newbornGender": "FEMALE", "birthHospital": "演示妇产科医院（测试）",
           "socialSecurityNo": "SB-DEMO-000002"},
)

WANG_WU = DemoIdentity(
    cert_no=_id("33019919520101003"), name="王五测试", gender="MALE", nation="汉",
    birth_date="1952-01-01", household_address="浙江省杭州市西湖区演示路8号测试新村3幢202室",
    residence_address="浙江省杭州市西湖区演示路8号测试新村3幢202室", phone="13900000003",
    issuer="杭州市公安局演示分局", valid_from="2015-06-01", valid_to="长期",
    marital_status="WIDOWED",
    licences=(
        {"licenceTypeCode": "LIC-RESIDENT-ID", "name": "居民身份证（电子证照）"},
        {"licenceTypeCode": "LIC-HOUSEHOLD", "name": "居民户口簿"},
        {"licenceTypeCode": "LIC-DRIVING", "name": "机动车驾驶证", "licenceNo": "330199195201010030"},
    ),
    facts={"disabilityCategory": None, "monthlyIncome": "1800.00", "householdSize": 1},
)

ZHAO_LIU = DemoIdentity(
    cert_no=_id("33019919880606004"), name="赵六测试", gender="FEMALE", nation="汉",
    birth_date="1988-06-06", household_address="安徽省演示市演示县测试镇1号",
    residence_address="浙江省杭州市西湖区演示街道测试社区5幢501室", phone="13900000004",
    issuer="演示县公安局", valid_from="2018-03-01", valid_to="2038-03-01",
    marital_status="UNMARRIED",
    licences=(
        {"licenceTypeCode": "LIC-RESIDENT-ID", "name": "居民身份证（电子证照）"},
        {"licenceTypeCode": "LIC-RENTAL-REG", "name": "房屋租赁登记备案证明",
         "licenceNo": "ZL-DEMO-2025-0004"},
    ),
    facts={"rentalAddress": "浙江省杭州市西湖区演示街道测试社区5幢501室",
           "residenceSince": "2025-01-15", "employer": "演示餐饮店（测试）",
           "plannedShopName": "赵六测试小吃店", "socialSecurityNo": "SB-DEMO-000004"},
)

IDENTITIES: dict[str, DemoIdentity] = {
    p.cert_no: p for p in (ZHANG_SAN, LI_SI, WANG_WU, ZHAO_LIU)
}


def find(cert_no: str) -> DemoIdentity | None:
    return IDENTITIES.get(cert_no.strip().upper())
