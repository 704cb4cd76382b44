"""The seeded matters catalog (事项): 14 realistic matters of a Hangzhou district hall.

Names, departments and materials follow what halls publish; codes are sandbox codes
(``330106SBX…``), not real 实施编码. Every form schema carries a complete, valid example form
(JSON Schema ``examples``) whose values belong to the fictitious demo identities. Every
matter carries English text (catalog_en.py).

A county's catalog holds 1,000–2,000 matters: ``Catalog(seed_matters=N)`` (``kiosk sandbox
--seed-matters N``, ``[sandbox] seed_matters`` for the embedded one) serves N matters, the 14
followed by generated copies with their own codes, names, keywords and pinyin (``generated``),
for benchmarks at that scale (bench/bench_catalog.py).
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from kiosk.sandbox.depts import DEPTS  # shared with catalog_en

CATALOG_VERSION = "2026-11-01T08:00:00+08:00#17"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

IMAGE_PDF = ["image/jpeg", "image/png", "application/pdf", "application/ofd"]
MAX_BYTES = 20 * 1024 * 1024


def _dept(key: str, role: str = "LEAD") -> dict[str, str]:
    code, name = DEPTS[key]
    return {"deptCode": code, "name": name, "role": role}


def _mat(code: str, name: str, *, required: bool = True, licence: tuple[str, str] | None = None,
         sharing: tuple[str, str] | None = None, originals: int = 1, copies: int = 0,
         issuer: str = "", note: str = "") -> dict[str, Any]:
    exemption: dict[str, Any] | None = None
    if licence or sharing:
        exemption = {
            "byLicence": ({"licenceTypeCode": licence[0], "name": licence[1]} if licence else None),
            "byDataSharing": ({"datasetId": sharing[0], "name": sharing[1]} if sharing else None),
        }
    return {
        "materialCode": code, "name": name, "required": required,
        "originals": originals, "copies": copies, "issuer": issuer, "usageNote": note,
        "acceptedMediaTypes": IMAGE_PDF, "maxBytes": MAX_BYTES, "exemption": exemption,
    }


def _id_card(code: str) -> dict[str, Any]:
    return _mat(code, "申请人居民身份证", licence=("LIC-RESIDENT-ID", "居民身份证（电子证照）"),
                issuer="公安机关", note="读取身份证或调用电子证照后免交")


def _field(title: str, type_: str = "string", /, *, prefill: str | None = None,
           widget: str = "text", names: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    f: dict[str, Any] = {"type": type_, "title": title, "x-ui": {"widget": widget}}
    if prefill:
        f["x-prefill"] = prefill
    if names:
        f["x-enumNames"] = names  # labels of the enum values, in order
    f.update(extra)
    return f


PHONE: dict[str, Any] = {"pattern": "^1[3-9][0-9]{9}$", "minLength": 11, "maxLength": 11}
ID18: dict[str, Any] = {"pattern": "^[0-9]{17}[0-9X]$"}


def _schema(props: dict[str, Any], required: list[str], example: dict[str, Any], *,
            choice_key: str = "", when_chosen: dict[str, list[str]] | None = None
            ) -> dict[str, Any]:
    """``when_chosen`` (一件事): sub-matter code → fields required when the array field
    ``choice_key`` contains it (JSON Schema ``if``/``then``, checked by any validator)."""
    schema = {"$schema": SCHEMA_DIALECT, "type": "object", "properties": props,
              "required": required, "additionalProperties": False, "examples": [example]}
    rules = [{"if": {"properties": {choice_key: {"contains": {"const": code}}},
                     "required": [choice_key]},
              "then": {"required": fields}}
             for code, fields in (when_chosen or {}).items() if fields]
    if rules:
        schema["allOf"] = rules
    return schema


def _matter(n: int, name: str, *, basic: str, category: str, theme: str, keywords: list[str],
            matter_type: str, depts: list[dict[str, str]], affair: str, promised: int,
            legal: int, materials: list[dict[str, Any]], form: dict[str, Any],
            delivery: list[str], devices: list[str] | None = None,
            bundle: dict[str, Any] | None = None, conditions: str = "",
            fee: str | None = None, fee_items: list[tuple[str, int, str]] | None = None,
            pay_later: bool = False, legal_basis: str = "", originals: str = ""
            ) -> dict[str, Any]:
    """``fee_items``: (收费项目, amount in fen, unit), paid at the kiosk (统一公共支付);
    ``pay_later``: the citizen may pay at the window instead."""
    code = f"330106SBX{n:04d}"
    person = category == "PERSONAL"
    return {
        "implCode": code,
        "basicCode": basic,
        "handleItemCode": None,
        "version": f"{CATALOG_VERSION[:25]}#{n}",
        "name": name,
        "category": category,
        "categoryName": "个人办事" if person else "法人办事",
        "theme": theme,
        "keywords": keywords,
        "matterType": matter_type,
        "serviceObjects": ["NATURAL_PERSON"] if person else ["LEGAL_PERSON", "NATURAL_PERSON"],
        "departments": depts,
        "affairType": affair,
        "timeLimits": {"legal": {"value": legal, "unit": "WORKDAY"},
                       "promised": {"value": promised, "unit": "WORKDAY"}},
        "promisedDays": promised,
        "handleScope": "CITYWIDE",
        "charge": {"chargeable": fee is not None, "description": fee or "不收费",
                   **({"items": [{"name": n, "amountFen": a, "unit": u}
                                 for n, a, u in fee_items],
                       "payAtKiosk": True, "payLater": pay_later} if fee_items else {})},
        **({"legalBasis": legal_basis} if legal_basis else {}),
        **({"originalsCheck": originals} if originals else {}),
        "deliveryModes": delivery,
        "kioskDevices": devices or ["IDCARD_READER", "DOCUMENT_CAMERA", "PRINTER"],
        "acceptConditions": conditions,
        "materials": materials,
        "formSchema": form,
        "bundle": bundle,
    }


def _build() -> list[dict[str, Any]]:
    m: list[dict[str, Any]] = []

    # 1 二手房转移登记: 不动产 (lead), 税务, 住建 — one window, three departments.
    m.append(_matter(
        1, "存量房（二手房）买卖转移登记", basic="000173003000", category="PERSONAL", theme="住房",
        keywords=["二手房", "过户", "不动产", "转移登记", "房产证", "契税"],
        matter_type="ADMIN_CONFIRMATION",
        depts=[_dept("NRP"), _dept("TAX", "PARTICIPANT"), _dept("HOUSING", "PARTICIPANT")],
        affair="PROMISED", promised=1, legal=30,
        conditions="买卖双方到场或委托代理人，房屋已完成网签备案，无查封、抵押未注销等限制。",
        fee="登记费80元/件（住宅），契税按税务部门核定",
        fee_items=[("登记费", 8000, "件")], pay_later=True,
        legal_basis="《不动产登记暂行条例》第十四条；《不动产登记暂行条例实施细则》第三十八条",
        originals="领取不动产权证书时在区政务服务中心不动产登记窗口核验原件",
        materials=[
            _id_card("M0001-01"),
            _mat("M0001-02", "不动产权证书", licence=("LIC-REAL-ESTATE", "不动产权证书"),
                 issuer="不动产登记机构", note="调用电子证照后免交"),
            _mat("M0001-03", "存量房买卖合同（网签备案）",
                 sharing=("DS-HOUSING-CONTRACT", "房屋交易网签备案数据"),
                 issuer="住建部门", note="网签备案数据共享后免交"),
            _mat("M0001-04", "完税凭证", sharing=("DS-TAX-DEED", "契税及个人所得税完税信息"),
                 issuer="税务部门", note="税务数据共享后免交"),
            _mat("M0001-05", "婚姻状况证明", sharing=("DS-MARRIAGE", "婚姻登记信息"),
                 issuer="民政部门", note="婚姻登记信息共享后免交"),
            _mat("M0001-06", "买受人书面申请及询问记录", issuer="申请人",
                 note="在自助终端签字拍照上传"),
        ],
        form=_schema({
            "applicantName": _field("买受人姓名", prefill="person.name", maxLength=30),
            "applicantPhone": _field("联系电话", prefill="person.phone", widget="phone", **PHONE),
            "sellerName": _field("出卖人姓名", maxLength=30),
            "sellerCertNo": _field("出卖人身份证号", **ID18),
            "propertyCertNo": _field("不动产权证书号", prefill="licence.LIC-REAL-ESTATE",
                                     maxLength=60),
            "propertyAddress": _field("房屋坐落", maxLength=120),
            "price": _field("成交价格（元）", "number", widget="number", minimum=1),
            "shareMode": _field("共有方式", enum=["SOLE", "JOINT", "SHARED"], widget="select",
                                names=["单独所有", "共同共有", "按份共有"]),
        }, ["applicantName", "applicantPhone", "sellerName", "sellerCertNo", "propertyAddress",
            "price", "shareMode"], {
            "applicantName": "张三测试", "applicantPhone": "13900000001",
            "sellerName": "王五测试", "sellerCertNo": "330199195201010034",
            "propertyCertNo": "浙(2020)演示不动产权第0000001号",
            "propertyAddress": "浙江省杭州市西湖区演示路8号测试新村3幢202室",
            "price": 3200000, "shareMode": "SOLE"}),
        delivery=["WINDOW", "EXPRESS", "ELECTRONIC"],
    ))

    # 2 新生儿出生"一件事": a bundle of five sub-matters of four departments.
    # Each sub-matter names the bundle's materials it needs and the form fields it asks
    # (shown, and required, only when the citizen chooses it).
    subs = [
        ("330106SBX0201", "出生医学证明办理", "HEALTH", ["M0002-01", "M0002-02"], ["hospital"],
         []),
        ("330106SBX0202", "新生儿户口登记（出生登记）", "POLICE",
         ["M0002-01", "M0002-02", "M0002-03", "M0002-04", "M0002-05"], ["householdAddress"],
         ["householdAddress"]),
        ("330106SBX0006", "城乡居民基本医疗保险参保登记", "MEDINS", ["M0002-04", "M0002-05"],
         [], []),
        ("330106SBX0007", "社会保障卡申领", "HRSS", ["M0002-04", "M0002-06"], ["cardBank"],
         ["cardBank"]),
        ("330106SBX0205", "预防接种证办理", "HEALTH", ["M0002-04", "M0002-07"],
         ["vaccinationClinic"], ["vaccinationClinic"]),
    ]
    m.append(_matter(
        2, "新生儿出生“一件事”", basic="000105999000", category="PERSONAL", theme="生育",
        keywords=["出生", "新生儿", "落户", "报户口", "出生证明", "医保", "社保卡", "一件事"],
        matter_type="PUBLIC_SERVICE",
        depts=[_dept("HEALTH"), _dept("POLICE", "PARTICIPANT"), _dept("MEDINS", "PARTICIPANT"),
               _dept("HRSS", "PARTICIPANT")],
        affair="PROMISED", promised=3, legal=20,
        conditions="新生儿父母至少一方为本区户籍，出生医学证明已签发或同时申领。",
        legal_basis="《浙江省保障“最多跑一次”改革规定》第十三条",
        originals="结婚证、户口簿原件在领取结果时于区政务服务中心综合窗口核验",
        materials=[
            _mat("M0002-01", "父亲居民身份证", licence=("LIC-RESIDENT-ID", "居民身份证（电子证照）")),
            _mat("M0002-02", "母亲居民身份证", licence=("LIC-RESIDENT-ID", "居民身份证（电子证照）")),
            _mat("M0002-03", "结婚证", licence=("LIC-MARRIAGE", "结婚证"), issuer="民政部门"),
            _mat("M0002-04", "出生医学证明", licence=("LIC-BIRTH-CERT", "出生医学证明"),
                 sharing=("DS-BIRTH-MEDICAL", "出生医学证明信息"), issuer="助产机构"),
            _mat("M0002-05", "居民户口簿", licence=("LIC-HOUSEHOLD", "居民户口簿"),
                 issuer="公安机关"),
            _mat("M0002-06", "新生儿一寸免冠照片", required=False,
                 note="社保卡制卡用，可在终端拍摄"),
            _mat("M0002-07", "新生儿预防接种记录（乙肝疫苗、卡介苗）", issuer="助产机构",
                 note="出生医院接种后出具，拍照上传"),
        ],
        form=_schema({
            "guardianName": _field("申请人（父/母）姓名", prefill="person.name"),
            "guardianPhone": _field("联系电话", prefill="person.phone", widget="phone", **PHONE),
            "newbornName": _field("新生儿姓名", prefill="facts.newbornName", maxLength=30),
            "newbornGender": _field("新生儿性别", prefill="facts.newbornGender",
                                    enum=["MALE", "FEMALE"], widget="select",
                                    names=["男", "女"]),
            "newbornBirthDate": _field("出生日期", prefill="facts.newbornBirthDate",
                                       format="date", widget="date"),
            "hospital": _field("出生医院", prefill="facts.birthHospital"),
            "householdAddress": _field("落户地址", prefill="person.householdAddress"),
            "cardBank": _field("社保卡领卡银行", enum=["ICBC", "ABC", "BOC", "CCB", "HZB"],
                               widget="select",
                               names=["工商银行", "农业银行", "中国银行", "建设银行", "杭州银行"]),
            "vaccinationClinic": _field("预防接种单位", enum=["XH-CDC-1", "XH-CDC-2"],
                                        widget="select",
                                        names=["演示社区卫生服务中心（北山）",
                                               "演示社区卫生服务中心（翠苑）"]),
            "subMatters": _field("同时办理", "array", widget="checklist", minItems=1,
                                 uniqueItems=True,
                                 items={"type": "string", "enum": [s[0] for s in subs],
                                        "x-enumNames": [s[1] for s in subs]}),
        }, ["guardianName", "guardianPhone", "newbornName", "newbornGender", "newbornBirthDate",
            "subMatters"], {
            "guardianName": "李四测试", "guardianPhone": "13900000002",
            "newbornName": "张小测试", "newbornGender": "FEMALE",
            "newbornBirthDate": "2026-10-01", "hospital": "演示妇产科医院（测试）",
            "householdAddress": "浙江省杭州市西湖区演示路1号测试小区1幢101室",
            "cardBank": "ICBC", "vaccinationClinic": "XH-CDC-1",
            "subMatters": [s[0] for s in subs]}, choice_key="subMatters",
            when_chosen={s[0]: s[5] for s in subs}),
        delivery=["WINDOW", "EXPRESS"],
        bundle={"bundleCode": "YJS-CSXS", "leadDeptCode": DEPTS["HEALTH"][0],
                "choiceField": "subMatters",
                "subMatters": [{"implCode": c, "name": n, "deptName": DEPTS[d][1],
                                "materialCodes": mats, "formFields": shown,
                                "requiredFields": needed}
                               for c, n, d, mats, shown, needed in subs]},
    ))

    # 3 提取住房公积金 (购房/租房/离退休).
    m.append(_matter(
        3, "提取住房公积金", basic="000173021000", category="PERSONAL", theme="住房",
        keywords=["公积金", "提取", "租房提取", "购房提取", "gjj"],
        matter_type="PUBLIC_SERVICE", depts=[_dept("GJJ")], affair="PROMISED",
        promised=3, legal=3,
        conditions="缴存职工符合购房、租房、离退休等提取条件，账户状态正常。",
        legal_basis="《住房公积金管理条例》第二十四条",
        materials=[
            _id_card("M0003-01"),
            {**_mat("M0003-02", "提取原因证明材料（购房合同、租赁备案或退休证明）",
                    sharing=("DS-HOUSING-CONTRACT", "房屋交易网签备案数据"),
                    note="购房、租赁备案信息共享后免交；其他情形需上传，也可签署告知承诺书代替"),
             "promisable": True,
             "promiseText": "本人申请提取住房公积金，承诺所述提取原因真实、有效，所租住房屋为本人及"
                            "配偶在本市无自有住房情况下的自住用房。本人知晓：如承诺不实，"
                            "公积金中心将撤销本次提取，责令退回已提取资金，并按规定记入公共信用"
                            "记录，由此产生的法律责任由本人承担。"},
            _mat("M0003-03", "本人银行卡", required=False, note="收款账户非本人社保卡时提供"),
        ],
        form=_schema({
            "name": _field("姓名", prefill="person.name"),
            "account": _field("公积金个人账号", prefill="facts.housingFundAccount"),
            "reason": _field("提取原因", enum=["PURCHASE", "RENT", "RETIREMENT", "LOAN_REPAYMENT"],
                             widget="select",
                             names=["购买自住住房", "租房", "离退休", "偿还购房贷款"]),
            "amount": _field("提取金额（元）", "number", widget="number", minimum=0.01,
                             maximum=1000000),
            "bankAccount": _field("收款银行账号", pattern="^[0-9]{12,19}$"),
            "phone": _field("手机号码", prefill="person.phone", widget="phone", **PHONE),
        }, ["name", "account", "reason", "amount", "bankAccount", "phone"], {
            "name": "张三测试", "account": "GJJ-DEMO-000001", "reason": "RENT",
            "amount": 1500, "bankAccount": "6222000000000001", "phone": "13900000001"}),
        delivery=["ELECTRONIC"],
        devices=["IDCARD_READER", "PRINTER"],
    ))
    m[-1]["faceCheck"] = "REQUIRED"  # money leaves the fund: the face must match the card

    # 4 个体工商户设立登记 (法人办事).
    m.append(_matter(
        4, "个体工商户设立登记", basic="000112001000", category="CORPORATE", theme="市场准入",
        keywords=["个体户", "营业执照", "开店", "工商登记", "gtgsh"],
        matter_type="ADMIN_LICENSING", depts=[_dept("SAMR")], affair="PROMISED",
        promised=1, legal=15,
        conditions="经营者为有经营能力的自然人，经营场所合法，名称经自主申报。",
        materials=[
            _id_card("M0004-01"),
            _mat("M0004-02", "个体工商户设立登记申请书", issuer="申请人",
                 note="按表单生成，签字后拍照上传"),
            _mat("M0004-03", "经营场所使用证明", licence=("LIC-RENTAL-REG", "房屋租赁登记备案证明"),
                 sharing=("DS-REAL-ESTATE", "不动产登记信息"),
                 note="自有房产或已备案租赁的免交"),
        ],
        form=_schema({
            "operatorName": _field("经营者姓名", prefill="person.name"),
            "operatorPhone": _field("联系电话", prefill="person.phone", widget="phone", **PHONE),
            "shopName": _field("个体工商户名称", prefill="facts.plannedShopName", minLength=2,
                               maxLength=50),
            "businessScope": _field("经营范围", maxLength=500, widget="textarea"),
            "premisesAddress": _field("经营场所", prefill="person.residenceAddress",
                                      maxLength=120),
            "capital": _field("资金数额（万元）", "number", widget="number", minimum=0),
            "employees": _field("从业人数", "integer", widget="number", minimum=1, maximum=99),
            "organizationForm": _field("组成形式", enum=["PERSONAL", "FAMILY"], widget="select",
                                       names=["个人经营", "家庭经营"]),
        }, ["operatorName", "operatorPhone", "shopName", "businessScope", "premisesAddress",
            "capital", "employees", "organizationForm"], {
            "operatorName": "赵六测试", "operatorPhone": "13900000004",
            "shopName": "赵六测试小吃店", "businessScope": "小吃店（仅售预包装食品及现制饮品）",
            "premisesAddress": "浙江省杭州市西湖区演示街道测试社区5幢501室",
            "capital": 5, "employees": 2, "organizationForm": "PERSONAL"}),
        delivery=["WINDOW", "EXPRESS", "ELECTRONIC"],
    ))

    # 5 居住证申领: every required material can be exempted or handed in at the window,
    # which is why the contract's example application uses it (no file needed).
    m.append(_matter(
        5, "居住证申领", basic="000105023000", category="PERSONAL", theme="户籍",
        keywords=["居住证", "暂住", "新杭州人", "积分", "jzz"],
        matter_type="PUBLIC_SERVICE", depts=[_dept("POLICE")], affair="PROMISED",
        promised=10, legal=15,
        conditions="离开常住户口所在地到本区居住半年以上，有合法稳定就业、住所或连续就读之一。",
        materials=[
            _id_card("M0005-01"),
            _mat("M0005-02", "居住证明（租赁备案或房产证明）",
                 licence=("LIC-RENTAL-REG", "房屋租赁登记备案证明"),
                 sharing=("DS-RENTAL", "出租房屋登记信息")),
            _mat("M0005-03", "近期免冠证件照片", note="可在终端拍摄，或窗口领证时现场采集"),
        ],
        form=_schema({
            "name": _field("姓名", prefill="person.name"),
            "phone": _field("手机号码", prefill="person.phone", widget="phone", **PHONE),
            "householdAddress": _field("户籍地址", prefill="person.householdAddress"),
            "residenceAddress": _field("居住地址", prefill="facts.rentalAddress", maxLength=120),
            "residenceSince": _field("居住起始日期", prefill="facts.residenceSince",
                                     format="date", widget="date"),
            "basis": _field("申领依据", enum=["EMPLOYMENT", "RESIDENCE", "STUDY"], widget="select",
                            names=["合法稳定就业", "合法稳定住所", "连续就读"]),
            "employer": _field("工作单位", prefill="facts.employer", maxLength=100),
        }, ["name", "phone", "householdAddress", "residenceAddress", "residenceSince", "basis"], {
            "name": "赵六测试", "phone": "13900000004",
            "householdAddress": "安徽省演示市演示县测试镇1号",
            "residenceAddress": "浙江省杭州市西湖区演示街道测试社区5幢501室",
            "residenceSince": "2025-01-15", "basis": "EMPLOYMENT",
            "employer": "演示餐饮店（测试）"}),
        delivery=["WINDOW", "EXPRESS"],
    ))

    # 6 城乡居民基本医疗保险参保登记.
    m.append(_matter(
        6, "城乡居民基本医疗保险参保登记", basic="000180001000", category="PERSONAL", theme="社保",
        keywords=["医保", "参保", "城乡居民医保", "新生儿参保", "yb"],
        matter_type="PUBLIC_SERVICE", depts=[_dept("MEDINS")], affair="INSTANT",
        promised=0, legal=1,
        materials=[_id_card("M0006-01"),
                   _mat("M0006-02", "居民户口簿", licence=("LIC-HOUSEHOLD", "居民户口簿"),
                        sharing=("DS-HOUSEHOLD", "户籍人口信息"))],
        form=_schema({
            "name": _field("参保人姓名", prefill="person.name"),
            "phone": _field("联系电话", prefill="person.phone", widget="phone", **PHONE),
            "insuredType": _field("参保类别", enum=["ADULT", "MINOR", "STUDENT", "ELDERLY"],
                                  widget="select",
                                  names=["成年居民", "未成年人", "在校学生", "老年居民"]),
            "year": _field("参保年度", "integer", minimum=2020, maximum=2100, widget="number"),
        }, ["name", "phone", "insuredType", "year"], {
            "name": "张三测试", "phone": "13900000001", "insuredType": "ADULT", "year": 2027}),
        delivery=["ELECTRONIC"], devices=["IDCARD_READER", "PRINTER"],
    ))

    # 7 社会保障卡申领.
    m.append(_matter(
        7, "社会保障卡申领（补换）", basic="000182005000", category="PERSONAL", theme="社保",
        keywords=["社保卡", "补卡", "换卡", "市民卡", "sbk"],
        matter_type="PUBLIC_SERVICE", depts=[_dept("HRSS")], affair="PROMISED",
        promised=5, legal=20,
        materials=[_id_card("M0007-01"),
                   _mat("M0007-02", "近期免冠彩色证件照", note="可在终端拍摄（白底）")],
        form=_schema({
            "name": _field("姓名", prefill="person.name"),
            "phone": _field("手机号码", prefill="person.phone", widget="phone", **PHONE),
            "reason": _field("办理原因", enum=["FIRST", "LOST", "DAMAGED", "EXPIRED"],
                             widget="select", names=["首次申领", "遗失补领", "损坏换领", "到期换领"]),
            "bank": _field("合作银行", enum=["DEMO_BANK_A", "DEMO_BANK_B"], widget="select",
                           names=["演示银行甲（测试）", "演示银行乙（测试）"]),
        }, ["name", "phone", "reason", "bank"], {
            "name": "王五测试", "phone": "13900000003", "reason": "LOST", "bank": "DEMO_BANK_A"}),
        delivery=["WINDOW", "EXPRESS"],
    ))

    # 8 驾驶证期满换证.
    m.append(_matter(
        8, "机动车驾驶证期满换证", basic="000105108000", category="PERSONAL", theme="交通",
        keywords=["驾驶证", "驾照", "换证", "期满", "jsz"],
        matter_type="ADMIN_LICENSING", depts=[_dept("TRAFFIC")], affair="INSTANT",
        promised=0, legal=1, fee="工本费10元", fee_items=[("工本费", 1000, "本")],
        legal_basis="《机动车驾驶证申领和使用规定》第六十五条",
        materials=[_id_card("M0008-01"),
                   _mat("M0008-02", "机动车驾驶人身体条件证明",
                        sharing=("DS-DRIVER-HEALTH", "驾驶人体检信息（医疗机构上传）")),
                   _mat("M0008-03", "原机动车驾驶证", licence=("LIC-DRIVING", "机动车驾驶证"))],
        form=_schema({
            "name": _field("姓名", prefill="person.name"),
            "phone": _field("手机号码", prefill="person.phone", widget="phone", **PHONE),
            "licenceNo": _field("驾驶证号", prefill="licence.LIC-DRIVING", **ID18),
            "mailAddress": _field("邮寄地址", prefill="person.residenceAddress"),
        }, ["name", "phone", "licenceNo"], {
            "name": "王五测试", "phone": "13900000003", "licenceNo": "330199195201010034",
            "mailAddress": "浙江省杭州市西湖区演示路8号测试新村3幢202室"}),
        delivery=["WINDOW", "EXPRESS", "ELECTRONIC"],
    ))

    # 9 最低生活保障.
    m.append(_matter(
        9, "最低生活保障审核确认", basic="000148001000", category="PERSONAL", theme="民政",
        keywords=["低保", "救助", "最低生活保障", "困难家庭", "db"],
        matter_type="ADMIN_PAYMENT", depts=[_dept("CIVIL")], affair="PROMISED",
        promised=20, legal=30,
        materials=[_id_card("M0009-01"),
                   _mat("M0009-02", "居民户口簿", licence=("LIC-HOUSEHOLD", "居民户口簿")),
                   _mat("M0009-03", "家庭收入及财产状况承诺书", issuer="申请人",
                        note="告知承诺，签字后拍照上传"),
                   _mat("M0009-04", "残疾证或病历资料", required=False)],
        form=_schema({
            "name": _field("申请人姓名", prefill="person.name"),
            "phone": _field("联系电话", prefill="person.phone", widget="phone", **PHONE),
            "address": _field("居住地址", prefill="person.residenceAddress"),
            "householdSize": _field("共同生活家庭成员人数", "integer", minimum=1, maximum=20,
                                    prefill="facts.householdSize", widget="number"),
            "monthlyIncome": _field("家庭月收入（元）", "number", minimum=0, widget="number"),
            "reason": _field("申请理由", maxLength=500, widget="textarea"),
        }, ["name", "phone", "address", "householdSize", "monthlyIncome", "reason"], {
            "name": "王五测试", "phone": "13900000003",
            "address": "浙江省杭州市西湖区演示路8号测试新村3幢202室", "householdSize": 1,
            "monthlyIncome": 1800, "reason": "独居老人，收入低于当地低保标准（演示数据）"}),
        delivery=["WINDOW"],
    ))

    # 10 残疾人证新办.
    m.append(_matter(
        10, "残疾人证新办", basic="000198001000", category="PERSONAL", theme="残疾人",
        keywords=["残疾证", "残疾人", "评残", "cjz"],
        matter_type="PUBLIC_SERVICE", depts=[_dept("DPF")], affair="PROMISED",
        promised=15, legal=30,
        materials=[_id_card("M0010-01"),
                   _mat("M0010-02", "近期二寸免冠白底彩照", note="可在终端拍摄"),
                   _mat("M0010-03", "残疾评定材料（病历、检查报告）", issuer="医疗机构")],
        form=_schema({
            "name": _field("姓名", prefill="person.name"),
            "phone": _field("联系电话", prefill="person.phone", widget="phone", **PHONE),
            "category": _field("申请残疾类别", enum=["VISUAL", "HEARING", "SPEECH", "PHYSICAL",
                                                     "INTELLECTUAL", "MENTAL", "MULTIPLE"],
                               widget="select",
                               names=["视力", "听力", "言语", "肢体", "智力", "精神", "多重"]),
            "guardianName": _field("监护人姓名（如有）", maxLength=30),
        }, ["name", "phone", "category"], {
            "name": "王五测试", "phone": "13900000003", "category": "HEARING"}),
        delivery=["WINDOW", "EXPRESS"],
    ))

    # 11 食品经营许可（仅销售预包装食品备案）.
    m.append(_matter(
        11, "仅销售预包装食品经营者备案", basic="000112045000", category="CORPORATE",
        theme="市场准入", keywords=["食品", "预包装", "备案", "小卖部", "spba"],
        matter_type="OTHER", depts=[_dept("SAMR")], affair="INSTANT", promised=0, legal=1,
        materials=[_id_card("M0011-01"),
                   _mat("M0011-02", "营业执照", licence=("LIC-BUSINESS", "营业执照"),
                        sharing=("DS-MARKET-ENTITY", "市场主体登记信息")),
                   _mat("M0011-03", "仅销售预包装食品备案信息采集表", issuer="申请人")],
        form=_schema({
            "entityName": _field("经营者名称", maxLength=100),
            "uscc": _field("统一社会信用代码", pattern="^[0-9A-HJ-NPQRTUWXY]{18}$"),
            "contactName": _field("联系人", prefill="person.name"),
            "contactPhone": _field("联系电话", prefill="person.phone", widget="phone", **PHONE),
            "premisesAddress": _field("经营场所", maxLength=120),
            "coldChain": _field("是否含冷藏冷冻食品", "boolean", widget="switch"),
        }, ["entityName", "uscc", "contactName", "contactPhone", "premisesAddress", "coldChain"], {
            "entityName": "赵六测试小吃店", "uscc": "92330106MA00000001",
            "contactName": "赵六测试", "contactPhone": "13900000004",
            "premisesAddress": "浙江省杭州市西湖区演示街道测试社区5幢501室", "coldChain": False}),
        # Every matter names the receipt printer: a kiosk application starts only where the
        # 收件回执 can be printed (a printer failing later still lets the citizen submit).
        delivery=["ELECTRONIC"], devices=["IDCARD_READER", "DOCUMENT_CAMERA", "PRINTER"],
    ))

    # 12 企业住所（经营场所）变更登记.
    m.append(_matter(
        12, "企业住所变更登记", basic="000112003000", category="CORPORATE", theme="市场准入",
        keywords=["变更", "地址变更", "住所", "营业执照变更", "qybg"],
        matter_type="ADMIN_LICENSING", depts=[_dept("SAMR")], affair="PROMISED",
        promised=1, legal=15,
        materials=[_id_card("M0012-01"),
                   _mat("M0012-02", "变更登记申请书", issuer="企业"),
                   _mat("M0012-03", "新住所使用证明", licence=("LIC-REAL-ESTATE", "不动产权证书"),
                        sharing=("DS-REAL-ESTATE", "不动产登记信息")),
                   _mat("M0012-04", "股东会决议或决定", issuer="企业")],
        form=_schema({
            "entityName": _field("企业名称", maxLength=100),
            "uscc": _field("统一社会信用代码", pattern="^[0-9A-HJ-NPQRTUWXY]{18}$"),
            "oldAddress": _field("原住所", maxLength=120),
            "newAddress": _field("新住所", maxLength=120),
            "contactName": _field("经办人", prefill="person.name"),
            "contactPhone": _field("联系电话", prefill="person.phone", widget="phone", **PHONE),
        }, ["entityName", "uscc", "oldAddress", "newAddress", "contactName", "contactPhone"], {
            "entityName": "演示科技有限公司（测试）", "uscc": "91330106MA00000002",
            "oldAddress": "浙江省杭州市西湖区演示路100号", "newAddress": "浙江省杭州市西湖区演示路200号",
            "contactName": "张三测试", "contactPhone": "13900000001"}),
        delivery=["WINDOW", "EXPRESS", "ELECTRONIC"],
    ))

    # 13 灵活就业人员参保登记.
    m.append(_matter(
        13, "灵活就业人员企业职工基本养老保险参保登记", basic="000182010000", category="PERSONAL",
        theme="社保", keywords=["灵活就业", "养老保险", "参保", "社保", "lhjy"],
        matter_type="PUBLIC_SERVICE", depts=[_dept("HRSS")], affair="INSTANT",
        promised=0, legal=1,
        materials=[_id_card("M0013-01")],
        form=_schema({
            "name": _field("姓名", prefill="person.name"),
            "phone": _field("手机号码", prefill="person.phone", widget="phone", **PHONE),
            "baseLevel": _field("缴费档次", enum=["P60", "P80", "P100", "P200", "P300"],
                                widget="select", names=["60%", "80%", "100%", "200%", "300%"]),
            "startMonth": _field("参保起始年月", pattern="^[0-9]{4}-(0[1-9]|1[0-2])$"),
        }, ["name", "phone", "baseLevel", "startMonth"], {
            "name": "赵六测试", "phone": "13900000004", "baseLevel": "P60", "startMonth": "2026-12"}),
        delivery=["ELECTRONIC"], devices=["IDCARD_READER", "PRINTER"],
    ))

    # 14 不动产登记资料查询.
    m.append(_matter(
        14, "不动产登记资料查询（权利人查询）", basic="000173030000", category="PERSONAL",
        theme="住房", keywords=["房产查询", "不动产查询", "产权证明", "无房证明", "bdc"],
        matter_type="PUBLIC_SERVICE", depts=[_dept("NRP")], affair="INSTANT",
        promised=0, legal=1,
        materials=[_id_card("M0014-01")],
        form=_schema({
            "name": _field("查询人姓名", prefill="person.name"),
            "purpose": _field("查询目的", enum=["PROOF_OF_PROPERTY", "NO_PROPERTY", "LITIGATION"],
                              widget="select", names=["产权证明", "无房证明", "诉讼"]),
            "scope": _field("查询范围", enum=["CITY", "DISTRICT"], widget="select",
                            names=["全市", "本区"]),
        }, ["name", "purpose", "scope"], {
            "name": "张三测试", "purpose": "PROOF_OF_PROPERTY", "scope": "CITY"}),
        delivery=["ELECTRONIC", "WINDOW"], devices=["IDCARD_READER", "PRINTER"],
    ))
    from kiosk.sandbox.catalog_en import localize

    return [localize(x) for x in m]


# -- generated matters: a county-scale catalog for benchmarks --

MAX_SEEDED = 20000
GENERATED_PREFIX = "330106GEN"
# Streets and towns of the district and what a matter's variants do, with their English:
# 15 × 12 = 180 names per seeded matter, so 2,520 matters before a name repeats.
PLACES = (("北山街道", "Beishan"), ("西溪街道", "Xixi"), ("翠苑街道", "Cuiyuan"),
          ("古荡街道", "Gudang"), ("西湖街道", "Xihu"), ("留下街道", "Liuxia"),
          ("转塘街道", "Zhuantang"), ("蒋村街道", "Jiangcun"), ("灵隐街道", "Lingyin"),
          ("文新街道", "Wenxin"), ("三墩镇", "Sandun Town"), ("双浦镇", "Shuangpu Town"),
          ("之江度假区", "Zhijiang Resort"), ("紫金港", "Zijingang"), ("云栖小镇", "Yunqi Town"))
VARIANTS = (("变更", "change"), ("注销", "cancellation"), ("补办", "reissue"),
            ("延续", "renewal"), ("更正", "correction"), ("迁入", "moving in"),
            ("迁出", "moving out"), ("备案", "filing"), ("年审", "annual review"),
            ("查询", "enquiry"), ("预约", "appointment"), ("证明开具", "certificate"))


def generated(total: int, seeded: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """``total`` matters: the seeded ones, then copies of them in turn, each with a new
    implCode (``330106GEN00001``…), version, name and keywords (a place and a variant:
    ``提取住房公积金（补办·留下街道）``) and English. Copies share their materials, form and
    departments with the original (the server hands out deep copies), so 2,000 matters cost
    the sandbox little memory; a kiosk fetching them parses each one on its own."""
    base = seeded if seeded is not None else _build()
    if not len(base) <= total <= MAX_SEEDED:
        raise ValueError(f"seed_matters must be from {len(base)} to {MAX_SEEDED}")
    out = list(base)
    for i in range(total - len(base)):
        src = base[i % len(base)]
        combo = i // len(base)
        place, place_en = PLACES[combo % len(PLACES)]
        variant, variant_en = VARIANTS[(combo // len(PLACES)) % len(VARIANTS)]
        n = i + 1
        copy_ = dict(src)
        copy_["implCode"] = f"{GENERATED_PREFIX}{n:05d}"
        copy_["version"] = f"{CATALOG_VERSION[:25]}#g{n}"
        copy_["name"] = f"{src['name']}（{variant}·{place}）"
        copy_["keywords"] = [*src["keywords"], variant, place]
        en = dict(src["i18n"]["en"])
        en["name"] = f"{en['name']} ({variant_en}, {place_en})"
        en["keywords"] = [*en.get("keywords", ()), variant_en, place_en]
        copy_["i18n"] = {**src["i18n"], "en": en}
        out.append(copy_)
    return out


def _initials(text: str) -> str:
    # pypinyin is imported at the first search by text: its dictionaries take ~50 MB, and
    # the embedded sandbox of a demo kiosk lives in the kiosk's process.
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()


class Catalog:
    """The seeded matters with search (name, keywords, pinyin initials, department, code)."""

    def __init__(self, matters: list[dict[str, Any]] | None = None, *,
                 seed_matters: int = 0) -> None:
        """``seed_matters``: serve that many matters (the seeded ones and generated copies);
        0 serves the seeded ones."""
        if matters is None:
            matters = generated(seed_matters) if seed_matters else _build()
        self._matters = {m["implCode"]: m for m in matters}
        self._search_texts: dict[str, str] | None = None
        self.version = CATALOG_VERSION

    @property
    def _search(self) -> dict[str, str]:
        """code → the text a search looks in (built at the first search by text)."""
        if self._search_texts is None:
            texts = {}
            for code, matter in self._matters.items():
                en = (matter.get("i18n") or {}).get("en") or {}
                words = [matter["name"], *matter["keywords"], matter["theme"],
                         *(d["name"] for d in matter["departments"]), code,
                         en.get("name", ""), *en.get("keywords", ())]
                text = " ".join(words).lower()
                initials = " ".join(_initials(w) for w in [matter["name"], *matter["keywords"]])
                texts[code] = text + " " + initials
            self._search_texts = texts
        return self._search_texts

    def __len__(self) -> int:
        return len(self._matters)

    def get(self, impl_code: str) -> dict[str, Any] | None:
        matter = self._matters.get(impl_code)
        return copy.deepcopy(matter) if matter else None

    def all(self) -> list[dict[str, Any]]:
        return [copy.deepcopy(m) for m in self._matters.values()]

    def search(self, q: str | None = None, *, category: str | None = None,
               theme: str | None = None, service_object: str | None = None,
               dept_code: str | None = None) -> list[dict[str, Any]]:
        """Summaries of the matching matters."""
        return [summary(m) for m in self.find(q, category=category, theme=theme,
                                              service_object=service_object,
                                              dept_code=dept_code)]

    def find(self, q: str | None = None, *, category: str | None = None,
             theme: str | None = None, service_object: str | None = None,
             dept_code: str | None = None) -> list[dict[str, Any]]:
        """The matching matters themselves (not copies: read them, do not change them)."""
        out = []
        terms = (q or "").lower().split()
        for code, matter in self._matters.items():
            if category and matter["category"] != category:
                continue
            if theme and matter["theme"] != theme:
                continue
            if service_object and service_object not in matter["serviceObjects"]:
                continue
            if dept_code and not any(d["deptCode"] == dept_code for d in matter["departments"]):
                continue
            if terms and not all(t in self._search[code] for t in terms):
                continue
            out.append(matter)
        return out


def summary(matter: dict[str, Any]) -> dict[str, Any]:
    lead = next((d for d in matter["departments"] if d["role"] == "LEAD"), matter["departments"][0])
    return {
        "implCode": matter["implCode"], "name": matter["name"], "version": matter["version"],
        "category": matter["category"], "categoryName": matter["categoryName"],
        "theme": matter["theme"], "keywords": matter["keywords"],
        "leadDeptName": lead["name"], "affairType": matter["affairType"],
        "promisedDays": matter["promisedDays"], "isBundle": matter["bundle"] is not None,
        "deliveryModes": matter["deliveryModes"], "kioskDevices": matter["kioskDevices"],
        **_summary_i18n(matter),
    }


def _summary_i18n(matter: dict[str, Any]) -> dict[str, Any]:
    """The summary's localized text: what the list shows (name, category, theme)."""
    out = {}
    for lang, text in (matter.get("i18n") or {}).items():
        short = {k: text[k] for k in ("name", "categoryName", "theme") if k in text}
        if short:
            out[lang] = short
    return {"i18n": out} if out else {}


def etag_of(value: Any) -> str:
    raw = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return '"' + hashlib.sha256(raw).hexdigest()[:20] + '"'
