"""CSV and XLSX downloads of exactly what a report shows, streamed.

CSV is UTF-8 with a BOM (Excel then reads it correctly). Every text cell, the header
included, goes through `core.cells.neutralise` (a spreadsheet must never take a typed name
for a formula); the rows the database formats itself were neutralised there by
`neutralise_sql`. XLSX is written by `core.xlsx` (one string per row, straight to a zip on a
temporary file), so rows go to the file as they come and memory stays flat.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context

from lms.core import xlsx
from lms.core.cells import neutralise

__all__ = ["csv_response", "csv_text_response", "neutralise", "xlsx_response"]


def _safe(row) -> list:
    return [neutralise(v) for v in row]


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> Response:
    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(_safe(header))
        batch = []
        for row in rows:
            batch.append(_safe(row))
            if len(batch) == 2000:
                writer.writerows(batch)
                batch.clear()
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        writer.writerows(batch)
        yield buffer.getvalue()

    # The rows are read from the database while the response streams.
    return Response(stream_with_context(generate()), content_type="text/csv; charset=utf-8",
                    headers=_disposition(filename + ".csv"))


def csv_text_response(filename: str, header: list[str], chunks: Iterable[str]) -> Response:
    """CSV whose body the database formatted (neutralised there): BOM, header, chunks."""
    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(_safe(header))
        yield "\ufeff" + buffer.getvalue()
        yield from chunks

    return Response(stream_with_context(generate()), content_type="text/csv; charset=utf-8",
                    headers=_disposition(filename + ".csv"))


def xlsx_response(filename: str, header: list[str], rows: Iterable[list],
                  formats: dict[int, str] | None = None,
                  widths: dict[int, float] | None = None,
                  neutralised: bool = False) -> Response:
    """`formats`: a number format per column index (dates, percentages, "@" for text
    such as NIPs); `widths`: column widths in characters; the header row stays in view.
    `neutralised`: the rows' text was neutralised by the database (`neutralise_sql`), as
    for the CSV whose body the database formats; the header always is here."""
    # A zip can't be written forwards only, so the workbook goes to a temporary file
    # (rows streamed into it) and the file is streamed out.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the generator below)
    body = rows if neutralised else map(_safe, rows)
    xlsx.write(spool, _with_header(_safe(header), body), sheet_name="Laporan",
               formats=formats, widths=widths)
    spool.seek(0)

    def generate() -> Iterator[bytes]:
        with spool:
            while chunk := spool.read(64 * 1024):
                yield chunk

    return Response(generate(), mimetype="application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet", headers=_disposition(filename + ".xlsx"))


def _with_header(header: list, rows: Iterable[list]) -> Iterator[list]:
    yield header
    yield from rows


def _disposition(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store"}
