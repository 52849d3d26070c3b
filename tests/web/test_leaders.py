"""Leaders first (issue 15): heads of OPDs and units from the employee import and the OPD
tree, with their history; heads due before their staff; the course page's notice."""

import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from lms.core import clock
from lms.mandatory import assignments
from lms.models import AuditEvent, CourseStat, Enrollment, OpdHead, Requirement
from lms.org import heads
from tests.support.counts import assert_counts_match_recount
from tests.support.factories import make_employee
from tests.support.http import csrf_token, login
from tests.web.test_query_counts import MAX_QUERIES, queries

ADMIN = "197001011995031001"
HEADER = "nip,nama,jabatan,opd_kode,jenis_pegawai,aktif,kepala\n"
CAMAT, LURAH, STAFF = "197501012000031001", "197601012000031002", "198001012005011003"


@pytest.fixture
def admin(client, db, org):
    make_employee(ADMIN, org["kominfo"], "Admin", roles=["admin"])
    db.session.commit()
    assert login(client, ADMIN).status_code == 302
    return client


def _import(client, text: str):
    token = csrf_token(client, "/admin/pegawai/impor")
    response = client.post("/admin/pegawai/impor", data={
        "csrf_token": token, "action": "apply",
        "file": (io.BytesIO(text.encode()), "pegawai.csv")},
        content_type="multipart/form-data", follow_redirects=True)
    return response.get_data(as_text=True).replace("&#39;", "'")


def _rows(db, opd):
    return list(db.session.scalars(select(OpdHead).where(OpdHead.opd_id == opd.id)
                                   .order_by(OpdHead.id)))


def _current_nip(db, opd):
    head = heads.current(db.session, opd)
    return head.employee.nip if head else None


def test_the_kepala_column_sets_heads_and_keeps_their_history(admin, db, org, frozen):
    text = _import(admin, HEADER + f"{CAMAT},Camat Satu,Camat,KEC-PML,PNS,ya,ya\n"
                   f"{LURAH},Lurah Satu,Lurah,KEC-PML.01,PNS,ya,ya\n"
                   f"{STAFF},Staf Satu,Staf,KEC-PML.01,PNS,ya,tidak\n")
    assert "Kepala: 2 diangkat, 0 diakhiri." in text
    assert _current_nip(db, org["kec"]) == CAMAT and _current_nip(db, org["kel1"]) == LURAH
    assert _rows(db, org["kec"])[0].source == "import"
    frozen.shift(timedelta(days=3))
    login(admin, ADMIN)  # the session of three days ago has ended
    # The staff member becomes the kelurahan's head: the lurah's row ends, it stays.
    _import(admin, HEADER + f"{STAFF},Staf Satu,Staf,KEC-PML.01,PNS,ya,ya\n")
    rows = _rows(db, org["kel1"])
    assert [r.employee.nip for r in rows] == [LURAH, STAFF]
    assert rows[0].ended_on == clock.today() and rows[1].ended_on is None
    assert _current_nip(db, org["kec"]) == CAMAT  # not in the file: unchanged
    # Marked tidak: the head in the file stops heading the unit.
    _import(admin, HEADER + f"{STAFF},Staf Satu,Staf,KEC-PML.01,PNS,ya,tidak\n")
    assert _current_nip(db, org["kel1"]) is None and len(_rows(db, org["kel1"])) == 2
    audit = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "import_employees").order_by(AuditEvent.id.desc())).first()
    assert audit.details["heads_ended"] == 1


def test_a_file_without_the_column_changes_no_head(admin, db, org):
    _import(admin, HEADER + f"{CAMAT},Camat Satu,Camat,KEC-PML,PNS,ya,ya\n")
    text = _import(admin, "nip,nama,jabatan,opd_kode,jenis_pegawai,aktif\n"
                   f"{CAMAT},Camat Satu,Camat,KEC-PML.01,PNS,ya\n")
    assert "Kepala:" not in text
    assert _current_nip(db, org["kec"]) == CAMAT


