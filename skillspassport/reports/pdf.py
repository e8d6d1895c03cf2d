"""The monitoring report as an A4 PDF for committee papers (ReportLab): a title page, a table
of contents, a section per recommendation, equality monitoring and residents by ward, with
page numbers on every page."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

RAG_COLOURS = {"green": "#00703c", "amber": "#b58840", "red": "#d4351c"}
RAG_WORDS = {
    "green": "Green",
    "amber": "Amber",
    "red": "Red",
    "unavailable": "Not available",
    "": "No target",
}


class _Document(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, title: str) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=title,
            author="Skills Passport",
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])
        self._title = title

    def _footer(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(20 * mm, 10 * mm, self._title)
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 - ReportLab's hook name
        if isinstance(flowable, Paragraph) and flowable.style.name in ("Heading1", "Heading2"):
            level = 0 if flowable.style.name == "Heading1" else 1
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page))


def _value(value: Any) -> str:
    if value is None:
        return "Not available"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def render(
    contents: dict[str, Any], narratives: dict[str, str], version: int, status: str
) -> bytes:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    title = (
        f"{contents['council']}: Skills Passport monitoring report, {contents['period']['label']}"
    )
    buffer = io.BytesIO()
    doc = _Document(buffer, f"{title} · version {version}, {status}")
    story: list[Any] = [
        Paragraph(contents["council"], styles["Title"]),
        Paragraph(
            "Digital Skills Passport and digital inclusion",
            ParagraphStyle("subtitle", parent=styles["Heading3"], fontSize=14, leading=18),
        ),
        Paragraph(f"Six-monthly monitoring report: {contents['period']['label']}", body),
        Paragraph(
            f"Version {version} ({status}). Figures computed from the service's records on "
            f"{contents['computed_at'][:10]}. Counts from 1 to 4 are shown as 'fewer than 5', "
            "with others hidden where needed so that none can be worked out from the totals.",
            body,
        ),
        Spacer(1, 8 * mm),
        Paragraph("Contents", styles["Heading3"]),
    ]
    toc = TableOfContents()
    toc.levelStyles = [
        ParagraphStyle("toc1", fontSize=10, leading=14),
        ParagraphStyle("toc2", fontSize=9, leading=12, leftIndent=10 * mm),
    ]
    story += [toc, PageBreak()]
    for recommendation in contents["recommendations"]:
        story.append(
            Paragraph(f"{recommendation['code']}. {recommendation['title']}", styles["Heading1"])
        )
        text = narratives.get(recommendation["code"], "").strip()
        story.append(Paragraph(text or "No progress narrative has been written.", body))
        rows = [["Measure", "This period", "Target", "Status", "Previous three periods"]]
        for kpi in recommendation["kpis"]:
            trend = ", ".join(
                "n/a" if t["value"] is None else _value(t["value"]) for t in kpi["trend"][:-1]
            )
            rows.append(
                [
                    Paragraph(kpi["label"], small),
                    _value(kpi["value"]),
                    _value(kpi["target"]) if kpi["target"] is not None else "-",
                    RAG_WORDS[kpi["rag"]],
                    Paragraph(trend, small),
                ]
            )
        table = _table(rows, [62 * mm, 22 * mm, 18 * mm, 22 * mm, 46 * mm])
        for i, kpi in enumerate(recommendation["kpis"], start=1):
            if kpi["rag"] in RAG_COLOURS:
                table.setStyle(
                    TableStyle(
                        [("TEXTCOLOR", (3, i), (3, i), colors.HexColor(RAG_COLOURS[kpi["rag"]]))]
                    )
                )
        story += [Spacer(1, 3 * mm), table, Spacer(1, 6 * mm)]
    story += [PageBreak(), Paragraph("Equality monitoring", styles["Heading1"])]
    census = contents.get("census", {})
    story.append(
        Paragraph(
            "Residents supported in the period, by each protected characteristic they chose to "
            "answer. 'Prefer not to say' and 'Not recorded' are shown. For comparison, Census "
            f"2021: {census.get('prop_disabled') or '-'}% of the council area's residents are "
            f"disabled under the Equality Act, and {census.get('prop_65_plus') or '-'}% are aged "
            "65 or over.",
            body,
        )
    )
    for section in contents["equality"]:
        story.append(Paragraph(section["question"], styles["Heading2"]))
        rows = [["Answer", "Residents", "Share"]] + [
            [r["label"], str(r["count"]), "-" if r["share"] is None else f"{r['share']}%"]
            for r in section["rows"]
        ]
        story.append(_table(rows, [110 * mm, 30 * mm, 30 * mm]))
    story.append(Paragraph("Age", styles["Heading2"]))
    rows = [["Age on the last day of the period", "Residents", "Share"]] + [
        [r["label"], str(r["count"]), "-" if r["share"] is None else f"{r['share']}%"]
        for r in contents["ages"]
    ]
    story.append(_table(rows, [110 * mm, 30 * mm, 30 * mm]))
    story += [PageBreak(), Paragraph("Residents supported by ward", styles["Heading1"])]
    rows = [["Ward", "Residents", "Share"]] + [
        [r["label"], str(r["count"]), "-" if r["share"] is None else f"{r['share']}%"]
        for r in contents["wards"]
    ]
    story.append(_table(rows, [110 * mm, 30 * mm, 30 * mm]))
    doc.multiBuild(story)
    return buffer.getvalue()
