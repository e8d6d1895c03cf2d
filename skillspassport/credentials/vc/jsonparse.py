"""Reading JSON from strangers, with limits that hold before any work is done.

A credential arrives from anyone on the internet, so the parser refuses, cheaply and with a
reason: more than `max_bytes`, nesting deeper than `max_depth`, a number literal longer than
`max_number_chars`, NaN or Infinity, and a key repeated within an object (a second "proof" must
not hide the first).

The nesting depth and the length of numbers are measured before the JSON is parsed, without
recursion and with C-speed bytes operations (strings blanked out, then a few passes over the
brackets alone). Python's own parser would otherwise recurse once per level and stop with
RecursionError at about a thousand levels, and int() refuses literals over 4,300 digits with a
ValueError.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections import Counter
from itertools import accumulate
from typing import Any

MAX_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_NUMBER_CHARS = 64

# A JSON string, unrolled so that the common case is one tight character-class loop.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_ONE_KIND = bytes.maketrans(b"{}", b"[]")
_STEPS = bytes.maketrans(b"[]", b"\x01\xff")  # +1 and -1 as signed bytes


class InputError(ValueError):
    """The request cannot be read at all (not JSON, too large, duplicated keys).

    `kind` names the problem for a page that explains it in its own words: "not_json",
    "duplicate_key", "too_large", "too_deep" or "number".
    """

    def __init__(self, message: str, *, kind: str = "not_json") -> None:
        super().__init__(message)
        self.kind = kind


class TooComplexError(InputError):
    """The JSON is readable but over a limit (size, nesting depth, length of a number)."""


def parse_json(
    raw: bytes | str,
    *,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    max_number_chars: int = MAX_NUMBER_CHARS,
) -> Any:
    """The parsed JSON; InputError if it is not JSON, TooComplexError if it is over a limit."""
    if len(raw) > max_bytes:
        raise TooComplexError(
            f"The credential is larger than {_size(max_bytes)}.", kind="too_large"
        )
    data = _utf8(raw)
    if len(data) > max_bytes:
        raise TooComplexError(
            f"The credential is larger than {_size(max_bytes)}.", kind="too_large"
        )
    outside_strings = _STRING.sub(b'""', data)
    _check_depth(outside_strings, max_depth)
    _check_number_lengths(outside_strings, max_number_chars)

    def number(kind: type[int] | type[float]) -> Any:
        def parse(literal: str) -> int | float:
            if len(literal) > max_number_chars:
                raise _too_long(len(literal), max_number_chars)
            try:
                value = kind(literal)
            except ValueError as exc:  # int() refuses over 4,300 digits, whatever the limit
                raise TooComplexError(
                    f"The JSON has a number this service cannot read: {exc}", kind="number"
                ) from exc
            if isinstance(value, float) and not math.isfinite(value):
                raise InputError(f"The number {literal} is too large to represent.", kind="number")
            return value

        return parse

    try:
        return json.loads(
            data,
            object_pairs_hook=_no_duplicates,
            parse_int=number(int),
            parse_float=number(float),
            parse_constant=_no_constants,
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"This is not valid JSON: {exc}.") from exc


def _utf8(raw: bytes | str) -> bytes:
    """The document as UTF-8 (JSON may also arrive as UTF-16 or UTF-32, as json.loads allows)."""
    if isinstance(raw, str):
        try:
            return raw.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(f"This is not valid JSON: {exc}.") from exc
    encoding = json.detect_encoding(raw)
    if encoding == "utf-8":
        return raw
    try:
        return raw.decode(encoding).encode("utf-8")
    except UnicodeError as exc:
        raise InputError(f"This is not valid JSON: {exc}.") from exc


def _check_depth(outside_strings: bytes, max_depth: int) -> None:
    """TooComplexError if arrays and objects nest deeper than `max_depth`.

    Brackets inside strings do not count. Deleting every innermost "[]" pair lowers the depth
    of a balanced document by exactly one (and of any other by at most one), so the depth is
    at most the number of such passes plus the deepest point of what is left, found by a
    running sum. Passes run while they halve the text; the running sum finishes the rest.
    """
    brackets = outside_strings.translate(_ONE_KIND, _NOT_BRACKETS)
    if b"[" * (max_depth + 1) in brackets:  # the common deep case, found in one scan
        raise _too_deep(max_depth)
    passes = 0
    while brackets:
        shorter = brackets.replace(b"[]", b"")
        if len(shorter) == len(brackets):
            break  # unbalanced, such as "]][[": the running sum measures it, json refuses it
        halved = len(shorter) * 2 <= len(brackets)
        brackets, passes = shorter, passes + 1
        if passes > max_depth:
            raise _too_deep(max_depth)
        if not halved:
            break
    if brackets and passes + max(accumulate(array("b", brackets.translate(_STEPS)))) > max_depth:
        raise _too_deep(max_depth)


def _check_number_lengths(outside_strings: bytes, max_number_chars: int) -> None:
    """Find an over-long number before parsing, so that nothing is parsed up to it.

    The parse_int and parse_float hooks check each literal again as it is read.
    """
    # Anchored at the start of a run of number characters, so no run is scanned twice.
    long_run = rb"(?<![-+.0-9eE])[-+.0-9eE]{%d}[-+.0-9eE]*" % (max_number_chars + 1)
    found = re.search(long_run, outside_strings)
    if found:
        raise _too_long(len(found[0]), max_number_chars)


def _too_long(length: int, max_number_chars: int) -> TooComplexError:
    return TooComplexError(
        f"The JSON has a number {length:,} characters long; this service reads numbers of "
        f"up to {max_number_chars} characters.",
        kind="number",
    )


def _too_deep(max_depth: int) -> TooComplexError:
    return TooComplexError(
        f"The JSON nests arrays and objects more than {max_depth} levels deep, "
        "which is more than this service reads.",
        kind="too_deep",
    )


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):  # counted only when needed: objects may have many keys
        counts = Counter(key for key, _ in pairs)
        duplicated = sorted(key for key, n in counts.items() if n > 1)
        raise InputError(
            f"The JSON repeats the key(s): {', '.join(duplicated)}.", kind="duplicate_key"
        )
    return result


def _no_constants(name: str) -> Any:
    raise InputError(f"The JSON has {name}, which JSON does not allow.")


def _size(limit: int) -> str:
    if limit % 1_000_000 == 0:
        return f"{limit // 1_000_000} MB"
    if limit % 1_000 == 0:
        return f"{limit // 1_000} kB"
    return f"{limit:,} bytes"
