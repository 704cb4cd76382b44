"""Chinese identity-card reader (GA 467 SAM serial protocol): codec, stream decoder, text
block of all four card kinds, driver, pty simulator. Public names below."""

from devices.idcard.driver import IdCardReader
from devices.idcard.simulator import IdCardSimulator
from devices.idcard.types import LONG_TERM, CardType, IdCard, Photo

__all__ = ["LONG_TERM", "CardType", "IdCard", "IdCardReader", "IdCardSimulator", "Photo"]
