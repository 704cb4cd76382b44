"""QR/barcode scanners: serial (CDC) line reader, evdev keyboard-wedge with grab, decoding
from camera frames (zxing-cpp), a pty scanner simulator. Payloads: UTF-8, else GB18030."""

from devices.scanner.decode import decode_frame
from devices.scanner.payload import decode_payload
from devices.scanner.types import DecodedCode, ScannedCode

__all__ = ["DecodedCode", "ScannedCode", "decode_frame", "decode_payload"]
