"""English text of the seeded matters, merged into the catalog in the contract's shape:
``i18n: {en: {…}}`` on a matter, its materials, departments and bundle sub-matters, the
charge, and ``x-i18n: {en: {title, enumNames}}`` on each form field (docs/api/openapi.yaml,
"Localized text").

Kept apart from catalog.py so that the Chinese seed stays readable; tests/api/test_catalog.py
checks that every matter, material, department, field and enum label has its English.
"""

from __future__ import annotations

from typing import Any

LANG = "en"

THEMES = {
    "住房": "Housing", "生育": "Having a baby", "市场准入": "Starting a business",
    "户籍": "Residence permits", "社保": "Social insurance", "交通": "Driving",
    "民政": "Social assistance", "残疾人": "Disability",
}
CATEGORY_NAMES = {"个人办事": "For individuals", "法人办事": "For businesses"}
DEPARTMENTS = {
    "330106-ZRZY": "Xihu District Natural Resources and Planning Bureau (Real Estate Registry)",
    "330106-SWJ": "Xihu District Tax Bureau, State Taxation Administration",
    "330106-ZJJ": "Xihu District Housing and Construction Bureau (Housing Transactions)",
    "330106-WJJ": "Xihu District Health Commission",
    "330106-GAJ": "Xihu District Branch, Hangzhou Public Security Bureau",
    "330106-YBJ": "Xihu District Healthcare Security Bureau",
    "330106-RSJ": "Xihu District Human Resources and Social Security Bureau",
    "3301-GJJ": "Hangzhou Housing Provident Fund Management Center",
    "330106-SCJG": "Xihu District Market Supervision Bureau",
    "330106-JJ": "Xihu Brigade, Hangzhou Traffic Police",
    "330106-MZJ": "Xihu District Civil Affairs Bureau",
    "330106-CL": "Xihu District Disabled Persons' Federation",
}
FREE = "No fee"
ID_CARD = ("Applicant's resident ID card",
           "Not needed once the ID card is read or the electronic licence is retrieved")
HOUSEHOLD_BOOK = ("Household register (hukou booklet)", "")
NAME = "Name"
PHONE = "Mobile phone number"
CONTACT_PHONE = "Contact phone number"

# 收费项目 and 计费单位 (charge.items: name, unit)
FEE_NAMES = {"登记费": "Registration fee", "工本费": "Card production fee"}
FEE_UNITS = {"件": "case", "本": "licence"}
# implCode → 设定依据 (legalBasis), where the originals are checked (originalsCheck)
LEGAL_BASIS = {
    "330106SBX0001": "Interim Regulations on Real Estate Registration, Art. 14; Implementing "
                     "Rules of the Interim Regulations on Real Estate Registration, Art. 38",
    "330106SBX0002": "Zhejiang Provincial Provisions on the \"Run at Most Once\" Reform, Art. 13",
    "330106SBX0003": "Regulations on the Administration of Housing Provident Funds, Art. 24",
    "330106SBX0008": "Provisions on the Application for and Use of Motor Vehicle Driving "
                     "Licences, Art. 65",
}
ORIGINALS_CHECK = {
    "330106SBX0001": "Originals are checked at the real estate registration window of the "
                     "district government service center when the title certificate is "
                     "collected",
    "330106SBX0002": "The originals of the marriage certificate and the household register are "
                     "checked at the general window of the district government service center "
                     "when the results are collected",
}
# (implCode, materialCode) → the 承诺书 text (promiseText), for reading; the signed PDF keeps
# the Chinese
PROMISE_TEXTS = {
    ("330106SBX0003", "M0003-02"):
        "I am applying to withdraw from my housing provident fund and promise that the reason "
        "stated is true and valid, and that the rented home is where I live while neither my "
        "spouse nor I own a home in this city. I understand that if this promise is untrue, the "
        "provident fund center will revoke this withdrawal, order the money withdrawn to be "
        "returned and record it in the public credit records, and that I bear the legal "
        "liability arising from it.",
}

