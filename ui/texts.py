"""Words for the codes the core uses (states, faults, errors, enums), in the current language.
Every string goes through ``tr`` so lupdate collects it for en.ts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from kiosk.device_classes import DeviceTestReport
from kiosk.device_classes import device_class as find_device_class
from kiosk.device_roles import device_role
from ui.i18n import tr


def state_title(state: str) -> str:
    return {
        "attract": tr("欢迎使用自助服务终端"),
        "identify": tr("请将身份证放在感应区"),
        "face_check": tr("人脸核验"),
        "choose_matter": tr("请选择要办理的事项"),
        "guide": tr("办事指南"),
        "consent": tr("授权获取您的信息"),
        "form": tr("填写申请信息"),
        "materials": tr("拍摄申请材料"),
        "delivery": tr("选择结果领取方式"),
        "review": tr("请核对申请信息"),
        "payment": tr("扫码缴费"),
        "promise": tr("告知承诺书"),
        "supplement": tr("补交材料"),
        "supplement_done": tr("补正已提交"),
        "submitting": tr("正在提交"),
        "receipt": tr("收件回执"),
        "rating": tr("请对本次服务进行评价"),
        "status_query": tr("办件查询"),
        "status_result": tr("办件查询结果"),
        "login": tr("工作人员登录"),
        "staff_menu": tr("工作人员服务"),
        "agent": tr("登记代办人"),
        "manual_id": tr("手工录入申请人证件"),
        "staff_queue": tr("离线队列"),
        "staff_reprint": tr("补打回执"),
        "tech_menu": tr("设备维护"),
    }.get(state, state)


def prompt(key: str) -> str:
    """Voice prompts at the main steps."""
    return {
        "identify": tr("请将身份证放在感应区"),
        "status_query": tr("请放身份证或扫描回执上的二维码"),
        "choose_matter": tr("请选择要办理的事项"),
        "consent": tr("请确认是否授权获取您的信息"),
        "materials": tr("请将材料放在拍摄区"),
        "review": tr("请核对申请信息"),
        "submitting": tr("正在提交，请稍候"),
        "payment": tr("请用手机扫描屏幕上的二维码缴费"),
        "promise": tr("请阅读承诺书，并在屏幕上签名"),
        "payment_paid": tr("缴费成功"),
        "take_receipt": tr("请取走您的回执"),
        "rating": tr("请对本次服务进行评价"),
        "idle_warning": tr("您还在吗？请触摸屏幕继续办理"),
        "face_check": tr("请正对摄像头，按提示眨眼或转头"),
        "face_retry": tr("没有通过，请再试一次"),
        "face_to_staff": tr("请到人工窗口，由工作人员帮您办理"),
        "face_BLINK": tr("请眨一眨眼睛"),
        "face_TURN_LEFT": tr("请慢慢向左转头，再转回来"),
        "face_TURN_RIGHT": tr("请慢慢向右转头，再转回来"),
    }.get(key, "")


def face_prompt(code: str) -> str:
    """What the face camera's picture says to the citizen now (painted on the preview)."""
    return {
        "no_face": tr("请正对摄像头，把脸放进框里"),
        "too_far": tr("请再靠近一点"),
        "too_close": tr("请稍微往后一点"),
        "turn_to_camera": tr("请正对摄像头"),
        "too_dark": tr("光线太暗，请正对屏幕"),
        "too_bright": tr("光线太亮，请稍微侧身避开强光"),
        "blurred": tr("请保持不动"),
        "eyes_closed": tr("请睁开眼睛"),
        "several_faces": tr("请确保画面里只有您一个人"),
        "hold_still": tr("很好，请保持不动"),
        "BLINK": tr("请眨一眨眼睛"),
        "TURN_LEFT": tr("请慢慢向左转头，再转回来"),
        "TURN_RIGHT": tr("请慢慢向右转头，再转回来"),
        "checking": tr("正在比对，请稍候"),
    }.get(code, "")


