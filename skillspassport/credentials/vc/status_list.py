"""Bitstring Status List v1.0: a GZIP-compressed bitstring, multibase base64url encoded."""

from __future__ import annotations

import base64
import gzip

MIN_BITS = 131_072  # the specification's minimum, for group privacy
STATUS_PURPOSES = ("revocation", "suspension")


class StatusListError(ValueError):
    pass


def new_bitstring(bits: int = MIN_BITS) -> bytearray:
    return bytearray((max(bits, MIN_BITS) + 7) // 8)


def encode(bitstring: bytes | bytearray) -> str:
    compressed = gzip.compress(bytes(bitstring), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusListError("encodedList must be multibase base64url (starting with 'u').")
    body = encoded[1:]
    try:
        return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, OSError, EOFError) as exc:
        raise StatusListError("encodedList is not a GZIP-compressed bitstring.") from exc


def bit_is_set(bitstring: bytes | bytearray, index: int) -> bool:
    """Bit `index`, counting from the left-most bit of the first byte (as the spec requires)."""
    if not 0 <= index < len(bitstring) * 8:
        raise StatusListError(f"Status index {index} is outside the list.")
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def set_bit(bitstring: bytearray, index: int, value: bool) -> None:
    if not 0 <= index < len(bitstring) * 8:
        raise StatusListError(f"Status index {index} is outside the list.")
    if value:
        bitstring[index // 8] |= 0x80 >> (index % 8)
    else:
        bitstring[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF
