"""Stable completion codes of the ID-card reader and the SAM status byte (SW3) table.

Codes are part of the interface: the UI and the CLI switch on them, logs count them.
SW3 meanings: research/devices.md §1.5 (libzhouyb ``ISdtApi.h``, HslCommunication).
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.status import RequiredAction

# Codec / stream errors
CHECKSUM = "CHECKSUM"  # XOR checksum of a frame does not match
TRUNCATED = "TRUNCATED"  # the bytes end inside a frame
BAD_LENGTH = "BAD_LENGTH"  # absurd length field
NO_FRAME = "NO_FRAME"  # no preamble anywhere in the input
BAD_FRAME = "BAD_FRAME"  # a frame whose body does not fit its kind (e.g. read answer too short)
# Card content errors
BAD_CHECK_DIGIT = "BAD_CHECK_DIGIT"  # GB 11643 MOD 11-2 check digit wrong
BAD_FIELD = "BAD_FIELD"  # a date or number field that cannot be what the card says
UNKNOWN_CARD_TYPE = "UNKNOWN_CARD_TYPE"
# SAM / card outcomes
NO_CARD = "NO_CARD"
SELECT_FAILED = "SELECT_FAILED"
READ_FAILED = "READ_FAILED"
CARD_LIFTED = "CARD_LIFTED"
AUTH_FAILED = "AUTH_FAILED"
NO_CONTENT = "NO_CONTENT"  # SW3 91: e.g. no added address / no fingerprint on the card
SAM_FAULT = "SAM_FAULT"
SAM_REJECTED = "SAM_REJECTED"  # the SAM refused our frame (checksum/length/command)
# Link / operation outcomes
TIMEOUT = "TIMEOUT"
NOT_RESPONDING = "NOT_RESPONDING"
DISCONNECTED = "DISCONNECTED"
CANCELLED = "CANCELLED"
NOT_OPEN = "NOT_OPEN"
PERMISSION = "PERMISSION"
BUSY = "BUSY"


@dataclass(frozen=True)
class Sw3:
    code: str  # "" for success
    meaning: str  # the standard's wording (Chinese) for logs and doctor
    message: str  # plain language for staff
    action: RequiredAction


SW3_OK = 0x90
SW3_FOUND = 0x9F

SW3_TABLE: dict[int, Sw3] = {
    0x90: Sw3("", "操作成功", "success", RequiredAction.NONE),
    0x9F: Sw3("", "寻找证/卡成功", "card found", RequiredAction.NONE),
    0x91: Sw3(NO_CONTENT, "证/卡中此项无内容", "the card has no such item", RequiredAction.NONE),
    0x10: Sw3(SAM_REJECTED, "接收业务终端数据的校验和错", "reader rejected a frame checksum",
              RequiredAction.RESET),
    0x11: Sw3(SAM_REJECTED, "接收业务终端数据的长度错", "reader rejected a frame length",
              RequiredAction.RESET),
    0x21: Sw3(SAM_REJECTED, "接收业务终端的命令错误", "reader rejected the command",
              RequiredAction.RESET),
    0x23: Sw3(SAM_REJECTED, "越权操作", "operation not permitted by the SAM",
              RequiredAction.MAINTENANCE),
    0x24: Sw3(SAM_FAULT, "无法识别的错误", "unrecognised reader error", RequiredAction.RESET),
    0x31: Sw3(AUTH_FAILED, "证/卡认证SAM失败", "card could not authenticate the reader",
              RequiredAction.NONE),
    0x32: Sw3(AUTH_FAILED, "SAM认证证/卡失败", "reader could not authenticate the card",
              RequiredAction.NONE),
    0x33: Sw3(AUTH_FAILED, "信息验证失败", "card information failed verification",
              RequiredAction.NONE),
    0x40: Sw3(UNKNOWN_CARD_TYPE, "无法识别的卡类型", "not an identity card the reader knows",
              RequiredAction.NONE),
    0x41: Sw3(READ_FAILED, "读证/卡操作失败", "reading the card failed (card moved?)",
              RequiredAction.NONE),
    0x47: Sw3(SAM_FAULT, "取随机数失败", "reader security module failed (random number)",
              RequiredAction.MAINTENANCE),
    0x60: Sw3(SAM_FAULT, "SAM自检失败，不能接收命令", "reader security module failed its self-test",
              RequiredAction.MAINTENANCE),
    0x66: Sw3(SAM_FAULT, "SAM未经授权，无法使用", "reader security module is not authorised",
              RequiredAction.MAINTENANCE),
    0x80: Sw3(NO_CARD, "寻找证/卡失败", "no card on the reader", RequiredAction.NONE),
    0x81: Sw3(SELECT_FAILED, "选取证/卡失败", "card could not be selected", RequiredAction.NONE),
}


def sw3_info(sw3: int) -> Sw3:
    return SW3_TABLE.get(sw3, Sw3(SAM_FAULT, "未知状态", f"unknown reader status 0x{sw3:02X}",
                                  RequiredAction.MAINTENANCE))
