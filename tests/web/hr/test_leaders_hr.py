"""HR's leaders-first page: heads per mandatory course inside the viewer's scope only, and
(city-wide HR) staff completion by whether their own head has completed."""

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from lms.hr import leaders
from lms.hr.filters import parse
from lms.models import Assignment, AuditEvent, Employee, Requirement
from lms.org.scope import hr_scope
from tests.support.http import csrf_token, table_rows
from tests.support.leaders import plant_heads as _heads
from tests.support.reports import TODAY, as_hr


def test_an_opds_hr_sees_only_the_heads_inside_their_opd(client, db, org, people, course,
                                                         data):
    _heads(db, org, people, course)
    html = as_hr(client, people, "hr_kec").get("/laporan/kepala").get_data(as_text=True)
    rows = table_rows(html)
    assert rows == {"Kecamatan Pamulang": ["Staf Kecamatan", "Belum"],
                    "Kelurahan Benda Baru": ["Rina Sari", "Selesai"]}
    assert "Budi Santoso" not in html and "Diskominfo" not in html
    assert "Staf menurut teladan kepalanya" not in html  # the city view is city-wide HR's


def test_the_heads_table_downloads_as_on_screen_inside_the_scope(client, db, org, people,
                                                                course, data):
    _heads(db, org, people, course)
    camat = db.session.scalars(select(Employee).filter_by(name="Staf Kecamatan")).one()
    camat.position, people["learner"].position = "Camat", "=Lurah"
    db.session.commit()
    as_hr(client, people, "hr_kec")
    page = client.get("/laporan/kepala").get_data(as_text=True)
    assert 'href="/laporan/kepala/unduh.xlsx"' in page
    response = client.get("/laporan/kepala/unduh.xlsx")
    assert response.status_code == 200
    assert "melek-kepala-kec-pml-" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["OPD / unit", "Kode OPD", "Kepala", "NIP", "Jabatan", course.title]
    by_unit = {row[0]: row[2:] for row in values[1:]}
    assert by_unit == {  # a cell that would start a formula is neutralised
        "Kecamatan Pamulang": ["Staf Kecamatan", camat.nip, "Camat", "Belum"],
        "Kelurahan Benda Baru": ["Rina Sari", people["learner"].nip, "'=Lurah", "Selesai"]}
    assert sheet["D2"].number_format == "@"  # NIPs stay text, all 18 digits
    log = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert (log.actor_nip, log.target, log.details["format"]) == (
        people["hr_kec"].nip, "kepala", "xlsx")


def test_the_city_view_compares_staff_by_their_heads_completion(client, db, org, people,
                                                                course, data):
    _heads(db, org, people, course)
    f = parse(db.session, hr_scope(db.session, people["hr_city"]), {})
    [row] = leaders.comparison(db.session, f, [course])
    done, not_done = row.head_done, row.head_not_done
    assert (done.units, done.staff, done.completed, done.percent) == (1, 1, 1, 100)
    # Ahmad (kel2, no head: under the kecamatan's) and HR kec; the camat is not counted.
    assert (not_done.units, not_done.staff, not_done.completed) == (1, 2, 0)
    html = as_hr(client, people).get("/laporan/kepala").get_data(as_text=True)
    assert "<svg" in html and "Staf menurut teladan kepalanya" in html
    table = table_rows(html.split('id="compare-caption"', 1)[1])
    assert table == {"1. " + course.title: ["1", "1", "1 (100%)", "1", "2", "0 (0%)"]}
    assert "Budi Santoso" in html  # city-wide HR sees every head


def test_hr_assigns_a_course_heads_first_by_the_form(client, db, org, people, course, data):
    _heads(db, org, people, course)
    as_hr(client, people)
    token = csrf_token(client, "/laporan/penugasan")
    due = TODAY + timedelta(days=20)
    form = {"csrf_token": token, "course": "dasar", "target": "opd", "opd": "DISKOMINFO",
            "due_date": due.isoformat(), "heads_first_days": "21"}
    early = client.post("/laporan/penugasan", data=form)
    assert "Batas waktu kepala akan jatuh sebelum hari ini" in early.get_data(as_text=True)
    assert db.session.scalar(select(Assignment.id).where(Assignment.opd_id.is_not(None),
                                                         Assignment.due_date == due)) is None
    assert client.post("/laporan/penugasan",
                       data=dict(form, heads_first_days="7")).status_code == 302
    dues = dict(db.session.execute(
        select(Employee.name, Requirement.due_date).join(Requirement)
        .where(Requirement.due_date.in_([due, due - timedelta(days=7)]))).all())
    # Budi heads Diskominfo (since today, before the heads' date); the trainer does not.
    assert dues == {"Budi Santoso": due - timedelta(days=7), "Dewi": due}
    assert "kepala 7 hari lebih awal" in client.get("/laporan/penugasan").get_data(
        as_text=True)


def test_the_overview_shows_the_heads_of_its_rows(client, db, org, people, course, data):
    _heads(db, org, people, course)
    html = as_hr(client, people, "hr_kec").get("/laporan/").get_data(as_text=True)
    heads_part = html.split("Kepala OPD dan unit kerja ini", 1)[1]
    rows = table_rows(heads_part.split("</table>", 1)[0])
    assert rows == {"Kecamatan Pamulang": ["Staf Kecamatan", "Belum"],
                    "Kelurahan Benda Baru": ["Rina Sari", "Selesai"]}
    assert "Budi Santoso" not in html
