"""An uploaded employee file (CSV or XLSX) as a table: (line, cells) rows, every cell text
or a BadCell that says why its value cannot be trusted. Reading is one pass (two for an
XLSX with formulas), linear in the file's size; what the cells mean is roster's business."""

import csv
import io
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from lms.core import cells

# Excel's "General" format shows a long number as 1.98609E+17 (1,98609E+17 in Indonesian),
# and a CSV saved from it keeps that text: the NIP's last digits are gone.
SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE][+-]?\d+$")
EXACT_DIGITS = 10**15  # a spreadsheet number keeps 15 significant digits


class ImportFileError(ValueError):
    """The file as a whole cannot be read; `line` is where it went wrong (1 if nowhere)."""

    def __init__(self, message, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class BadCell:
    """An XLSX cell without a value to trust: a formula whose result was never saved
    ("formula"), an error such as #N/A ("error"), or a number too long to be exact
    ("number"). Reported only when its column is one the import uses."""
    kind: str
    ref: str  # e.g. B3
    value: object = None


def read_table(data: bytes, filename: str) -> list[tuple[int, list]]:
    """(line number, cells) for every row of a CSV (UTF-8, comma or semicolon) or XLSX.
    Cells are text, or BadCell for an XLSX cell whose value cannot be used."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    try:
        text = cells.utf8_text(data)
    except cells.NotUtf8 as exc:
        raise ImportFileError(exc.message, exc.line) from None
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") \
        else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, [c.strip() for c in row]))
    except csv.Error as exc:  # e.g. a cell over the csv module's 128 KiB limit
        raise ImportFileError(_l("line %(line)d cannot be read as CSV: %(error)s",
                                 line=reader.line_num, error=str(exc)),
                              reader.line_num) from exc
    return rows


def _xlsx_rows(data: bytes, data_only: bool):
    from openpyxl import load_workbook
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only).active
        yield from sheet.iter_rows()
    except Exception as exc:  # openpyxl raises many kinds on a bad file
        raise ImportFileError(_l("the file is not a readable XLSX workbook")) from exc


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    """The first sheet, read once for values and formulas; only when it has formulas, a
    second time for their saved results (openpyxl gives one or the other per reading)."""
    table, formulas = [], {}
    for line, row in enumerate(_xlsx_rows(data, data_only=False), start=1):
        values = []
        for i, cell in enumerate(row):
            if cell.data_type == "f":
                formulas.setdefault(len(table), []).append(i)
            values.append(_xlsx_value(cell, line, i))
        table.append((line, values))
    if formulas:
        for index, row in enumerate(_xlsx_rows(data, data_only=True)):
            for i in formulas.get(index, ()):
                line, values = table[index]
                values[i] = _xlsx_value(row[i], line, i, result=True) if i < len(row) \
                    else BadCell("formula", _ref(line, i))
    return table


def _xlsx_value(cell, line: int, i: int, result: bool = False):
    value = cell.value
    if cell.data_type == "f" or (result and value is None and cell.data_type != "str"):
        return BadCell("formula", _ref(line, i))  # filled from the second reading
    if value is None:
        return ""
    if cell.data_type == "e":
        return BadCell("error", _ref(line, i), value)
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= EXACT_DIGITS:
            return BadCell("number", _ref(line, i), value)
        return str(int(value))
    return str(value).strip()


def _ref(line: int, i: int) -> str:
    return f"{column_letter(i)}{line}"


def column_letter(i: int) -> str:
    """Spreadsheet column letters of the 0-based column i: 0 -> A, 27 -> AB."""
    letters, i = "", i + 1
    while i:
        i, rest = divmod(i - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
