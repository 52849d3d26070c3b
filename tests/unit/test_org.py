"""The organisation tree: moves rewrite paths and requirements; CSV import checks every
row by line, applies all or nothing, and changes nothing the second time."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.mandatory import assignments
from lms.models import Opd, OpdChange, Requirement
from lms.org import tree
from tests.support.factories import make_employee


@pytest.fixture(autouse=True)
def _english(english):
    pass


CSV = """kode,nama,jenis,kode_induk
KEC-STU,Kecamatan Setu,kecamatan,TANGSEL
KEC-STU.01,Kelurahan Babakan,kelurahan,KEC-STU
KEC-PML.01,Kelurahan Benda Baru (baru),kelurahan,KEC-PML
"""


def test_move_rewrites_the_subtree_and_who_an_assignment_reaches(db, org_tree, course):
    kec, kel1 = org_tree["kec"], org_tree["kel1"]
    person = make_employee("199001012015011001", kel1)
    assignments.create(db.session, course=course, due_date=date(2026, 12, 31), opd=kec,
                       by=None)
    assert db.session.get(Requirement, (person.id, course.id)) is not None
    tree.change(db.session, kel1, code=kel1.code, name=kel1.name, kind=kel1.kind,
               parent=org_tree["kominfo"], by=None)
    kel1 = db.session.get(Opd, kel1.id)
    assert kel1.path == f"{org_tree['kominfo'].path}{kel1.id}/" and kel1.depth == 2
    assert db.session.get(Requirement, (person.id, course.id)) is None
    history = db.session.scalars(select(OpdChange).where(OpdChange.opd_id == kel1.id,
                                                         OpdChange.field != "created")).one()
    assert (history.field, history.old_value, history.new_value) == ("parent", "KEC-PML",
                                                                     "DISKOMINFO")


def test_cannot_move_under_itself(db, org_tree):
    with pytest.raises(tree.OrgError):
        tree.change(db.session, org_tree["kec"], code="KEC-PML", name="Kecamatan Pamulang",
                   kind="kecamatan", parent=org_tree["kel1"])


def test_import_dry_run_apply_and_again(db, org_tree):
    dry = tree.import_csv(db.session, CSV)
    assert (dry.created, dry.updated, dry.problems) == (
        ["KEC-STU", "KEC-STU.01"], [("KEC-PML.01", ["name"])], [])
    assert db.session.scalars(select(Opd).where(Opd.code == "KEC-STU")).first() is None
    applied = tree.import_csv(db.session, CSV, apply=True)
    assert applied.problems == []
    babakan = db.session.scalars(select(Opd).where(Opd.code == "KEC-STU.01")).one()
    assert babakan.parent.code == "KEC-STU" and babakan.depth == 2
    again = tree.import_csv(db.session, CSV, apply=True)
    assert (again.created, again.updated, again.unchanged) == ([], [], 3)


def test_import_reports_every_bad_row_and_applies_nothing(db, org_tree):
    bad = """kode,nama,jenis,kode_induk
A,Unit A,unit,TIDAK-ADA
B,,unit,TANGSEL
C,Unit C,planet,TANGSEL
D,Unit D,unit,E
E,Unit E,unit,D
A,Unit A lagi,unit,TANGSEL
F,Unit F,unit,TANGSEL
"""
    result = tree.import_csv(db.session, bad, apply=True)
    messages = [(line, str(m)) for line, m in result.problems]
    assert (2, "unknown parent code TIDAK-ADA") in messages
    assert (3, "the name is empty") in messages
    assert any(line == 4 and m.startswith("unknown kind planet") for line, m in messages)
    assert any(m.startswith("the parent codes go round in a circle") for _, m in messages)
    assert (7, "code A appears twice in the file") in messages
    assert db.session.scalars(select(Opd).where(Opd.code == "F")).first() is None


def test_import_needs_the_columns(db, org_tree):
    result = tree.import_csv(db.session, "kode;nama\nX;Y\n")
    assert [line for line, _ in result.problems] == [1]


def test_an_unreadable_csv_line_is_a_problem_not_a_crash(db, english):
    text = "kode,nama,jenis,kode_induk\nA,Dinas A,dinas,\nB," + "x" * 200_000 + ",dinas,\n"
    result = tree.import_csv(db.session, text)
    assert [(line, str(msg)[:32]) for line, msg in result.problems] == [
        (3, "line 3 cannot be read as CSV: fi")]
