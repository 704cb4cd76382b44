from kiosk.qr_payload import PayloadKind, classify, receipt_url


def test_receipt_url_round_trips_through_classification() -> None:
    url = receipt_url("0196f0a2-7c1e-7b3a-9d2e-2f6a1b3c4d5e", "K7Q2M9")
    got = classify(url)
    assert got.kind is PayloadKind.RECEIPT
    assert got.ref == "0196f0a2-7c1e-7b3a-9d2e-2f6a1b3c4d5e" and got.password == "K7Q2M9"


def test_receipt_url_without_password_is_not_a_receipt() -> None:
    assert classify("https://zwfw.example.gov.cn/uap/q/ABCDEF123").kind is PayloadKind.OTHER


def test_appointment_code_plain_and_in_url() -> None:
    assert classify("YY202611220001").kind is PayloadKind.APPOINTMENT
    assert classify("https://book.example.gov.cn/appt/YY202611220001").ref == "YY202611220001"


def test_arbitrary_text_is_other() -> None:
    assert classify("hello 你好").kind is PayloadKind.OTHER


def test_a_malformed_url_is_other_not_an_exception() -> None:
    for text in ("http://[x/q/abcdef?pw=1234", "https://[::1/q/x?pw=1", "http://a:99999999/"):
        assert classify(text).kind is PayloadKind.OTHER