# implCode → text. "fields": key → title, or (title, [enum labels in the enum's order]).
MATTERS: dict[str, dict[str, Any]] = {
    "330106SBX0001": {
        "name": "Registering a second-hand home sale",
        "keywords": ["second-hand home", "transfer", "property", "title deed", "deed tax"],
        "acceptConditions": "Buyer and seller attend in person or through an agent; the sale "
                            "contract is filed online; the home is not seized and has no "
                            "outstanding mortgage.",
        "charge": "Registration fee CNY 80 per home; deed tax as assessed by the tax bureau",
        "materials": {
            "M0001-02": ("Real estate title certificate",
                         "Not needed once the electronic licence is retrieved"),
            "M0001-03": ("Sale contract of the existing home (filed online)",
                         "Not needed once the filed contract is shared"),
            "M0001-04": ("Tax payment certificate", "Not needed once tax data are shared"),
            "M0001-05": ("Proof of marital status",
                         "Not needed once marriage records are shared"),
            "M0001-06": ("Buyer's application and interview notes",
                         "Sign it and photograph it at the kiosk"),
        },
        "fields": {
            "applicantName": "Buyer's name", "applicantPhone": CONTACT_PHONE,
            "sellerName": "Seller's name", "sellerCertNo": "Seller's ID card number",
            "propertyCertNo": "Title certificate number", "propertyAddress": "Address of the home",
            "price": "Sale price (CNY)",
            "shareMode": ("Form of ownership", ["Sole ownership", "Joint ownership",
                                                "Ownership in shares"]),
        },
    },
    "330106SBX0002": {
        "name": "Birth of a baby (all-in-one)",
        "keywords": ["birth", "newborn", "baby", "hukou", "birth certificate", "all-in-one"],
        "acceptConditions": "At least one parent is registered as a resident of this district; "
                            "the medical birth certificate has been issued or is applied for "
                            "at the same time.",
        "materials": {
            "M0002-01": ("Father's resident ID card", ""),
            "M0002-02": ("Mother's resident ID card", ""),
            "M0002-03": ("Marriage certificate", ""),
            "M0002-04": ("Medical birth certificate", ""),
            "M0002-05": HOUSEHOLD_BOOK,
            "M0002-06": ("One-inch photo of the baby",
                         "For the social security card; can be taken at the kiosk"),
            "M0002-07": ("Baby's vaccination record (hepatitis B, BCG)",
                         "Issued by the hospital after the first vaccinations; photograph it"),
        },
        "fields": {
            "guardianName": "Applicant's name (father or mother)", "guardianPhone": CONTACT_PHONE,
            "newbornName": "Baby's name", "newbornGender": ("Baby's sex", ["Male", "Female"]),
            "newbornBirthDate": "Date of birth", "hospital": "Hospital of birth",
            "householdAddress": "Address to register the baby at",
            "cardBank": ("Bank to collect the social security card from", [
                "ICBC", "Agricultural Bank of China", "Bank of China",
                "China Construction Bank", "Bank of Hangzhou"]),
            "vaccinationClinic": ("Vaccination clinic", [
                "Demo community health centre (Beishan)",
                "Demo community health centre (Cuiyuan)"]),
            "subMatters": ("Also apply for", [
                "Medical birth certificate", "Household registration of a newborn",
                "Enrolment in basic medical insurance for residents",
                "Social security card application", "Vaccination certificate"]),
        },
        "bundle": {
            "330106SBX0201": "Medical birth certificate",
            "330106SBX0202": "Household registration of a newborn",
            "330106SBX0006": "Enrolment in basic medical insurance for residents",
            "330106SBX0007": "Social security card application",
            "330106SBX0205": "Vaccination certificate",
        },
    },
    "330106SBX0003": {
        "name": "Withdraw from the housing provident fund",
        "keywords": ["housing fund", "provident fund", "withdrawal", "rent", "home purchase"],
        "acceptConditions": "The contributor qualifies for a withdrawal (home purchase, renting, "
                            "retirement…) and the account is in good standing.",
        "materials": {
            "M0003-02": ("Proof of the reason for withdrawal (purchase contract, rental filing "
                         "or retirement certificate)",
                         "Not needed once purchase or rental filings are shared; otherwise "
                         "upload it"),
            "M0003-03": ("Your own bank card",
                         "Only if the money goes to an account other than your social "
                         "security card"),
        },
        "fields": {
            "name": NAME, "account": "Provident fund account number",
            "reason": ("Reason for withdrawal", ["Buying a home to live in", "Renting",
                                                 "Retirement", "Repaying a home loan"]),
            "amount": "Amount (CNY)", "bankAccount": "Bank account to pay into", "phone": PHONE,
        },
    },
    "330106SBX0004": {
        "name": "Registration of a sole proprietorship",
        "keywords": ["sole proprietor", "business licence", "open a shop", "business registration"],
        "acceptConditions": "The operator is a natural person able to run a business, the "
                            "premises are lawful and the name has been declared.",
        "materials": {
            "M0004-02": ("Application for registering a sole proprietorship",
                         "Generated from the form; sign it and photograph it"),
            "M0004-03": ("Proof of the right to use the premises",
                         "Not needed for your own property or a filed lease"),
        },
        "fields": {
            "operatorName": "Operator's name", "operatorPhone": CONTACT_PHONE,
            "shopName": "Business name", "businessScope": "Business scope",
            "premisesAddress": "Business premises", "capital": "Capital (CNY 10,000)",
            "employees": "Number of staff",
            "organizationForm": ("Form of organisation", ["Run by one person",
                                                          "Run by a family"]),
        },
    },
    "330106SBX0005": {
        "name": "Residence permit application",
        "keywords": ["residence permit", "temporary residence", "new resident", "points"],
        "acceptConditions": "You have lived in this district for more than six months away "
                            "from your registered residence, and have stable lawful work, a "
                            "home or continuous study here.",
        "materials": {
            "M0005-02": ("Proof of residence (filed lease or property certificate)", ""),
            "M0005-03": ("Recent bareheaded ID photo",
                         "Can be taken at the kiosk, or at the window when you collect the "
                         "permit"),
        },
        "fields": {
            "name": NAME, "phone": PHONE, "householdAddress": "Registered (hukou) address",
            "residenceAddress": "Address where you live", "residenceSince": "Living there since",
            "basis": ("Grounds for the permit", ["Stable lawful employment",
                                                 "Stable lawful home", "Continuous study"]),
            "employer": "Employer",
        },
    },
    "330106SBX0006": {
        "name": "Residents' medical insurance enrolment",
        "keywords": ["medical insurance", "enrolment", "health insurance", "newborn"],
        "materials": {"M0006-02": HOUSEHOLD_BOOK},
        "fields": {
            "name": "Insured person's name", "phone": CONTACT_PHONE,
            "insuredType": ("Type of insured person", ["Adult resident", "Minor", "Student",
                                                       "Elderly resident"]),
            "year": "Insurance year",
        },
    },
    "330106SBX0007": {
        "name": "Social security card (re)issue",
        "keywords": ["social security card", "replacement card", "new card", "citizen card"],
        "materials": {
            "M0007-02": ("Recent bareheaded colour ID photo",
                         "Can be taken at the kiosk (white background)"),
        },
        "fields": {
            "name": NAME, "phone": PHONE,
            "reason": ("Reason", ["First card", "Lost card", "Damaged card", "Expired card"]),
            "bank": ("Partner bank", ["Demo Bank A (test)", "Demo Bank B (test)"]),
        },
    },
    "330106SBX0008": {
        "name": "Renewal of an expiring driving licence",
        "keywords": ["driving licence", "driver's licence", "renewal", "expiry"],
        "charge": "Fee CNY 10",
        "materials": {
            "M0008-02": ("Driver's medical certificate", ""),
            "M0008-03": ("Current driving licence", ""),
        },
        "fields": {
            "name": NAME, "phone": PHONE, "licenceNo": "Driving licence number",
            "mailAddress": "Postal address",
        },
    },
    "330106SBX0009": {
        "name": "Minimum living allowance (dibao)",
        "keywords": ["minimum living allowance", "dibao", "assistance", "low income"],
        "materials": {
            "M0009-02": HOUSEHOLD_BOOK,
            "M0009-03": ("Declaration of household income and assets",
                         "Declaration on your word; sign it and photograph it"),
            "M0009-04": ("Disability certificate or medical records", ""),
        },
        "fields": {
            "name": "Applicant's name", "phone": CONTACT_PHONE, "address": "Address where you live",
            "householdSize": "Number of people in the household",
            "monthlyIncome": "Monthly household income (CNY)", "reason": "Reason for applying",
        },
    },
    "330106SBX0010": {
        "name": "New disability certificate",
        "keywords": ["disability certificate", "disabled person", "disability assessment"],
        "materials": {
            "M0010-02": ("Recent two-inch bareheaded photo, white background",
                         "Can be taken at the kiosk"),
            "M0010-03": ("Disability assessment records (medical records, test reports)", ""),
        },
        "fields": {
            "name": NAME, "phone": CONTACT_PHONE,
            "category": ("Type of disability", ["Visual", "Hearing", "Speech", "Physical",
                                                "Intellectual", "Mental", "Multiple"]),
            "guardianName": "Guardian's name (if any)",
        },
    },
    "330106SBX0011": {
        "name": "Prepackaged food sales filing",
        "keywords": ["food", "prepackaged food", "filing", "corner shop"],
        "materials": {
            "M0011-02": ("Business licence", ""),
            "M0011-03": ("Data sheet for the prepackaged-food filing", ""),
        },
        "fields": {
            "entityName": "Name of the business",
            "uscc": "Unified social credit code", "contactName": "Contact person",
            "contactPhone": CONTACT_PHONE, "premisesAddress": "Business premises",
            "coldChain": "Sells chilled or frozen food",
        },
    },
    "330106SBX0012": {
        "name": "Company registered address change",
        "keywords": ["change", "address change", "registered address", "business licence change"],
        "materials": {
            "M0012-02": ("Application for change of registration", ""),
            "M0012-03": ("Proof of the right to use the new address", ""),
            "M0012-04": ("Shareholders' resolution or decision", ""),
        },
        "fields": {
            "entityName": "Company name", "uscc": "Unified social credit code",
            "oldAddress": "Current address", "newAddress": "New address",
            "contactName": "Person handling it", "contactPhone": CONTACT_PHONE,
        },
    },
    "330106SBX0013": {
        "name": "Pension enrolment, flexible employment",
        "keywords": ["flexible employment", "pension insurance", "enrolment", "social insurance"],
        "materials": {},
        "fields": {
            "name": NAME, "phone": PHONE,
            "baseLevel": ("Contribution level", ["60%", "80%", "100%", "200%", "300%"]),
            "startMonth": "First month insured (YYYY-MM)",
        },
    },
    "330106SBX0014": {
        "name": "Property records search (owners)",
        "keywords": ["property search", "real estate search", "proof of ownership",
                     "no property certificate"],
        "materials": {},
        "fields": {
            "name": "Name of the person searching",
            "purpose": ("Purpose", ["Proof of ownership", "Proof of owning no property",
                                    "Litigation"]),
            "scope": ("Area searched", ["Whole city", "This district"]),
        },
    },
}


