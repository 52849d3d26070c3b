"""Employee import: each rule reported by line, all or nothing, idempotent, transfers."""

import io
from datetime import date, datetime, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from lms.core import clock
from lms.core.clock import JAKARTA
from lms.learning import progress
from lms.mandatory import assignments
from lms.models import Employee, Requirement, Transfer
from lms.people import roster, roster_file

HEADER = "nip,nama,email,jabatan,opd_kode,jenis_pegawai,aktif\n"
GOOD = [
    "198609262015051001,Rina Sari,rina@contoh.go.id,Pengadministrasi Umum,KEC-PML.01,PNS,ya",
    "199501012020121001,Budi Baru,,Staf,KEC-PML.02,PPPK,ya",
    "NA-77001,Sari Honorer,,Staf,DISKOMINFO,NON-ASN,ya",
]


@pytest.fixture(autouse=True)
def _english(english):
    pass


def table(lines, header=HEADER):
    return roster_file.read_table((header + "\n".join(lines) + "\n").encode(), "pegawai.csv")


def run(db, lines, **kw):
    result, rows = roster.plan(db.session, table(lines), **kw)
    if not result.problems and result.changes:
        roster.apply(db.session, rows, result)
    return result


@pytest.mark.parametrize("line, message", [
    ("19860926201505100,A,,S,KEC-PML.01,PNS,ya", "NIP '19860926201505100' must have 18 digits"),
    ("198613262015051001,A,,S,KEC-PML.01,PNS,ya",
     "NIP '198613262015051001' does not start with a plausible birth date"),
    ("203001012015051001,A,,S,KEC-PML.01,PNS,ya",
     "NIP '203001012015051001' does not start with a plausible birth date"),
    ("198001012005011009,,,S,KEC-PML.01,PNS,ya", "the name is empty"),
    ("198001012005011009,A,,S,TIDAK-ADA,PNS,ya", "unknown OPD code 'TIDAK-ADA'"),
    ("198001012005011009,A,,S,KEC-PML.01,Honorer,ya",
     "unknown employment type 'Honorer' (PNS, PPPK or NON-ASN)"),
    ("198001012005011009,A,bukan-email,S,KEC-PML.01,PNS,ya",
     "'bukan-email' is not an email address"),
    ("198001012005011009,A,,S,KEC-PML.01,PNS,mungkin",
     "'aktif' must be ya or tidak, not 'mungkin'"),
    ("x,A,,S,KEC-PML.01,NON-ASN,ya", "'x' is not an 18-digit NIP nor an internal ID"),
])
def test_each_rule_is_reported_with_its_line(db, org, line, message):
    result = run(db, [GOOD[0], line])
    assert [(n, str(m)) for n, m in result.problems] == [(3, message)]
    assert db.session.scalar(select(func.count(Employee.id))) == 0  # nothing applied


def test_duplicate_nip_names_the_first_line(db, org):
    result = run(db, [GOOD[0], GOOD[1], GOOD[0].replace("Rina Sari", "Rina")])
    assert [(n, str(m)) for n, m in result.problems] == [
        (4, "NIP 198609262015051001 appears twice in the file (first on line 2)")]


def test_five_bad_rows_all_reported_nothing_applied(db, org):
    lines = GOOD + ["1,A,,S,KEC-PML.01,PNS,ya", "198001012005011001,,,S,KEC-PML.01,PNS,ya",
                    "198001012005011002,B,,S,NOPE,PNS,ya", GOOD[1],
                    "198001012005011003,C,,S,KEC-PML.01,ABC,ya"]
    result = run(db, lines)
    assert [n for n, _ in result.problems] == [5, 6, 7, 8, 9]
    assert db.session.scalar(select(func.count(Employee.id))) == 0


def test_apply_then_again_changes_nothing(db, org):
    first = run(db, GOOD)
    assert (len(first.created), first.unchanged) == (3, 0)
    again = run(db, GOOD)
    assert (again.created, again.updated, again.unchanged) == ([], [], 3)
    rina = db.session.scalars(select(Employee).filter_by(nip=GOOD[0][:18])).one()
    assert (rina.email, rina.employment_type, rina.opd.code) == ("rina@contoh.go.id", "pns",
                                                                "KEC-PML.01")
    assert db.session.scalars(select(Employee).filter_by(nip="NA-77001")).one(
    ).employment_type == "non_asn"


