"""DEMO IDENTITIES — fictitious people for demo mode, the simulator and tests.

Every name ends in 测试 / TEST and every number uses a made-up region (330199, not a real
district) and sequence 999; the check digits are computed so the cards pass the reader's
GB 11643 check. None of this is, or resembles, a real person.
"""

from __future__ import annotations

from devices.idcard.checkdigit import check_char
from devices.idcard.types import CardType, IdCard, Photo

# Real WLT blocks start with these bytes (research: all public captures begin "WLf"); the rest
# of a demo photo is zeros, so no vendor decoder would produce a face from it.
WLT_PREFIX = bytes.fromhex("574C66007E00320000FF85")


def demo_photo() -> Photo:
    return Photo(bytearray(WLT_PREFIX + bytes(1024 - len(WLT_PREFIX))))


def _number(first17: str) -> str:
    return first17 + check_char(first17)


def resident() -> IdCard:
    return IdCard(
        card_type=CardType.RESIDENT, name="张三测试", gender_code="1", nation_code="01",
        birth_date="1990-01-01", address="浙江省杭州市西湖区演示路1号测试小区1幢101室",
        id_number=_number("33019919900101999"), issuer="杭州市公安局西湖分局（演示）",
        valid_from="2020-01-01", valid_until="2040-01-01", photo=demo_photo())


def resident_long_term() -> IdCard:
    return IdCard(
        card_type=CardType.RESIDENT, name="李四测试", gender_code="2", nation_code="03",
        birth_date="1960-12-31", address="浙江省杭州市上城区样例街2号",
        id_number=_number("33019919601231998"), issuer="杭州市公安局上城分局（演示）",
        valid_from="2015-06-01", valid_until="long-term", photo=demo_photo())


def hk_mo_tw_permit() -> IdCard:
    return IdCard(
        card_type=CardType.HK_MO_TW_PERMIT, name="陈五测试", gender_code="1",
        birth_date="1988-08-08", address="浙江省杭州市滨江区测试大道8号",
        id_number=_number("81000019880808999"), issuer="杭州市公安局（演示）",
        valid_from="2021-03-01", valid_until="2026-03-01", pass_number="H99999999",
        issue_count=1, photo=demo_photo())


def foreign_2017() -> IdCard:
    return IdCard(
        card_type=CardType.FOREIGN_PERMANENT_2017, english_name="TEST, JOHN SAMPLE",
        name="约翰测试", gender_code="1", id_number="USA330099012999", nationality="USA",
        birth_date="1970-01-01", valid_from="2018-05-01", valid_until="2028-05-01",
        issuer="3300", photo=demo_photo())


def foreign_2023() -> IdCard:
    return IdCard(
        card_type=CardType.FOREIGN_PERMANENT_2023, name="玛丽测试",
        english_name="TESTER, MARY ELIZABETH ALEXANDRA SAMPLE", gender_code="2",
        issue_count=0, birth_date="1985-06-15",
        id_number=_number("93384019850615999"), nationality="CAN",
        valid_from="2024-01-01", valid_until="2034-01-01", photo=demo_photo())


def all_cards() -> list[IdCard]:
    """One of every kind (and a long-term resident card), in a stable order."""
    return [resident(), resident_long_term(), hk_mo_tw_permit(), foreign_2017(), foreign_2023()]