def face_outcome(status: str, reason: str, left: int) -> str:
    """The face check's result in plain words, with what to do next."""
    if status == "to_staff":
        if reason == "camera_unavailable":
            return tr("人脸核验暂时无法进行。请到人工窗口，由工作人员帮您办理。")
        return tr("人脸核验没有通过。请到人工窗口，由工作人员帮您办理；您的照片不会保存。")
    if status == "unavailable":
        if reason == "camera_unavailable":
            return tr("人脸摄像头暂不可用。您可以跳过人脸核验继续办理，或联系工作人员。")
        return tr("暂时无法比对，请点“再试一次”。")
    if status == "failed":
        why = {
            "NO_MATCH": tr("人脸与身份证不一致。请摘下帽子、口罩和眼镜，正对摄像头。"),
            "NOT_LIVE": tr("没有看到您按提示眨眼或转头。"),
            "NO_FACE": tr("没有看清您的脸，请正对摄像头。"),
        }.get(reason, tr("人脸核验没有通过。"))
        return why + tr("还可以再试 {n} 次。").format(n=left)
    return ""


def message(code: str) -> str:
    """Plain words for a message code, with what to do next."""
    texts = {
        "": "",
        "CARD_LIFTED": tr("身份证被移开了，请把身份证平放在感应区，不要移动"),
        "TIMEOUT": tr("没有读到身份证，请把身份证平放在感应区"),
        "NO_CARD": tr("没有读到身份证，请把身份证平放在感应区"),
        "READ_FAILED": tr("读卡失败，请重新放置身份证"),
        "BAD_CHECKSUM": tr("读卡失败，请重新放置身份证"),
        "BAD_CHECK_DIGIT": tr("这张证件无法识别，请到人工窗口办理"),
        "UNSUPPORTED_CARD": tr("这种证件暂不支持，请到人工窗口办理"),
        "DISCONNECTED": tr("读卡器暂不可用，请联系工作人员，或点“重试”"),
        "qr_unknown": tr("这个二维码不是办件回执，请扫描回执上的二维码"),
        "not_the_applicant": tr("这张身份证不是该办件的申请人，补正需申请人本人办理"),
        "eid_checking": tr("正在核验您的电子身份码，请稍候"),
        "eid_expired": tr("这个电子身份码已过期。请在手机上刷新后重新扫码，或放身份证。"),
        "eid_invalid": tr("这个二维码不是有效的电子身份码。请重新扫码，或放身份证。"),
        "eid_unavailable": tr("暂时无法核验电子身份码。请放身份证，或稍后再扫。"),
        "qr_is_receipt": tr("这是办件回执的二维码，不能用来认证身份。查办件请回首页点“办件查询”；办理业务请放身份证或扫电子身份码。"),
        "qr_is_appointment": tr("这是预约码，不能用来认证身份。请放身份证，或扫描电子身份码。"),
        "qr_not_identity": tr("这个二维码不能用来认证身份。请把身份证放在感应区，或扫描手机上的电子身份码；都没有请找工作人员帮办。"),
        "prefill_failed": tr("暂时无法自动获取您的信息，请手动填写"),
        "form_errors": tr("有几项需要修改，请看标红的提示"),
        "materials_missing": tr("还有必交材料没有拍摄"),
        "choose_delivery": tr("请选择一种领取方式"),
        "choose_rating": tr("请先选择一个评价"),
        "reasons_required": tr("请选择不满意的原因，我们会跟进整改"),
        "submit_failed": tr("提交没有成功，您的材料没有丢失，请点“重试”"),
        "queue_full": tr("终端存储已满，暂时无法收件，请到人工窗口办理"),
        "print_failed": tr("回执打印失败，请点“重新打印”或联系工作人员"),
        "status_failed": tr("暂时无法查询，请稍后再试"),
        "not_found": tr("没有查到办件记录"),
        "capture_failed": tr("没有拍到材料，请重新放置后再拍"),
        "page_limit": tr("这份材料的页数已满，请先删除不要的页再拍"),
        "same_page": tr("这一页已经拍好了，请翻到下一页或换下一份材料"),
        "camera_unavailable": tr("高拍仪暂不可用，请联系工作人员"),
        "blur": tr("照片不清楚，请把材料放平，不要移动"),
        "glare": tr("有反光，请调整材料位置"),
        "no_page": tr("没有找到材料，请把材料放在拍摄区中间"),
        "too_small": tr("材料太小，请放在拍摄区中间"),
        "touches_edge": tr("材料超出拍摄区，请放在中间"),
        "moving": tr("请不要移动材料"),
        "offline": tr("网络暂不可用"),
        "agent_card_read": tr("已读取代办人身份证，请核对并补充联系电话"),
        "applicant_is_agent": tr("这是代办人的证件。请取走，放申请人本人的身份证"),
        "payment_expired": tr("缴费码已过期，没有扣款。请点“重新生成缴费码”"),
        "payment_cancelled": tr("本次缴费已取消，没有扣款。可以重新生成缴费码"),
        "payment_unavailable": tr("暂时无法连接缴费平台，请稍后重试，或到窗口缴费"),
        "payment_unreachable": tr("正在确认缴费结果，网络较慢，请稍候；已付款的不会重复扣款"),
    }
    if code in texts:
        return texts[code]
    if ":" in code:
        return device_problem(code)
    return tr("出现问题，请重试或联系工作人员")


