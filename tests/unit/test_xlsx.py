"""The streaming XLSX writer: what openpyxl reads back is what was written."""

import io

from openpyxl import load_workbook

from lms.core import xlsx


def test_cells_round_trip_through_openpyxl():
    rows = [["nip", "nama", "skor"],
            ["198609262015051001", "Rina <b>&</b> \"Sari\"", 85],
            ["'=1+1", "  spasi di depan", 12.5],
            ["kontrol\x00\x07\x1f hilang", None, ""],
            ["baris\nbaru\ttab", True, 0]]
    out = io.BytesIO()
    xlsx.write(out, rows, sheet_name="Laporan & <data>")
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Laporan & <data>"]
    values = [[c.value for c in row] for row in book.active.iter_rows()]
    assert values == [["nip", "nama", "skor"],
                      ["198609262015051001", "Rina <b>&</b> \"Sari\"", 85],
                      ["'=1+1", "  spasi di depan", 12.5],
                      ["kontrol hilang", None, None],
                      ["baris\nbaru\ttab", True, 0]]


def test_many_rows_are_written_in_order():
    out = io.BytesIO()
    xlsx.write(out, ([i, f"pegawai {i}"] for i in range(2500)))
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True).active
    values = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert len(values) == 2500 and values[0] == (0, "pegawai 0")
    assert values[-1] == (2499, "pegawai 2499")
