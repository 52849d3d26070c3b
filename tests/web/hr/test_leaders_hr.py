"""HR's leaders-first page: heads per mandatory course inside the viewer's scope only, and
(city-wide HR) staff completion by whether their own head has completed."""

from sqlalchemy import select

from lms.core import clock
from lms.hr import leaders
from lms.hr.filters import parse
from lms.learning import progress
from lms.mandatory import assignments
from lms.models import Employee
from lms.org import heads
from lms.org.scope import hr_scope
from tests.support.factories import make_employee
from tests.support.http import table_rows
from tests.support.reports import JOINED, as_hr


def _heads(db, org, people, course):
    """Kelurahan Benda Baru: the learner heads it (completed) and Staf Kel1 completes too;
    Kecamatan Pamulang: Staf Kecamatan heads it (not completed), over Ahmad (kel2, no
    head of its own) and HR kec; Diskominfo: Budi heads it (outside the kecamatan)."""
    staff = make_employee("199101012019031005", org["kel1"], "Staf Kel1")
    staff.created_at = JOINED
    assignments.rebuild_employees(db.session, lambda c: c == staff.id)
    for module in course.current_modules:
        progress.complete_module(db.session, staff.id, module)
    camat = db.session.scalars(select(Employee).filter_by(name="Staf Kecamatan")).one()
    today = clock.today()
    for node, person in ((org["kel1"], people["learner"]), (org["kec"], camat),
                         (org["kominfo"], people["other"])):
        heads.appoint(db.session, node, person, today=today, source="admin", by=None)
    db.session.commit()


def test_an_opds_hr_sees_only_the_heads_inside_their_opd(client, db, org, people, course,
                                                         data):
    _heads(db, org, people, course)
    html = as_hr(client, people, "hr_kec").get("/laporan/kepala").get_data(as_text=True)
    rows = table_rows(html)
    assert rows == {"Kecamatan Pamulang": ["Staf Kecamatan", "Belum"],
                    "Kelurahan Benda Baru": ["Rina Sari", "Selesai"]}
    assert "Budi Santoso" not in html and "Diskominfo" not in html
    assert "Staf menurut teladan kepalanya" not in html  # the city view is city-wide HR's


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