# Message codes that report progress, not a problem: shown in the calm style.
GOOD_NEWS = frozenset({"agent_card_read", "eid_checking"})


def message_style(code: str) -> str:
    return "ok" if code in GOOD_NEWS else "error"


def device_problem(reason: str) -> str:
    """``class:CODE`` → why a service is unavailable, in plain words."""
    device, _, code = reason.partition(":")
    if device == "kiosk":  # taken out of service by a technician
        return tr("本机暂停服务，请到人工窗口办理")
    name = device_class(device)
    return tr("{device}{what}，暂不能办理，请联系工作人员").format(
        device=name, what=fault_word(code) or tr("暂不可用"))


def fault_word(code: str) -> str:
    """A device fault code in a word or two ("" for a code this build has no words for)."""
    return {
        "PAPER_OUT": tr("缺纸"), "COVER_OPEN": tr("机盖打开"), "NOT_CONFIGURED": tr("未配置"),
        "DISCONNECTED": tr("未连接"), "HARDWARE_ERROR": tr("故障"), "OFFLINE": tr("已停用"),
        "STARTING": tr("正在启动"), "TIMEOUT": tr("等待超时"), "DRIVER_ERROR": tr("驱动错误"),
        "DRIVER_MISSING": tr("缺少驱动"), "LIBRARY_MISSING": tr("缺少驱动"),
        "PERMISSION": tr("没有访问权限"), "NOT_RESPONDING": tr("无应答"),
        "NO_RESPONSE": tr("无应答"), "CONNECTION_LOST": tr("连接中断"),
        "NO_DEVICE": tr("未找到设备"), "NOT_INSTALLED": tr("未安装"), "SAM_FAULT": tr("安全模块故障"),
        "PAPER_LOW": tr("纸将用完"), "STATUS_UNKNOWN": tr("状态未知"),
    }.get(code, "")


def print_problem(code: str) -> str:
    """Why the receipt did not print, once the application is already stored: never
    "cannot apply" here, and the way to get the receipt after all."""
    fault = code.partition(":")[2] if ":" in code else code
    what = {"PAPER_OUT": tr("缺纸"), "COVER_OPEN": tr("机盖打开")}.get(fault)
    if what is None:
        return message("print_failed")
    return tr("回执打印机{what}，暂时无法打印。您的申请已保存，请记下上面的编号和查询密码，"
              "或请工作人员补打回执。").format(what=what)


