"""The HR employee list sorted by status or due date: each page as the app builds it now
(hr.ordered: group counts from course_stat, one or two groups read in name order) next to
the same page sorted whole by the database (the list's SQL with LIMIT/OFFSET, as before),
alternating, with a check that both give the same rows. Each page past the first is timed
three ways: by its offset (`halaman=N` typed in), reached by the pager's "next" link from
the page before (`setelah`, the row it follows) and by its "previous" link from the page
after (`sebelum`). Prints figures; asserts nothing.

    .venv/bin/python bench/sorted_lists.py --database-url sqlite:////tmp/b100k.db [--no-old]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from lms import create_app  # noqa: E402
from lms.core import clock  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.hr import lists  # noqa: E402
from lms.hr.filters import Filters  # noqa: E402
from lms.models import Opd  # noqa: E402
from lms.org.scope import Scope  # noqa: E402


def ms(fn):
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--opds", default="DISDIKBUD,,DINKES", help="codes; empty: city")
    parser.add_argument("--pages", default="1,3,200")
    parser.add_argument("--no-old", action="store_true", help="skip sorting the whole list")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        roots = list(db.session.scalars(select(Opd).where(Opd.parent_id.is_(None))))
        print(f"{db.engine.dialect.name}: new (group counts) vs old (sorted whole)")
        for sort in ("status", "due"):
            for code in args.opds.split(","):
                for page in map(int, args.pages.split(",")):
                    f = Filters(year=clock.today().year, today=clock.today(),
                                scope=Scope(roots, True))
                    f.sort, f.page = sort, page
                    f.opd = db.session.scalars(select(Opd).where(Opd.code == code)).first() \
                        if code else None
                    new, (rows, _more) = ms(lambda f=f: lists.detail_page(db.session, f))
                    keys = [(r.employee_id, r.course_id) for r in rows]
                    line = f"  by {sort:6s} {code or 'city':10s} page {page:3d}: offset " \
                           f"{new:6.0f} ms"
                    if page > 1:
                        line += "  next link {:6.0f} ms {}  previous link {:6.0f} ms {}".format(
                            *_linked(f, page, keys))
                    if not args.no_old:
                        query = lists._requirements(f).limit(lists.PER_PAGE).offset(
                            (page - 1) * lists.PER_PAGE)
                        old, old_rows = ms(lambda q=query: db.session.execute(q).all())
                        same = keys == [(r.employee_id, r.course_id) for r in old_rows]
                        line += f"  old {old:6.0f} ms  same rows: {same}"
                    print(line)


def _linked(f, page, keys):
    """The page reached from the page before it (its last row) and from the page after it
    (its first row), timed, each with whether it holds the offset's rows."""
    def at(n, after=None, before=None):
        f.page, f.after, f.before = n, after, before
        return lists.detail_page(db.session, f)[0]
    before_it, after_it = at(page - 1), at(page + 1)
    forward, rows = ms(lambda: at(page, after=(before_it[-1].employee_id,
                                               before_it[-1].course_id)))
    same_forward = [(r.employee_id, r.course_id) for r in rows] == keys
    back, rows = ms(lambda: at(page, before=(after_it[0].employee_id, after_it[0].course_id)))
    same_back = [(r.employee_id, r.course_id) for r in rows] == keys
    f.after = f.before = None
    return forward, "same" if same_forward else "DIFFERENT", back, \
        "same" if same_back else "DIFFERENT"

if __name__ == "__main__":
    main()
