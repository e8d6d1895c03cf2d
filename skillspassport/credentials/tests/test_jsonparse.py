"""Reading JSON with limits: each limit is refused quickly, with a reason, before parsing."""

from __future__ import annotations

import time

import pytest

from skillspassport.credentials.vc.jsonparse import InputError, TooComplexError, parse_json

MB = 1_000_000
# Refusing a megabyte takes about 30 ms on a quiet machine (the aim is under 50 ms); the
# tests allow more so that a busy machine does not fail them. A parser that recursed or
# went quadratic would take seconds, or raise RecursionError.
MEGABYTE_BUDGET = 0.2


def refused_quickly(raw, error=TooComplexError, match=None, **limits):
    """The best of three timings (seconds) of refusing `raw`, so a busy machine does not count."""
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        with pytest.raises(error, match=match):
            parse_json(raw, **limits)
        timings.append(time.perf_counter() - started)
    return min(timings)


def test_a_credential_parses_as_plain_json():
    assert parse_json('{"a": [1, 2.5, "x", {"b": null}], "c": true}') == {
        "a": [1, 2.5, "x", {"b": None}],
        "c": True,
    }


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 5_000 + b"]" * 5_000,
        b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
        b"[" * 5_000,  # never closed
        b"[" * (MB // 2) + b"]" * (MB // 2),
        b"[[]" * (MB // 3 - 1),  # one level deeper every three bytes, no long run of "["
    ],
    ids=["5000-deep-arrays", "5000-deep-objects", "unclosed", "1MB-deep", "staircase"],
)
def test_deep_nesting_is_too_complex_not_a_recursion_error(raw):
    assert refused_quickly(raw, match="more than 64 levels deep") < MEGABYTE_BUDGET


def test_depth_is_counted_exactly_at_the_limit():
    assert parse_json("[" * 64 + "]" * 64) is not None
    assert parse_json('{"a":' * 63 + "[1]" + "}" * 63) is not None
    with pytest.raises(TooComplexError):
        parse_json("[" * 65 + "]" * 65)
    with pytest.raises(TooComplexError):
        parse_json('{"a":' * 64 + "[1]" + "}" * 64)
    assert parse_json("[" * 3 + "]" * 3, max_depth=3) == [[[]]]
    with pytest.raises(TooComplexError):
        parse_json("[" * 4 + "]" * 4, max_depth=3)


def test_a_deep_point_after_a_megabyte_of_shallow_nesting_is_found_quickly():
    shallow = b",".join([b"[" * 63 + b"]" * 63] * 7_000)
    raw = b"[" + shallow + b"," + b"[" * 64 + b"]" * 64 + b"]"
    assert len(raw) > 850_000
    assert refused_quickly(raw, match="levels deep") < MEGABYTE_BUDGET


def test_brackets_inside_strings_do_not_count():
    text = '["' + "[" * 5_000 + '", "\\"[[[", {"k{": "}}}"}]'
    assert parse_json(text) == ["[" * 5_000, '"[[[', {"k{": "}}}"}]


def test_long_numbers_are_too_complex_and_never_reach_int():
    assert refused_quickly(b"[" + b"9" * 5_000 + b"]", match="5,000 characters long") < 0.05
    assert refused_quickly(b'{"n": 1.' + b"5" * 5_000 + b"}", match="characters long") < 0.05
    many = b",".join([b"12345"] * (MB // 6 - 20))
    assert (
        refused_quickly(b"[" + many + b"," + b"9" * 65 + b"]", match="65 characters")
        < MEGABYTE_BUDGET
    )
    assert parse_json("[" + "9" * 64 + "]") == [int("9" * 64)]
    # A limit above int()'s own 4,300 digits still gives TooComplexError, not ValueError.
    with pytest.raises(TooComplexError):
        parse_json("[" + "9" * 5_000 + "]", max_number_chars=10_000)


def test_digits_inside_strings_are_not_numbers():
    assert parse_json('["' + "9" * 5_000 + '"]') == ["9" * 5_000]


def test_too_large_is_refused_before_reading():
    assert refused_quickly(b" " * (MB + 1), match="larger than 1 MB") < 0.05
    utf8_too_large = "é" * 600_000  # 600,000 characters, 1.2 MB as UTF-8
    assert refused_quickly(utf8_too_large, match="larger than 1 MB") < MEGABYTE_BUDGET
    with pytest.raises(TooComplexError, match="larger than 2 kB"):
        parse_json(b" " * 2_001, max_bytes=2_000)


@pytest.mark.parametrize("raw", ["[NaN]", "[Infinity]", '{"a": -Infinity}'])
def test_nan_and_infinity_are_refused(raw):
    with pytest.raises(InputError, match="which JSON does not allow"):
        parse_json(raw)


def test_a_number_too_large_for_a_float_is_refused():
    with pytest.raises(InputError, match="too large to represent"):
        parse_json("[1e400]")


def test_repeated_keys_are_named_even_in_a_large_object():
    raw = "{" + ",".join(f'"k{i}": {i}' for i in range(50_000)) + ', "k7": 0, "proof": 1}'
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"repeats the key\(s\): k7\.") as caught:
        parse_json(raw)
    assert not isinstance(caught.value, TooComplexError)
    assert time.perf_counter() - started < 0.5


def test_utf16_json_is_read_like_json_loads_reads_it():
    assert parse_json('{"a": "é"}'.encode("utf-16")) == {"a": "é"}