def field_error(code: str, widget: str = "") -> str:
    """The plain words for a field's error code; ``widget`` makes "wrong format" specific."""
    rule, _, limit = code.partition("|")
    if rule in ("type", "pattern", "format"):
        specific = {"number": tr("请输入数字，例如 5000"), "phone": tr("请输入 11 位手机号"),
                    "date": tr("日期格式为 年-月-日，例如 2024-03-01")}.get(widget)
        if specific:
            return specific
    return {
        "required": tr("此项必填"),
        "chars": tr("请不要输入表情符号或特殊字符"),
        "phone": tr("请输入 11 位手机号，或带区号的固定电话"),
        "date": tr("日期格式为 年-月-日，例如 2024-03-01"),
        "minLength": tr("至少 {n} 个字"),
        "maxLength": tr("最多 {n} 个字"),
        "minItems": tr("请至少选择 {n} 项"),
        "maxItems": tr("最多选择 {n} 项"),
        "minimum": tr("不能小于 {n}"),
        "maximum": tr("不能大于 {n}"),
        "exclusiveMinimum": tr("必须大于 {n}"),
        "exclusiveMaximum": tr("必须小于 {n}"),
        "type": tr("格式不对，请检查"),
        "pattern": tr("格式不对，请检查"),
        "format": tr("格式不对，请检查"),
        "enum": tr("请从选项中选择"),
        "cert_no": tr("证件号码不正确，请与证件核对"),
        "name": tr("姓名不正确，请与证件核对"),
        "same_as_agent": tr("申请人不能是代办人本人"),
    }.get(rule, tr("请检查此项")).format(n=limit)


def delivery_mode(mode: str) -> str:
    return {"WINDOW_PICKUP": tr("窗口领取"), "WINDOW": tr("窗口领取"), "EXPRESS": tr("快递送达（免费）"),
            "ELECTRONIC": tr("电子证照（手机查看）")}.get(mode, mode)


def rating_level(level: str) -> str:
    return {"VERY_SATISFIED": tr("非常满意"), "SATISFIED": tr("满意"),
            "BASICALLY_SATISFIED": tr("基本满意"), "DISSATISFIED": tr("不满意"),
            "VERY_DISSATISFIED": tr("非常不满意")}.get(level, level)


def bad_reason(code: str) -> str:
    return {"MORE_THAN_ONE_VISIT": tr("跑了不止一次"), "LONG_WAIT": tr("办理太慢"),
            "POOR_ATTITUDE": tr("服务态度"), "UNCLEAR_GUIDANCE": tr("指南不清楚"),
            "TOO_MANY_MATERIALS": tr("材料太多"), "SYSTEM_PROBLEM": tr("设备不好用"),
            "OTHER": tr("其他")}.get(code, code)


def case_status(status: str) -> str:
    return {
        "RECEIVED_PENDING_SYNC": tr("收件待上传"), "RECEIVED": tr("已收件"),
        "ACCEPTED": tr("已受理"), "NOT_ACCEPTED": tr("不予受理"),
        "SUPPLEMENT_REQUIRED": tr("需补齐补正材料"), "SUPPLEMENT_SUBMITTED": tr("补正已提交"),
        "IN_PROGRESS": tr("办理中"), "SPECIAL_PROCEDURE": tr("特别程序"), "FINISHED": tr("已办结"),
        "VOIDED": tr("已作废"), "RETURNED": tr("已退件"), "DELIVERED": tr("已送达"),
    }.get(status, status)


def data_access_operation(code: str) -> str:
    """数据使用记录: what a staff member did with the application (DataAccessOperation)."""
    return {
        "ASSISTED_FILED": tr("协助您提交申请（帮办）"), "AGENT_FILED": tr("代您提交申请（代办）"),
        "RECEIPT_REPRINTED": tr("补打收件回执"), "QUEUE_RETRIED": tr("重新上传申请"),
        "STATUS_QUERIED": tr("为您查询办件进度"),
    }.get(code, code)


def time_limit(text: str) -> str:
    value, _, unit = text.partition(" ")
    if not value:
        return tr("即办")
    word = {"WORKDAY": tr("个工作日"), "DAY": tr("天"), "NATURAL_DAY": tr("天"),
            "HOUR": tr("小时")}.get(unit, unit)
    return f"{value} {word}"


