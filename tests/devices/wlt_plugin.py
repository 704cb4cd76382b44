"""A stand-in vendor WLT decoder, loaded through the real plug-in point
(``photo_decoder = "tests.devices.wlt_plugin:decoder"``). It returns a blank BMP of the real
size; a real adapter would call libwlt2bmp."""

from __future__ import annotations

from devices.idcard.photo import BMP_SIZE


class _BlankDecoder:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def decode(self, wlt: bytes, sam_id: str) -> bytes | None:
        self.calls.append(sam_id)
        return b"BM" + bytes(BMP_SIZE - 2) if wlt.startswith(b"WLf") else None


def decoder() -> _BlankDecoder:
    return _BlankDecoder()


def broken() -> object:
    raise OSError("libwlt2bmp.so: cannot open shared object file")