def test_move_is_a_transfer_and_history_follows(db, org, course):
    run(db, GOOD)
    rina = db.session.scalars(select(Employee).filter_by(nip=GOOD[0][:18])).one()
    progress.complete_module(db.session, rina.id, course.current_modules[1])
    moved = [GOOD[0].replace("KEC-PML.01", "DISKOMINFO.APTIKA")] + GOOD[1:]
    result = run(db, moved)
    assert result.moved == [(GOOD[0][:18], "KEC-PML.01", "DISKOMINFO.APTIKA")]
    assert result.updated == [(GOOD[0][:18], ["opd"])]
    transfer = db.session.scalars(select(Transfer)).one()
    assert (transfer.from_opd.code, transfer.to_opd.code) == ("KEC-PML.01",
                                                              "DISKOMINFO.APTIKA")
    done = progress.completed_module_ids(db.session, rina.id,
                                         [course.current_modules[1].id])
    assert done == {course.current_modules[1].id}


def test_import_reaches_assignments_and_counts(db, org, course, frozen):
    frozen.move_to(datetime(2026, 12, 2, 10, 0, tzinfo=JAKARTA))
    assignments.create(db.session, course=course, due_date=date(2027, 1, 1),
                       opd=org["kec"], by=None)
    run(db, GOOD)
    nips = {db.session.get(Employee, r.employee_id).nip
            for r in db.session.scalars(select(Requirement))}
    assert nips == {GOOD[0][:18], GOOD[1][:18]}


def test_deactivate_missing(db, org):
    run(db, GOOD)
    result = run(db, GOOD[:2], deactivate_missing=True)
    assert result.deactivated == ["NA-77001"]
    assert not db.session.scalars(select(Employee).filter_by(nip="NA-77001")).one().active


def test_semicolons_any_column_order_and_xlsx(db, org):
    semi = roster_file.read_table(
        ("jenis_pegawai;NIP;Nama;opd_kode;aktif\nPNS;198609262015051001;Rina;KEC-PML.01;ya\n"
         ).encode("utf-8-sig"), "x.csv")
    result, rows = roster.plan(db.session, semi)
    assert result.problems == [] and rows[0]["name"] == "Rina"
    book = Workbook()
    book.active.append(HEADER.strip().split(","))
    book.active.append(GOOD[1].split(","))
    data = io.BytesIO()
    book.save(data)
    result, rows = roster.plan(db.session, roster_file.read_table(data.getvalue(), "x.xlsx"))
    assert result.problems == [] and result.created == [GOOD[1][:18]]


def test_missing_columns_and_bad_files(db, org):
    result, _ = roster.plan(db.session, table(GOOD, header="nip,nama\n"))
    assert [n for n, _ in result.problems] == [1]
    with pytest.raises(roster_file.ImportFileError):
        roster_file.read_table(b"\xff\xfe\x00", "x.csv")
    with pytest.raises(roster_file.ImportFileError):
        roster_file.read_table(b"not a zip", "x.xlsx")


def test_aktif_tidak_is_listed_as_a_deactivation(db, org):
    run(db, GOOD)
    off = GOOD[1].replace(",ya", ",tidak")
    result = run(db, [GOOD[0], off, GOOD[2]])
    assert (result.deactivated, result.updated, result.unchanged) == ([GOOD[1][:18]], [], 2)
    assert not db.session.scalars(select(Employee).filter_by(nip=GOOD[1][:18])).one().active
    # Reactivated (Budi, back to "ya") is a change of "active"; deactivated and renamed
    # in one row (Sari) is listed with both.
    renamed = GOOD[2].replace("Sari Honorer", "Sari H.").replace(",ya", ",tidak")
    result = run(db, [GOOD[0], GOOD[1], renamed])
    assert (result.deactivated, result.updated) == (["NA-77001"], [
        (GOOD[1][:18], ["active"]), ("NA-77001", ["name"])])
    assert [e.nip for e in db.session.scalars(select(Employee).where(~Employee.active))] == [
        "NA-77001"]
    result = run(db, GOOD)
    assert (result.deactivated, result.updated) == ([], [("NA-77001", ["name", "active"])])
    assert db.session.scalar(select(func.count()).where(Employee.active)) == 3