def _text(**values: Any) -> dict[str, Any]:
    return {LANG: {k: v for k, v in values.items() if v not in ("", None, [])}}


def localize(matter: dict[str, Any]) -> dict[str, Any]:
    """The matter with its English text added (in place; also returned)."""
    en = MATTERS[matter["implCode"]]
    matter["i18n"] = _text(name=en["name"], categoryName=CATEGORY_NAMES[matter["categoryName"]],
                           theme=THEMES[matter["theme"]], keywords=en.get("keywords"),
                           acceptConditions=en.get("acceptConditions"))
    code = matter["implCode"]
    if matter.get("legalBasis") or matter.get("originalsCheck"):
        matter["i18n"][LANG].update(_text(
            legalBasis=LEGAL_BASIS[code] if matter.get("legalBasis") else "",
            originalsCheck=ORIGINALS_CHECK[code] if matter.get("originalsCheck") else "")[LANG])
    charge = matter["charge"]
    charge["i18n"] = _text(description=en.get("charge", FREE))
    for item in charge.get("items") or ():
        item["i18n"] = _text(name=FEE_NAMES[item["name"]],
                             unit=FEE_UNITS[item["unit"]] if item.get("unit") else "")
    for dept in matter["departments"]:
        dept["i18n"] = _text(name=DEPARTMENTS[dept["deptCode"]])
    for material in matter["materials"]:
        name, note = en["materials"].get(material["materialCode"]) or _id_card(material)
        material["i18n"] = _text(name=name, usageNote=note if material["usageNote"] else "",
                                 promiseText=PROMISE_TEXTS[(code, material["materialCode"])]
                                 if material.get("promiseText") else "")
    for key, prop in matter["formSchema"]["properties"].items():
        field = en["fields"][key]
        title, labels = (field, None) if isinstance(field, str) else field
        prop["x-i18n"] = _text(title=title, enumNames=labels)
    if matter["bundle"]:
        for sub in matter["bundle"]["subMatters"]:
            code = sub["implCode"]
            dept = next(c for c, n in _dept_names().items() if n == sub["deptName"])
            sub["i18n"] = _text(name=en["bundle"][code], deptName=DEPARTMENTS[dept])
    return matter


def _id_card(material: dict[str, Any]) -> tuple[str, str]:
    if material["name"] != "申请人居民身份证":
        raise KeyError(f"no English for material {material['materialCode']}")
    return ID_CARD


def _dept_names() -> dict[str, str]:
    from kiosk.sandbox.depts import DEPTS

    return dict(DEPTS.values())