def login_problem(code: str, detail: str) -> str:
    if not code:
        return ""
    if code == "wrong_pin":
        return tr("密码不正确，还可以再试 {n} 次").format(n=detail or "?")
    if code == "locked":
        return tr("输错次数太多，已锁定，请 {n} 秒后再试").format(n=detail or "?")
    return {"pin_short": tr("密码是 6–12 位数字"),
            "staff_no_short": tr("工号是 5–12 位数字"),
            "role_disabled": tr("本机没有开通这个角色，请联系管理员"),
            "not_permitted": tr("您没有在本大厅以这个角色工作的权限"),
            "directory_unavailable": tr("暂时无法核对工作人员名单（离线过久），请联系管理员"),
            "unknown_staff": tr("工号是 5–12 位数字"),
            "qr_denied": tr("扫码登录未获确认，请重试或改用工号和密码"),
            "qr_expired": tr("二维码已过期，请重新扫码登录"),
            "offline": tr("暂时连不上平台，请改用工号和密码登录")}.get(
        code, tr("暂时无法登录，请稍后再试"))


def device_test_report(report: DeviceTestReport) -> str:
    """What a device test found, in the screen's language (codes: kiosk.device_classes)."""
    f = report.fact
    if report.code == "CARD_READ":
        return tr("读卡成功：{id}").format(id=f("id"))
    if report.code == "FRAME":
        page = tr("找到纸张") if f("page") == "found" else tr("未找到纸张（{reason}）").format(
            reason=f("page"))
        return tr("画面 {size}，{page}").format(size=f("size"), page=page)
    if report.code == "FACE_FRAME":  # the face camera: a face found, and its quality figures
        verdict = tr("可用于比对") if f("usable") == "yes" else tr("不可用（{why}）").format(
            why=f("usable"))
        figures = "".join(f" {k}={f(k)}" for k in ("pose", "sharpness", "exposure", "eyesOpen")
                          if f(k))
        return tr("画面 {size}，{n} 张人脸，{verdict}").format(
            size=f("size"), n=f("faces"), verdict=verdict) + figures
    if report.code == "TEST_PAGE_PRINTED":
        return tr("测试页已打印（{n} 字节）").format(n=f("bytes"))
    if report.code == "CODE_READ":
        return tr("读到条码：{n} 个字符，格式 {format}，类型 {kind}").format(
            n=f("characters"), format=f("format"), kind=f("kind"))
    return str(report)  # a class this build has no words for: its code and facts


def desk_notice(code: str, detail: str = "") -> str:
    """The outcome of a staff or technician operation (codes from kiosk.session.desk)."""
    done = {
        "queue_retry": tr("已重新加入上传队列"), "queue_void": tr("已作废，申请数据已删除"),
        "queue_sync": tr("已开始上传，列表会自动刷新"), "reprint": tr("已补打回执（副本）"),
        "device_test": tr("测试完成"), "set_device_offline": tr("设备状态已更改"),
        "export_diagnostics": tr("诊断包已导出：{d}"), "out_of_service": tr("本机已暂停服务"),
        "in_service": tr("本机已恢复服务"), "set_out_of_service": tr("已保存"),
        "confirm_void": tr("作废后申请数据会被删除，不能恢复。确认请再点一次“作废”。"),
        "confirm_void_attempted": tr("这件申请已尝试上传 {d} 次，平台可能已经收到；作废只删除本机的数据，"
                                     "不能恢复。确认请再点一次“作废”。"),
    }
    if code in done:
        return done[code].format(d=detail)
    if ":" in code:
        return device_problem(code)
    refused = {
        "application_refused": tr("平台已退回这件申请，不能补打回执；请到离线队列查看原因"),
        "application_voided": tr("这件申请已作废，不能补打回执"),
        "unknown_receipt": tr("本机没有保存这张回执"), "unknown_item": tr("队列里没有这件申请"),
        "not_allowed": tr("这件申请现在不能这样处理"), "PAPER_OUT": tr("回执打印机缺纸"),
        "COVER_OPEN": tr("回执打印机机盖打开"), "TIMEOUT": tr("等待超时，没有读到"),
    }
    if code in refused:
        return refused[code]
    text = tr("操作没有成功（{c}）").format(c=code)
    return text + (f"：{detail}" if detail else "")