def test_import_rederives_only_whom_it_changed_and_counts_match_a_recount(db, org, course):
    """Requirements and report counts are moved only for the people the import created,
    moved, re-typed or (de)activated: they must end exactly as a full rebuild makes them."""
    from tests.support.counts import assert_counts_match_recount
    soon = date(2026, 12, 31)
    assignments.create(db.session, course=course, due_date=soon, opd=org["kec"], by=None)
    assignments.create(db.session, course=course, due_date=soon - timedelta(10),
                       employment_type="pppk", by=None)
    extra = ["198001012005011009,Dedi,,Staf,DISKOMINFO,PNS,ya",
             "198101012005011009,Eka,,Staf,KEC-PML.02,PNS,tidak"]
    run(db, GOOD + extra)
    people = {e.nip: e for e in db.session.scalars(select(Employee))}
    progress.complete_module(db.session, people[GOOD[0][:18]].id, course.current_modules[0])
    progress.enroll(db.session, people["NA-77001"].id, course)
    db.session.commit()
    second = [GOOD[0].replace("KEC-PML.01", "DISKOMINFO.APTIKA"),  # leaves the kecamatan
              GOOD[1].replace("Budi Baru", "Budi Lama").replace("PPPK", "PNS"),  # re-typed
              "NA-77001,Sari Honorer,,Staf,KEC-PML.01,NON-ASN,ya",  # moved in
              extra[1].replace("tidak", "ya"),  # active again
              "199602022021121001,Fajar,,Staf,KEC-PML.02,PNS,ya"]  # new
    result = run(db, second, deactivate_missing=True)  # Dedi is not in the file
    assert (len(result.created), len(result.moved), result.deactivated) == (1, 2, [
        "198001012005011009"])
    db.session.commit()
    assert_counts_match_recount(db)
    kept = sorted(db.session.execute(select(Requirement.employee_id, Requirement.course_id,
                                            Requirement.due_date, Requirement.opd_id)).all())
    assignments.rebuild_course(db.session, course.id)
    assert kept == sorted(db.session.execute(select(
        Requirement.employee_id, Requirement.course_id, Requirement.due_date,
        Requirement.opd_id)).all())
    nips = {db.session.get(Employee, r.employee_id).nip: r.due_date
            for r in db.session.scalars(select(Requirement))}
    # All joined after the assignments were made: at least GRACE_DAYS from joining.
    graced = max(soon, clock.today() + timedelta(days=assignments.GRACE_DAYS))
    assert nips == {GOOD[1][:18]: graced, "NA-77001": graced, "198101012005011009": graced,
                    "199602022021121001": graced}


def test_someone_created_between_the_check_and_the_write_is_not_an_error(db, org):
    result, rows = roster.plan(db.session, table(GOOD))
    from tests.support.factories import make_employee
    make_employee(GOOD[1][:18], org["bkpsdm"], "Dibuat impor lain")  # another import
    roster.apply(db.session, rows, result)
    db.session.commit()
    assert db.session.scalar(select(func.count(Employee.id))) == 3
    assert db.session.scalars(select(Employee).filter_by(nip=GOOD[1][:18])).one().name == \
        "Dibuat impor lain"


def test_a_move_between_the_check_and_the_write_is_undone_with_its_requirements(db, org,
                                                                                 course):
    """Import 1 checks a file renaming Rina, who is in KEC-PML.01; import 2 moves her to
    Diskominfo and writes first; import 1, applied next, puts her back where its file
    says: her requirements, the report counts and the transfer history follow."""
    from tests.support.counts import assert_counts_match_recount
    assignments.create(db.session, course=course, due_date=date(2026, 12, 31),
                       opd=org["kec"], by=None)
    run(db, GOOD)
    db.session.commit()
    rina = db.session.scalars(select(Employee).filter_by(nip=GOOD[0][:18])).one()
    renamed = GOOD[0].replace("Rina Sari", "Rina Kartika Sari")
    result, rows = roster.plan(db.session, table([renamed]))
    assert (len(result.updated), result.moved) == (1, [])
    run(db, [GOOD[0].replace("KEC-PML.01", "DISKOMINFO")])  # import 2
    db.session.commit()
    assert db.session.scalars(select(Requirement).filter_by(employee_id=rina.id)).all() == []
    roster.apply(db.session, rows, result)  # import 1
    db.session.commit()
    db.session.expire_all()
    rina = db.session.get(Employee, rina.id)
    assert (rina.name, rina.opd.code) == ("Rina Kartika Sari", "KEC-PML.01")
    [requirement] = db.session.scalars(select(Requirement).filter_by(employee_id=rina.id))
    assert requirement.opd_id == rina.opd_id
    moves = db.session.scalars(select(Transfer).filter_by(employee_id=rina.id)
                               .order_by(Transfer.id)).all()
    assert [m.to_opd.code for m in moves] == ["DISKOMINFO", "KEC-PML.01"]
    assert_counts_match_recount(db)
