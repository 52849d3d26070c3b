"""A minimal streaming XLSX writer: one sheet, text and numbers, rows written as they come.

openpyxl's write-only mode builds an object per cell and took about 20 s per 100,000
rows of the employee export; this writes the sheet's XML directly, one string per row,
into a zip on a temporary file (memory stays flat: only the current rows are held).
Text goes in as inline strings (no shared-strings table to hold in memory), escaped for
XML and with the characters XML 1.0 cannot hold removed; numbers as numbers; None and "" as
an empty cell (as openpyxl writes them). Values are neutralised against formulas by the
caller (core.downloads).
"""

import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import IO

_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
# Control characters other than tab, newline and carriage return are not XML 1.0.
_ESCAPES.update({c: None for c in range(32) if c not in (9, 10, 13)})
_ESCAPES.update({0xFFFE: None, 0xFFFF: None})

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>')
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '{numfmts}'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="{count}"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0" xfId="0"/>{xfs}</cellXfs><cellStyles count="1"><cellStyle name="Normal" '
    'xfId="0" builtinId="0"/></cellStyles></styleSheet>')
# Excel's own number formats keep their ids; others are declared from 164 on.
_BUILTIN_FORMATS = {"0": 1, "0.00": 2, "0%": 9, "0.00%": 10, "@": 49}
_DATE_FORMAT = "yyyy-mm-dd"  # a date in a column given no format
_EPOCH = datetime(1899, 12, 30)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '{views}{cols}<sheetData>')
# The header row stays in view while the sheet scrolls.
_FROZEN_HEADER = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" '
                  'topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                  '</sheetView></sheetViews>')
_SHEET_END = "</sheetData></worksheet>"
ROWS_PER_WRITE = 1000


_SPACE = " \t\n\r"


def _serial(value) -> str:
    """A date as Excel counts it: days since 1899-12-30, the time as a fraction."""
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month,
                                                                value.day)
    delta = moment.replace(tzinfo=None) - _EPOCH
    return repr(delta.days + delta.seconds / 86400) if delta.seconds else str(delta.days)


def _cell(value, style: str = "") -> str:
    kind = type(value)
    if kind is str:
        if not value:
            return "<c/>"
        text = value.translate(_ESCAPES)
        if text and (text[0] in _SPACE or text[-1] in _SPACE):
            return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'
        return f'<c t="inlineStr"{style}><is><t>{text}</t></is></c>'
    if value is None:
        return "<c/>"
    if kind is int or kind is float:
        return f"<c{style}><v>{value!r}</v></c>"
    if kind is bool:
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal | int | float):  # int subclasses, Decimal from the driver
        return f"<c{style}><v>{value}</v></c>"
    if isinstance(value, date):
        return f"<c{style}><v>{_serial(value)}</v></c>"
    return _cell(str(value), style)


class _Styles:
    """The cell formats a sheet uses: an index per number format, and styles.xml."""

    def __init__(self, formats: dict[int, str]):
        self.codes = list(dict.fromkeys([*formats.values(), _DATE_FORMAT]))
        self.by_column = {i: f' s="{self.codes.index(code) + 1}"'
                          for i, code in formats.items()}
        self.date = f' s="{self.codes.index(_DATE_FORMAT) + 1}"'

    def xml(self) -> str:
        custom, xfs = [], []
        for code in self.codes:
            number = _BUILTIN_FORMATS.get(code)
            if number is None:
                number = 164 + len(custom)
                escaped = code.translate(_ESCAPES).replace('"', "&quot;")
                custom.append(f'<numFmt numFmtId="{number}" formatCode="{escaped}"/>')
            xfs.append(f'<xf numFmtId="{number}" fontId="0" fillId="0" borderId="0" '
                       f'xfId="0" applyNumberFormat="1"/>')
        numfmts = f'<numFmts count="{len(custom)}">{"".join(custom)}</numFmts>' if custom \
            else ""
        return _STYLES.format(numfmts=numfmts, count=len(xfs) + 1, xfs="".join(xfs))

    def row(self, values) -> str:
        cells = []
        for i, value in enumerate(values):
            style = self.by_column.get(i, "")
            if not style and isinstance(value, date):
                style = self.date
            cells.append(_cell(value, style) if style else _cell(value))
        return "<row>" + "".join(cells) + "</row>"


def write(file: IO[bytes], rows: Iterable[Iterable], sheet_name: str = "Sheet1",
          formats: dict[int, str] | None = None, widths: dict[int, float] | None = None,
          freeze_header: bool = True) -> None:
    """Write a workbook of one sheet holding `rows` (the first is the header). `formats`:
    an Excel number format per column index ("@" text, "0%", a date format: dates and
    datetimes are written as Excel dates); `widths`: column widths in characters."""
    name = sheet_name.translate(_ESCAPES).replace('"', "&quot;")
    styles = _Styles(formats or {})
    cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>'
                   for i, w in sorted((widths or {}).items()))
    start = _SHEET_START.format(views=_FROZEN_HEADER if freeze_header else "",
                                cols=f"<cols>{cols}</cols>" if cols else "")
    rows = iter(rows)
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK.format(name=name))
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", styles.xml())
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(start.encode())
            pending = []
            header = next(rows, None)
            if header is not None:  # the header: text, whatever its column's format
                pending.append("<row>" + "".join(map(_cell, header)) + "</row>")
            plain = not formats
            for row in rows:
                if plain:  # the fast path: no column formats (dates still get one)
                    pending.append(styles.row(row) if any(isinstance(v, date) for v in row)
                                   else "<row>" + "".join(map(_cell, row)) + "</row>")
                else:
                    pending.append(styles.row(row))
                if len(pending) == ROWS_PER_WRITE:
                    sheet.write("".join(pending).encode())
                    pending.clear()
            sheet.write(("".join(pending) + _SHEET_END).encode())
