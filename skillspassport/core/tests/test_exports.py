import pytest

from skillspassport.core.exports import safe_cell, safe_row


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "-SUM(A:A)", "+1+1", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_text_a_spreadsheet_would_run_is_made_inert(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_text_and_numbers_are_unchanged():
    assert safe_row(["Jo Smith", "L20 1AA", 42, -3, 1.5, None, ""]) == [
        "Jo Smith",
        "L20 1AA",
        42,
        -3,
        1.5,
        None,
        "",
    ]
