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


# --- Every export the service writes, downloaded with hostile text in it -------------------

FORMULAS = ['=HYPERLINK("http://x")', "-SUM(A:A)", "+1", "@A1"]


def _live_formulas(cells):
    """Cells a spreadsheet would run: text that starts like a formula and is not a number."""
    live = []
    for cell in cells:
        if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            try:
                float(cell)
            except ValueError:
                live.append(cell)
    return live


def _csv_cells(response):
    import csv
    import io

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]


def _xlsx_cells(response):
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]


@pytest.fixture
def hostile_scheme(council, staff):
    """Sefton's slice of area data and residents whose names and places read as formulas."""
    from skillspassport.areas.models import Ward
    from skillspassport.people.services import consent_give
    from skillspassport.people.tests.factories import ResidentFactory
    from skillspassport.targeting.models import AreaGeography
    from skillspassport.targeting.services import shipped_slice_load

    council.local_authority_code = "E08000014"
    council.save()
    shipped_slice_load()
    AreaGeography.objects.filter(code="E01007009").update(name=FORMULAS[3], ward_name=FORMULAS[0])
    Ward.objects.filter(code="E05000942").update(name=FORMULAS[0])
    for n in range(6):
        resident = ResidentFactory(
            organisation=council,
            user=staff["adviser"],
            postcode="L20 1AD",
            first_name=FORMULAS[n % 4],
            last_name=FORMULAS[(n + 1) % 4],
        )
        consent_give(
            user=staff["adviser"], resident=resident, purpose="contact", lawful_basis="consent"
        )
    return council


def test_no_export_holds_a_live_formula(client, staff, hostile_scheme):
    from django.urls import reverse
    from django.utils import timezone

    from skillspassport.reports import kpis
    from skillspassport.reports.services import report_create
    from skillspassport.targeting.models import TargetingPlan

    client.force_login(staff["administrator"])
    page = reverse("targeting:page")
    ranking_csv = _csv_cells(client.get(page, {"preset": "imd", "format": "csv"}))
    ranking_xlsx = _xlsx_cells(client.get(page, {"preset": "imd", "format": "xlsx"}))
    client.post(
        reverse("targeting:plan-create"),
        {
            "preset": "employment",
            "base": "council",
            "area": ["E01007009"],
            "name": "=Bootle outreach",
            "rationale": "-Highest need",
        },
    )
    plan = TargetingPlan.objects.get()
    outreach = _csv_cells(client.get(reverse("targeting:plan", args=[plan.pk]), {"format": "csv"}))
    period = kpis.Period.containing(timezone.localdate())
    report = report_create(council=hostile_scheme, period=period, user=staff["administrator"])
    report_csv = _csv_cells(client.get(reverse("reports:csv", args=[report.pk])))
    report_xlsx = _xlsx_cells(client.get(reverse("reports:xlsx", args=[report.pk])))
    exports = {
        "ranking CSV": ranking_csv,
        "ranking XLSX": ranking_xlsx,
        "outreach CSV": outreach,
        "report CSV": report_csv,
        "report XLSX": report_xlsx,
    }
    # The hostile text is there, made inert, so the check can fail.
    assert "'" + FORMULAS[3] in ranking_csv
    assert "'" + FORMULAS[3] in ranking_xlsx
    assert any(cell.startswith("'-SUM(A:A)") for cell in outreach)
    assert "'" + FORMULAS[0] in report_csv
    assert "'" + FORMULAS[0] in report_xlsx
    for name, cells in exports.items():
        assert _live_formulas(cells) == [], name


def test_every_csv_and_workbook_is_written_through_the_safe_helpers():
    """A new export cannot bypass the helpers: csv.writer and Workbook only with safe_row."""
    from pathlib import Path

    package = Path(__file__).resolve().parents[2]
    writers = []
    for path in sorted(package.rglob("*.py")):
        if "tests" in path.parts or path.name == "exports.py":
            continue
        text = path.read_text()
        if "csv.writer(" in text or "csv.DictWriter(" in text:
            writers.append(str(path.relative_to(package)))
        if "openpyxl" in text and "safe_row" not in text:
            writers.append(str(path.relative_to(package)))
    assert writers == [], "write CSV with core.exports.csv_writer and XLSX rows with safe_row"
