"""Employee files as HR offices really send them, through the real imports (the CLI and the
browser page): control characters, repeated headers, a line that is not UTF-8, XLSX
formulas without values, NIPs Excel turned into numbers. Each is reported as file:line
(Baris N on the page) with what to do, and nothing changes in the database. The NUL case
crashed only on PostgreSQL: run this file with MELEK_TEST_DB=postgres too."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from lms.models import Employee, Opd
from tests.support.factories import make_employee
from tests.support.http import csrf_token, login

HEADER = ["nip", "nama", "email", "jabatan", "opd_kode", "jenis_pegawai", "aktif"]
RINA = ["198609262015051001", "Rina Sari", "", "Staf", "KEC-PML.01", "PNS", "ya"]
BUDI = ["199501012020121001", "Budi Baru", "", "Staf", "KEC-PML.02", "PPPK", "ya"]
ADMIN = "197001011995031001"


def csv_bytes(rows, sep=",") -> bytes:
    return "".join(sep.join(r) + "\n" for r in rows).encode()


def xlsx_bytes(rows, cached: dict | None = None, numbers: tuple = ()) -> bytes:
    """An XLSX built by openpyxl (which saves formulas without results); `cached` gives
    chosen cells a saved result as Excel would: {"B3": ("str", "Rina Sari")}; `numbers`
    names text cells to store as exact whole numbers (openpyxl itself rounds to 15 digits,
    as Excel does)."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    if not cached and not numbers:
        return out.getvalue()
    source, result = zipfile.ZipFile(out), io.BytesIO()
    with zipfile.ZipFile(result, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref, (kind, value) in (cached or {}).items():
                    text, count = re.subn(rf'<c r="{ref}"><f>(.*?)</f>(?:<v ?/>|<v></v>)?</c>',
                                          rf'<c r="{ref}" t="{kind}"><f>\1</f><v>{value}</v></c>',
                                          text)
                    assert count == 1, ref
                for ref in numbers:
                    text, count = re.subn(rf'<c r="{ref}" t="inlineStr"><is><t>(\d+)</t></is></c>',
                                          rf'<c r="{ref}" t="n"><v>\1</v></c>', text)
                    assert count == 1, ref
                data = text.encode()
            target.writestr(item, data)
    return result.getvalue()


def employees(db) -> int:
    return db.session.scalar(select(func.count(Employee.id)))


@pytest.fixture
def cli(runner, db, org, tmp_path):
    def run(data: bytes, name="pegawai.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        result = runner.invoke(args=["lms", "import-employees", str(path)])
        return result.exit_code, [line.replace(str(path), "FILE")
                                  for line in result.stdout.splitlines()]
    return run


@pytest.fixture
def page(client, db, org):
    make_employee(ADMIN, org["kominfo"], "Admin", roles=["admin"])
    db.session.commit()
    assert login(client, ADMIN).status_code == 302
    token = csrf_token(client, "/admin/pegawai/impor")

    def run(data: bytes, name="pegawai.csv"):
        response = client.post("/admin/pegawai/impor", data={
            "csrf_token": token, "action": "apply", "file": (io.BytesIO(data), name)},
            content_type="multipart/form-data")
        assert response.status_code == 200, "applied although the file has a problem"
        return response.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    return run


def _nothing_imported(db, before: int = 0):
    assert employees(db) == before


# --- (a) control characters: stored on SQLite, a crash on PostgreSQL --------------------

CONTROL = "kolom nama berisi karakter kontrol tersembunyi (U+0000): ketik ulang isi sel itu"


def test_a_nul_in_a_csv_cell_is_refused_by_line(cli, page, db):
    data = csv_bytes([HEADER, BUDI, [RINA[0], "Rina\x00Sari"] + RINA[2:]])
    code, out = cli(data)
    assert code == 1 and out[0].startswith(f"FILE:3: {CONTROL}"), out
    _nothing_imported(db, 1)  # the admin of the page
    assert f"Baris 3: {CONTROL}" in page(data)
    _nothing_imported(db, 1)


def test_other_control_characters_are_refused_in_csv_and_xlsx(cli, db):
    for char, where in (("\x1b", "jabatan"), ("\x7f", "nama"), ("\x85", "jabatan")):
        row = list(RINA)
        row[HEADER.index(where)] = f"Staf{char}Umum"
        expected = (f"FILE:2: kolom {where} berisi karakter kontrol tersembunyi "
                    f"(U+{ord(char):04X})")
        code, out = cli(csv_bytes([HEADER, row]))
        assert code == 1 and out[0].startswith(expected), (char, out)
        if char != "\x1b":  # XML (so XLSX) cannot hold C0 characters at all
            code, out = cli(xlsx_bytes([HEADER, row]), "pegawai.xlsx")
            assert code == 1 and out[0].startswith(expected), (char, out)
    _nothing_imported(db)


def test_a_nul_in_the_opd_import_is_refused_by_line(runner, db, org, tmp_path):
    path = tmp_path / "opd.csv"
    path.write_bytes(b"kode,nama,jenis,kode_induk\nKEC-STU,Kecamatan\x00Setu,kecamatan,"
                     b"TANGSEL\n")
    before = db.session.scalar(select(func.count(Opd.id)))
    result = runner.invoke(args=["lms", "import-opd", str(path), "--apply"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{path}:2: nama berisi karakter kontrol tersembunyi (U+0000): ketik ulang nama itu")
    assert db.session.scalar(select(func.count(Opd.id))) == before


# --- (b) a column named twice ----------------------------------------------------------

@pytest.mark.parametrize("extra, message", [
    ("nama", "kolom nama (H) mengulang kolom nama (B): hapus salah satunya"),
    ("Nama_Lengkap", "kolom Nama_Lengkap (H) mengulang kolom nama (B): hapus salah satunya"),
    ("NIP", "kolom NIP (H) mengulang kolom nip (A): hapus salah satunya"),
])
def test_a_repeated_column_is_refused_not_overwritten(cli, page, db, extra, message):
    rows = [HEADER + [extra], RINA + ["Orang Lain"]]
    for data, name in ((csv_bytes(rows), "p.csv"), (xlsx_bytes(rows), "p.xlsx")):
        code, out = cli(data, name)
        assert (code, out[0]) == (1, f"FILE:1: {message}"), out
        assert f"Baris 1: {message}" in page(data, name)
    _nothing_imported(db, 1)


# --- (c) a line that is not UTF-8 --------------------------------------------------------

NOT_UTF8 = ("baris 4 bukan teks UTF-8: di Excel pilih Simpan Sebagai (Save As) dengan jenis "
            "“CSV UTF-8 (Comma delimited)”, lalu impor berkas yang baru")


def test_a_line_that_is_not_utf8_is_named(cli, page, db):
    lines = [HEADER, RINA, BUDI, ["199601012020121002", "Andi Kurnia", "", "Staf",
                                  "KEC-PML.02", "PNS", "ya"]]
    data = csv_bytes(lines).replace(b"Andi Kurnia", "Andi Kurni\xe9".encode("cp1252"))
    code, out = cli(data)
    assert (code, out) == (1, [f"FILE:4: {NOT_UTF8}"])
    assert NOT_UTF8 in page(data)
    _nothing_imported(db, 1)


def test_the_opd_import_names_the_line_that_is_not_utf8(runner, db, org, tmp_path):
    path = tmp_path / "opd.csv"
    path.write_bytes(b"kode,nama,jenis,kode_induk\nKEC-STU,Setu,kecamatan,TANGSEL\n"
                     b"KEC-STU.01,Kademangan \xe9,kelurahan,KEC-STU\n")
    result = runner.invoke(args=["lms", "import-opd", str(path), "--apply"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(f"{path}:3: baris 3 bukan teks UTF-8")


# --- (d) XLSX formulas -------------------------------------------------------------------

FORMULA = ("sel B3 (kolom nama) berisi rumus yang hasilnya belum tersimpan: buka berkas di Excel, "
           "simpan lagi agar rumus mendapat nilainya, lalu impor ulang")


def test_a_formula_without_a_saved_value_is_refused(cli, page, db):
    data = xlsx_bytes([HEADER, BUDI, [RINA[0], '=CONCATENATE("Rina"," Sari")'] + RINA[2:]])
    code, out = cli(data, "p.xlsx")
    assert (code, out[0]) == (1, f"FILE:3: {FORMULA}"), out
    assert f"Baris 3: {FORMULA}" in page(data, "p.xlsx")
    _nothing_imported(db, 1)


def test_formulas_with_saved_values_import_those_values(cli, db):
    rows = [HEADER + ["catatan"], BUDI + ["=1+1"],
            [RINA[0], '=CONCATENATE("Rina"," Sari")'] + RINA[2:] + ["x"]]
    # The unsaved formula in the unused column "catatan" does not matter.
    code, out = cli(xlsx_bytes(rows, cached={"B3": ("str", "Rina Sari")}), "p.xlsx")
    assert code == 0, out
    assert db.session.scalars(select(Employee.name).where(Employee.nip == RINA[0])).one() \
        == "Rina Sari"


def test_a_formula_showing_an_error_is_refused(cli, db):
    rows = [HEADER, [RINA[0], "=VLOOKUP(A2,X!A:B,2,FALSE)"] + RINA[2:]]
    code, out = cli(xlsx_bytes(rows, cached={"B2": ("e", "#N/A")}), "p.xlsx")
    assert (code, out[0]) == (1, "FILE:2: sel B2 (kolom nama) menampilkan galat #N/A: "
                                 "perbaiki di Excel atau ketik nilainya, lalu impor ulang")
    _nothing_imported(db)


# --- (e) NIPs that Excel turned into numbers ----------------------------------------------

def _number(value):
    return (f"kolom nip berisi {value} sebagai angka, sehingga Excel menghapus digit "
            "terakhirnya: format kolom nip sebagai Teks (Text) di Excel, ketik ulang isinya, "
            "simpan, lalu impor ulang")


def test_a_nip_stored_as_a_number_says_to_format_the_column_as_text(cli, page, db):
    rows = [HEADER, BUDI, [1.98609262015051e17] + RINA[1:]]
    data = xlsx_bytes(rows)
    code, out = cli(data, "p.xlsx")
    assert (code, out[0]) == (1, f"FILE:3: {_number('1.98609E+17')}"), out
    assert f"Baris 3: {_number('1.98609E+17')}" in page(data, "p.xlsx")
    for sep, shown in ((",", "1.98609E+17"), (";", "1,98609E+17")):
        code, out = cli(csv_bytes([HEADER, BUDI, [shown] + RINA[1:]], sep))
        assert (code, out[0]) == (1, f"FILE:3: {_number(shown)}"), out
    _nothing_imported(db, 1)


def test_whole_numbers_excel_keeps_exactly_are_read_as_their_digits(cli, db):
    rows = [HEADER, RINA,  # the file holds all 18 digits as a number: exact
            [12345.0, "Sari Honorer", "", "Staf", "DISKOMINFO", "NON-ASN", "ya"]]
    code, out = cli(xlsx_bytes(rows, numbers=("A2",)), "p.xlsx")
    assert code == 0, out
    assert set(db.session.scalars(select(Employee.nip))) == {RINA[0], "12345"}
