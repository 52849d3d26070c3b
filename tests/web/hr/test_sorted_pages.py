"""The employee list sorted by status or due date is paged group by group from
course_stat's counts (hr.ordered); its pages must be exactly the slices of the whole list
sorted in SQL, whatever the filters."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.core import clock
from lms.hr import lists
from lms.hr.filters import Filters
from lms.learning import progress
from lms.mandatory import assignments
from lms.models import Course, Opd
from lms.org.scope import Scope
from tests.support.factories import make_employee
from tests.support.reports import FUTURE


@pytest.fixture
def crowd(db, data, org, people, course):
    """Twelve more people in both kelurahan, in every status, and a second due date."""
    first, second = course.current_modules
    for i in range(12):
        person = make_employee(f"19900101201501{i:04d}", org["kel1" if i % 2 else "kel2"],
                               f"Pegawai {chr(90 - i)}{i % 3}",
                               employment_type="pppk" if i % 4 == 0 else "pns")
        if i % 3 == 1:
            progress.enroll(db.session, person.id, course)
        if i % 3 == 2:
            for module in (first, second):
                progress.complete_module(db.session, person.id, module)
    assignments.create(db.session, course=course, due_date=FUTURE, opd=org["kel1"],
                       by=people["hr_city"])
    db.session.commit()
    return org


def _whole(db, f):
    return [(r.employee_id, r.course_id) for r in db.session.execute(lists._requirements(f))]


def _paged(db, f):
    keys, f.page = [], 1
    while True:
        rows, more = lists.detail_page(db.session, f)
        keys += [(r.employee_id, r.course_id) for r in rows]
        if not more:
            return keys
        f.page += 1


def _keys(rows):
    return [(r.employee_id, r.course_id) for r in rows]


def _followed(db, f):
    """The pages as the pager's links lead: forward from each page's last row to the
    end, then back from each page's first row to the start."""
    forward, f.page = [], 1
    while True:
        rows, more = lists.detail_page(db.session, f)
        forward.append(_keys(rows))
        before, after = lists.page_links(f, rows)
        if not more:
            break
        f.page, f.before = f.page + 1, None
        f.after = tuple(int(n) for n in after["setelah"].split("-"))
    back = [forward[-1]]
    while f.page > 1:
        f.page, f.after = f.page - 1, None
        f.before = tuple(int(n) for n in before["sebelum"].split("-")) if before else None
        rows, more = lists.detail_page(db.session, f)
        assert more
        back.append(_keys(rows))
        before, _ = lists.page_links(f, rows)
    return forward, back[::-1]


SORTS = pytest.mark.parametrize("sort", ["status", "due"])
NARROW = pytest.mark.parametrize("narrow", [
    {}, {"opd": "kel1"}, {"status": "overdue"}, {"status": "completed"},
    {"employment_type": "pppk"}, {"opd": "kec", "status": "not_started"}])
# Both plans: walking the name index (a big subtree) and sorting a small one's rows.
PLANS = pytest.mark.parametrize("big", [True, False])


def _filters(db, crowd, monkeypatch, sort, narrow, big):
    monkeypatch.setattr(lists, "PER_PAGE", 3)
    monkeypatch.setattr(lists, "BIG_SORTED_SUBTREE", 0 if big else 10**6)
    roots = list(db.session.scalars(select(Opd).where(Opd.parent_id.is_(None))))
    f = Filters(year=clock.today().year, today=clock.today(), scope=Scope(roots, True))
    f.sort = sort
    f.status = narrow.get("status")
    f.employment_type = narrow.get("employment_type")
    f.opd = crowd[narrow["opd"]] if "opd" in narrow else None
    return f


@SORTS
@NARROW
@PLANS
def test_pages_are_slices_of_the_sorted_list(db, crowd, monkeypatch, sort, narrow, big):
    f = _filters(db, crowd, monkeypatch, sort, narrow, big)
    whole = _whole(db, f)
    assert len(whole) >= 4 or narrow  # several pages without a narrowing filter
    assert _paged(db, f) == whole


@SORTS
@NARROW
@PLANS
def test_pages_followed_from_a_row_are_the_same_slices(db, crowd, monkeypatch, sort,
                                                        narrow, big):
    # Two more people of one name: the row after the mark is settled by id, then course.
    for i in range(2):
        make_employee(f"19910101201501{i:04d}", crowd["kel1"], "Pegawai M1")
    db.session.commit()
    f = _filters(db, crowd, monkeypatch, sort, narrow, big)
    whole = _whole(db, f)
    forward, back = _followed(db, f)
    assert sum(forward, []) == whole
    assert back == forward
    assert len(forward) >= 3 or narrow


def test_a_row_gone_from_the_list_falls_back_to_the_page(db, crowd, monkeypatch):
    f = _filters(db, crowd, monkeypatch, "status", {}, True)
    whole = _whole(db, f)
    f.page, f.after = 2, (10**9, 1)  # no such row: the offset of page 2
    rows, _ = lists.detail_page(db.session, f)
    assert _keys(rows) == whole[3:6]
    f.after, f.before, f.page = None, whole[4], 3  # a page before it: rows 1-3
    rows, more = lists.detail_page(db.session, f)
    assert (f.page, _keys(rows), more) == (3, whole[1:4], True)
    f.before = whole[2]  # less than a page before it: the list changed; page 1
    rows, more = lists.detail_page(db.session, f)
    assert (f.page, _keys(rows), more) == (1, whole[:3], True)


def test_course_filter_and_a_due_date_tomorrow(db, crowd, people, monkeypatch):
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    course = db.session.scalars(select(Course)).first()
    assignments.create(db.session, course=course, due_date=clock.today() + timedelta(days=1),
                       opd=crowd["aptika"], by=people["hr_city"])
    db.session.commit()
    roots = list(db.session.scalars(select(Opd).where(Opd.parent_id.is_(None))))
    f = Filters(year=clock.today().year, today=clock.today(), scope=Scope(roots, True))
    f.sort, f.course = "status", course
    assert _paged(db, f) == _whole(db, f)