def queue_state(state: str) -> str:
    return {"pending": tr("待上传"), "sending": tr("发送中"), "delivered": tr("已送达平台"),
            "dead": tr("被平台退回"), "void": tr("已作废")}.get(state, state)


def cert_type(code: str) -> str:
    return {"RESIDENT_ID_CARD": tr("居民身份证"),
            "HK_MACAO_TW_RESIDENCE_PERMIT": tr("港澳台居民居住证"),
            "FOREIGN_PERMANENT_RESIDENCE_ID": tr("外国人永久居留身份证"),
            "HK_MACAO_TRAVEL_PERMIT": tr("港澳居民来往内地通行证"),
            "TAIWAN_TRAVEL_PERMIT": tr("台湾居民来往大陆通行证"),
            "PASSPORT": tr("护照")}.get(code, code)


def agent_kind(code: str) -> str:
    return {"CITIZEN_AGENT": tr("受委托人（亲属等）"), "HALL_STAFF": tr("本厅工作人员")}.get(code, code)


# The device classes' and roles' declared labels (kiosk.device_classes, kiosk.device_roles),
# spelled out for the translation tool, which reads literals only; tests/ui/test_i18n.py
# checks that every declared label is here.
DEVICE_LABELS = (QT_TRANSLATE_NOOP("", "身份证读卡器"), QT_TRANSLATE_NOOP("", "高拍仪"),
                 QT_TRANSLATE_NOOP("", "回执打印机"), QT_TRANSLATE_NOOP("", "扫码器"),
                 QT_TRANSLATE_NOOP("", "人脸摄像头"), QT_TRANSLATE_NOOP("", "文书打印机"))


def device_class(code: str) -> str:
    """A device class's or role's name on screen, from its declaration (kiosk.device_classes,
    kiosk.device_roles). The labels' English is in ui/i18n/en.ts like every other text."""
    role = device_role(code)
    if role is not None:
        return tr(role.label)
    spec = find_device_class(code)
    return tr(spec.label) if spec is not None else code


def availability(code: str, offline: bool = False) -> str:
    if offline:
        return tr("已停用（运维人员停用）")
    return {"READY": tr("正常"), "BUSY": tr("使用中"), "STARTING": tr("正在启动"),
            "DISCONNECTED": tr("未连接"), "HARDWARE_ERROR": tr("故障"),
            "USER_ERROR": tr("需要处理"), "OFFLINE": tr("已停用"),
            "NOT_CONFIGURED": tr("未配置")}.get(code, code)


def required_action(code: str) -> str:
    return {"reset": tr("处理方式：自动复位重试"), "clear": tr("处理方式：现场工作人员处理（加纸、关盖等）"),
            "maintenance": tr("处理方式：需要运维人员维修"),
            "configuration": tr("处理方式：检查配置（kiosk.toml）和连接")}.get(code, code)


def fee_line(item: Any, lang: str) -> str:
    """登记费 80 元/件: one fee of a matter (kiosk.catalog.FeeItem)."""
    from kiosk.catalog import yuan

    unit = "/" + item.unit_in(lang) if item.unit else ""
    return tr("{name} {amount} 元{unit}").format(name=item.name_in(lang),
                                                amount=yuan(item.amount_fen), unit=unit)


def fees_text(matter: Any, lang: str) -> str:
    """All the fees of a matter on one line, or the catalog's words (不收费)."""
    items = matter.fee_items
    if items:
        return "，".join(fee_line(i, lang) for i in items)
    words = matter.text(lang).charge
    return words or tr("不收费")


def amount_text(fen: int) -> str:
    from kiosk.catalog import yuan

    return tr("{amount} 元").format(amount=yuan(fen))
