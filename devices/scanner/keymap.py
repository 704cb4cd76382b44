"""Key events of a keyboard-wedge scanner → the bytes it meant.

Linux key codes (``input-event-codes.h``, a stable ABI) with a US layout, Shift and Caps
Lock; Enter (or Tab) ends a code. Non-ASCII arrives as Alt + keypad digits: the Chinese
Windows convention sends the GBK code as a decimal number (Alt+45217 = 0xB0A1 = 啊), values
up to 255 are single bytes. The result is raw bytes, decoded later (UTF-8, else GB18030).
"""

from __future__ import annotations

from dataclasses import dataclass, field

KEY_ENTER, KEY_KPENTER, KEY_TAB = 28, 96, 15
SHIFTS = {42, 54}  # LEFTSHIFT, RIGHTSHIFT
ALTS = {56, 100}  # LEFTALT, RIGHTALT
KEY_CAPSLOCK = 58
KEYPAD_DIGITS = {82: "0", 79: "1", 80: "2", 81: "3", 75: "4", 76: "5", 77: "6", 71: "7",
                 72: "8", 73: "9"}

# code: (plain, shifted) for a US keyboard
US_LAYOUT: dict[int, tuple[str, str]] = {
    2: ("1", "!"), 3: ("2", "@"), 4: ("3", "#"), 5: ("4", "$"), 6: ("5", "%"), 7: ("6", "^"),
    8: ("7", "&"), 9: ("8", "*"), 10: ("9", "("), 11: ("0", ")"), 12: ("-", "_"),
    13: ("=", "+"), 26: ("[", "{"), 27: ("]", "}"), 39: (";", ":"), 40: ("'", '"'),
    41: ("`", "~"), 43: ("\\", "|"), 51: (",", "<"), 52: (".", ">"), 53: ("/", "?"),
    57: (" ", " "), 55: ("*", "*"), 74: ("-", "-"), 78: ("+", "+"), 83: (".", "."),
    98: ("/", "/"),
}
for _code, _ch in zip(list(range(16, 26)) + list(range(30, 39)) + list(range(44, 51)),
                      "qwertyuiopasdfghjklzxcvbnm", strict=True):
    US_LAYOUT[_code] = (_ch, _ch.upper())
LAYOUTS = {"us": US_LAYOUT}

KEY_UP, KEY_DOWN, KEY_REPEAT = 0, 1, 2


@dataclass
class KeyDecoder:
    layout: dict[int, tuple[str, str]] = field(default_factory=lambda: US_LAYOUT)
    terminators: frozenset[int] = frozenset({KEY_ENTER, KEY_KPENTER})
    _buf: bytearray = field(default_factory=bytearray)
    _shift: int = 0
    _caps: bool = False
    _alt: int = 0
    _alt_digits: str = ""
    unknown_keys: int = 0  # keys we could not map (diagnostics: wrong layout?)

    def feed(self, code: int, value: int) -> bytes | None:
        """One EV_KEY event (value 1 down, 0 up, 2 repeat). Returns a finished code's bytes."""
        if code in SHIFTS:
            self._shift = max(0, self._shift + (1 if value == KEY_DOWN else -1 if value == KEY_UP else 0))
            return None
        if code in ALTS:
            if value == KEY_DOWN:
                self._alt += 1
            elif value == KEY_UP:
                self._alt = max(0, self._alt - 1)
                if not self._alt and self._alt_digits:
                    n = int(self._alt_digits)
                    self._alt_digits = ""
                    self._buf += bytes([n]) if n < 256 else n.to_bytes(2, "big")[-2:]
            return None
        if value != KEY_DOWN:
            return None
        if code == KEY_CAPSLOCK:
            self._caps = not self._caps
            return None
        if self._alt and code in KEYPAD_DIGITS:
            self._alt_digits += KEYPAD_DIGITS[code]
            return None
        if code in self.terminators:
            raw, self._buf = bytes(self._buf), bytearray()
            return raw if raw else None
        chars = self.layout.get(code)
        if chars is None:
            self.unknown_keys += 1
            return None
        plain, shifted = chars
        upper = bool(self._shift) != (self._caps and plain.isalpha())
        self._buf += (shifted if upper else plain).encode("ascii")
        return None

    def reset(self) -> None:
        self._buf.clear()
        self._alt_digits = ""


def key_events_for(text: str, layout: dict[int, tuple[str, str]] = US_LAYOUT
                   ) -> list[tuple[int, int]]:
    """The (code, value) events a US-layout wedge scanner types for ASCII ``text`` + Enter
    (test fixture and simulator helper); non-ASCII characters go as Alt+GBK decimal."""
    reverse: dict[str, tuple[int, bool]] = {}
    for code, (plain, shifted) in layout.items():
        reverse.setdefault(plain, (code, False))
        reverse.setdefault(shifted, (code, True))
    digits = {v: k for k, v in KEYPAD_DIGITS.items()}
    events: list[tuple[int, int]] = []
    for ch in text:
        if ch in reverse:
            code, shift = reverse[ch]
            if shift:
                events.append((42, KEY_DOWN))
            events += [(code, KEY_DOWN), (code, KEY_UP)]
            if shift:
                events.append((42, KEY_UP))
        else:
            events.append((56, KEY_DOWN))
            for d in str(int.from_bytes(ch.encode("gb18030"), "big")):
                events += [(digits[d], KEY_DOWN), (digits[d], KEY_UP)]
            events.append((56, KEY_UP))
    return events + [(KEY_ENTER, KEY_DOWN), (KEY_ENTER, KEY_UP)]