def test_two_heads_for_one_unit_and_bad_cells_are_line_numbered(admin, db, org):
    text = _import(admin, HEADER + f"{CAMAT},Camat Satu,Camat,KEC-PML,PNS,ya,ya\n"
                   f"{LURAH},Lurah Satu,Lurah,KEC-PML,PNS,ya,ya\n")
    assert (f"Baris 3: NIP {LURAH} adalah kepala kedua unit KEC-PML dalam berkas "
            "(yang pertama di baris 2)") in text
    text = _import(admin, HEADER + f"{CAMAT},Camat Satu,Camat,KEC-PML,PNS,ya,mungkin\n")
    assert "Baris 2: 'kepala' harus ya atau tidak, bukan 'mungkin'" in text
    text = _import(admin, HEADER + f"{CAMAT},Camat Satu,Camat,KEC-PML,PNS,tidak,ya\n")
    assert "Baris 2: pegawai yang tidak aktif tidak dapat menjadi kepala" in text
    assert db.session.scalar(select(OpdHead.id)) is None


def test_admins_set_and_end_a_head_in_the_opd_tree(admin, db, org, people):
    page = "/admin/opd/KEC-PML"
    token = csrf_token(admin, page)
    outside = admin.post(f"{page}/kepala", data={"csrf_token": token,
                                                  "nip": people["other"].nip})
    assert outside.status_code == 400
    assert "bukan pegawai aktif Kecamatan Pamulang" in outside.get_data(as_text=True)
    # The learner works in a kelurahan under the kecamatan: inside the subtree.
    ok = admin.post(f"{page}/kepala", data={"csrf_token": token,
                                             "nip": people["learner"].nip})
    assert ok.status_code == 302
    assert _current_nip(db, org["kec"]) == people["learner"].nip
    assert admin.post(f"{page}/kepala/akhiri", data={"csrf_token": token}).status_code == 302
    assert _current_nip(db, org["kec"]) is None
    html = admin.get(page).get_data(as_text=True)
    assert "Rina Sari" in html and "Belum ada kepala yang dicatat." in html
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("opd_head%")).order_by(AuditEvent.id)))
    assert actions == ["opd_head_set", "opd_head_ended"]
    assert admin.post(f"{page}/kepala/akhiri", data={}).status_code == 400  # no CSRF


def _early_staff(db, org, nip, opd, name):
    person = make_employee(nip, opd, name)
    person.created_at = datetime(2020, 1, 1, tzinfo=clock.JAKARTA)
    db.session.flush()
    return person


def test_heads_are_due_first_and_a_head_change_moves_their_date(db, org, people, course,
                                                                  frozen):
    for p in people.values():
        p.created_at = datetime(2020, 1, 1, tzinfo=clock.JAKARTA)
    camat = _early_staff(db, org, CAMAT, org["kec"], "Camat")
    heads.appoint(db.session, org["kec"], camat, today=clock.today() - timedelta(days=1),
                  source="admin", by=None)
    due = clock.today() + timedelta(days=30)
    assignments.create(db.session, course=course, due_date=due, by=None, opd=org["kec"],
                       heads_first_days=14)
    db.session.commit()

    def due_of(person):
        return db.session.scalar(select(Requirement.due_date).where(
            Requirement.employee_id == person.id, Requirement.course_id == course.id))

    assert due_of(camat) == due - timedelta(days=14)
    assert due_of(people["learner"]) == due
    # The learner becomes head today, after the heads' date had been set: still in time
    # for it, so the earlier date applies; ending the camat gives him the staff's date.
    changed = heads.appoint(db.session, org["kec"], people["learner"], today=clock.today(),
                            source="admin", by=None)
    assignments.rederive(db.session, changed)
    db.session.commit()
    assert due_of(people["learner"]) == due - timedelta(days=14)
    assert due_of(camat) == due
    stat = {(r.opd_id, r.due_date): r.assigned for r in db.session.scalars(
        select(CourseStat).where(CourseStat.course_id == course.id))}
    assert stat[(org["kel1"].id, due - timedelta(days=14))] == 1
    assert stat[(org["kec"].id, due)] == 2  # the camat and the kecamatan's HR


def _camat_with_course_due(db, org, people, course):
    """Everyone joined long ago; the kecamatan has a camat, and `course` is mandatory
    there in 30 days."""
    for p in people.values():
        p.created_at = datetime(2020, 1, 1, tzinfo=clock.JAKARTA)
    camat = _early_staff(db, org, CAMAT, org["kec"], "Camat Pamulang")
    heads.appoint(db.session, org["kec"], camat, today=clock.today(), source="admin", by=None)
    assignments.create(db.session, course=course, due_date=clock.today() + timedelta(days=30),
                       by=None, opd=org["kec"])
    return camat


