"""统一公共支付: the fee, paid on the citizen's phone by scanning a QR code.

The machine makes the order and polls it on a worker (never on the GUI thread); this screen
shows the fees, the total, the pay QR and the time left, and what to do when the order
expired or the platform cannot be reached. Paid, the application is sent by itself."""

from __future__ import annotations

import io

from kiosk.catalog import yuan
from kiosk.session import Action, SessionMachine
from ui.i18n import tr
from ui.screens.base import Screen
from ui.texts import amount_text, fee_line, message
from ui.view import Busy, Button, Image, Label, Node, Panel


def pay_qr_png(url: str) -> bytes:
    import segno

    buf = io.BytesIO()
    segno.make_qr(url, error="m").save(buf, kind="png", scale=6, border=2)
    return buf.getvalue()


class PaymentScreen(Screen):
    nav_next = False  # paid, the kiosk goes on by itself

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self._qr: tuple[str, bytes] = ("", b"")

    def wipe(self) -> None:
        super().wipe()
        self._qr = ("", b"")

    def body(self, m: SessionMachine) -> list[Node]:
        matter, d = m.matter, m.data
        if matter is None:
            return []
        fees = [Label(fee_line(item, m.language), key=f"fee:{i}")
                for i, item in enumerate(matter.fee_items)]
        fees.append(Label(tr("合计：{amount}").format(amount=amount_text(matter.fee_fen)),
                          "title", key="total"))
        out: list[Node] = [Panel(*fees, key="fees")]
        pay = d.payment
        pending = m.payment_pending()
        if pay is None and not d.payment_error:
            out += [Busy(), Label(tr("正在生成缴费二维码…"), "hint", key="making")]
        if pending and pay is not None:
            url = str(pay.get("payUrl", ""))
            if self._qr[0] != url:  # made once per order
                self._qr = (url, pay_qr_png(url))
            left = m.payment_left() or 0
            side = [Label(tr("请用手机扫描二维码缴费（支付宝、微信或银行App均可）"), key="how"),
                    Label(tr("缴费金额：{amount}").format(
                        amount=tr("{amount} 元").format(amount=yuan(int(pay["amountFen"])))),
                        key="amount"),
                    Label(tr("二维码有效时间还剩 {m} 分 {s} 秒").format(m=left // 60, s=left % 60),
                          "hint", key="left"),
                    Label(tr("付款成功后本机自动提交申请，请不要离开"), "hint", key="auto")]
            # The code above its words (a row of both needed more than a portrait 大字版 has).
            out.append(Image(self._qr[1], key="qr", name="pay-qr"))
            out.append(Panel(*side, key="side"))
        if d.payment_error:
            out.append(Label(message(d.payment_error), "error", key="error"))
            if not pending:
                out.append(Button(tr("重新生成缴费码"), Action.RETRY, primary=True))
        if matter.pay_later_allowed:
            out.append(Label(tr("也可以先提交申请，领取结果前到窗口缴费。"), "hint",
                             key="later-note"))
            out.append(Button(tr("到窗口缴费"), Action.PAY_LATER))
        return out
