"""UK postcode validation and normalisation. Pure functions, no Django."""

from __future__ import annotations

import re

# The shapes of a UK postcode's outward code, plus the inward code (digit + two letters).
# Based on the published format rules (outward: A9, A99, AA9, AA99, A9A, AA9A); inward letters
# never include C, I, K, M, O or V.
_POSTCODE = re.compile(
    r"^(?P<outward>[A-PR-UWYZ](?:[0-9][0-9A-HJKMNPR-Y]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?))"
    r"(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})$"
)
_SPECIAL = {"GIR0AA"}


def normalise_postcode(value: str) -> str | None:
    """Return the postcode in its standard form ('L20 3AB'), or None if it is not valid.

    >>> normalise_postcode(" l203ab ")
    'L20 3AB'
    >>> normalise_postcode("not a postcode") is None
    True
    """
    compact = re.sub(r"\s+", "", value or "").upper()
    if compact in _SPECIAL:
        return "GIR 0AA"
    match = _POSTCODE.match(compact)
    if not match:
        return None
    return f"{match['outward']} {match['inward']}"