def test_the_course_page_says_whether_the_own_head_completed(client, db, org, people,
                                                             course, admin):
    camat = _camat_with_course_due(db, org, people, course)
    db.session.commit()
    notice = "Kepala Kecamatan Anda sudah menyelesaikan kursus ini."
    learner = client.application.test_client()
    login(learner, people["learner"].nip)
    assert notice not in learner.get("/kursus/dasar").get_data(as_text=True)  # not yet
    db.session.add(Enrollment(employee_id=camat.id, course_id=course.id,
                              completed_at=clock.now()))
    db.session.commit()
    html = learner.get("/kursus/dasar").get_data(as_text=True)
    assert notice in html and "Camat Pamulang" not in html  # nothing else about the head
    # The kelurahan gets a head of its own, who has not completed: nothing is said.
    lurah = _early_staff(db, org, LURAH, org["kel1"], "Lurah")
    heads.appoint(db.session, org["kel1"], lurah, today=clock.today(), source="admin",
                  by=None)
    db.session.commit()
    assert "Anda sudah menyelesaikan" not in learner.get("/kursus/dasar").get_data(as_text=True)
    heads.end(db.session, org["kel1"], today=clock.today())
    db.session.commit()
    # The city setting turns it off.
    token = csrf_token(admin, "/admin/opd")
    assert admin.post("/admin/opd/pengaturan-kepala",
                      data={"csrf_token": token}).status_code == 302
    assert heads.show_head_completion(db.session) is False
    assert notice not in learner.get("/kursus/dasar").get_data(as_text=True)
    admin.post("/admin/opd/pengaturan-kepala",
               data={"csrf_token": token, "show_head_completion": "y"})
    assert notice in learner.get("/kursus/dasar").get_data(as_text=True)


def test_the_notice_speaks_of_this_course_not_of_another_one_the_head_completed(
        client, db, org, people, course):
    """The head completed some other course, not this mandatory one: nothing is said."""
    from lms.models import Course
    camat = _camat_with_course_due(db, org, people, course)
    other = Course(slug="lain", title="Kursus Lain", jp=1, published=True)
    db.session.add(other)
    db.session.flush()
    db.session.add(Enrollment(employee_id=camat.id, course_id=other.id,
                              completed_at=clock.now()))
    db.session.commit()
    login(client, people["learner"].nip)
    assert "Anda sudah menyelesaikan" not in client.get("/kursus/dasar").get_data(as_text=True)
    db.session.add(Enrollment(employee_id=camat.id, course_id=course.id,
                              completed_at=clock.now()))
    db.session.commit()
    assert "Kepala Kecamatan Anda sudah menyelesaikan kursus ini." in client.get(
        "/kursus/dasar").get_data(as_text=True)


def test_the_notice_keeps_the_course_page_within_three_queries(client, db, org, people,
                                                               course):
    camat = _camat_with_course_due(db, org, people, course)
    db.session.add(Enrollment(employee_id=camat.id, course_id=course.id,
                              completed_at=clock.now()))
    db.session.commit()
    login(client, people["learner"].nip)
    client.get("/kursus/dasar")  # the cached content is warm
    statements, html = queries(db, client, "/kursus/dasar")
    assert "Kepala Kecamatan Anda sudah menyelesaikan kursus ini." in html
    assert len(statements) <= MAX_QUERIES, "\n\n".join(statements)
    # The camat's own head is not himself: nothing above him is recorded.
    himself = client.application.test_client()
    login(himself, CAMAT)
    assert "Anda sudah menyelesaikan" not in himself.get("/kursus/dasar").get_data(as_text=True)


def test_a_head_from_the_import_is_due_first_and_the_counts_follow(admin, db, org, people,
                                                                   course, frozen):
    for p in people.values():
        p.created_at = datetime(2020, 1, 1, tzinfo=clock.JAKARTA)
    due = clock.today() + timedelta(days=30)
    assignments.create(db.session, course=course, due_date=due, by=None, opd=org["kec"],
                       heads_first_days=10)
    db.session.commit()
    learner = people["learner"]
    _import(admin, HEADER + f"{learner.nip},Rina Sari,Lurah,KEC-PML.01,PNS,ya,ya\n")
    assert db.session.scalar(select(Requirement.due_date).where(
        Requirement.employee_id == learner.id)) == due - timedelta(days=10)
    assert_counts_match_recount(db)
    _import(admin, HEADER + f"{learner.nip},Rina Sari,Staf,KEC-PML.01,PNS,ya,tidak\n")
    assert db.session.scalar(select(Requirement.due_date).where(
        Requirement.employee_id == learner.id)) == due
    assert_counts_match_recount(db)
