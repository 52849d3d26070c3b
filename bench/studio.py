"""Time the studio's heavier steps on the real catalogue: validating a draft, building
its learner preview, publishing an edit of one question, exporting and importing a zip,
and a full sync of courses/. Prints figures; asserts nothing.

    .venv/bin/python bench/studio.py [--runs N] [--course sisumaker]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import median_ms  # noqa: E402

from lms import create_app  # noqa: E402
from lms.content import revisions  # noqa: E402
from lms.content.sync import sync  # noqa: E402
from lms.content.tree import read_upload, to_zip  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.models import Course, Employee, Opd  # noqa: E402
from lms.studio import check, preview, publish  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--course", default="sisumaker")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                          "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            start = time.perf_counter()
            sync(ROOT / "courses", db.session)
            db.session.commit()
            first = (time.perf_counter() - start) * 1000
            again = median_ms(lambda: (sync(ROOT / "courses", db.session),
                                       db.session.rollback()), args.runs)
            opd = Opd(code="X", name="X", kind="kota", depth=0, path="/")
            db.session.add(opd)
            db.session.flush()
            author = Employee(nip="197905142006042002", name="Bench", opd_id=opd.id)
            db.session.add(author)
            course = db.session.query(Course).filter_by(slug=args.course).one()
            db.session.commit()
            tree = revisions.published_tree(db.session, course)
            size = sum(len(v) for v in tree.values())
            module = sorted(p for p in tree if p[:2].isdigit())[1]
            counter = iter(range(10**6))

            def edited():
                t = dict(tree)
                t[module] = t[module].replace(b"?", f"? ({next(counter)})".encode(), 1)
                return t

            def do_publish():
                outcome = publish.apply(db.session, course, edited(), source="studio",
                                        author=author, message="bench")
                assert outcome.ok, outcome.problems
                db.session.commit()

            zipped = to_zip(tree, args.course)
            rows = [
                ("sync courses/ (9 courses), first", first),
                ("sync courses/, nothing changed", again),
                ("validate one course draft", median_ms(
                    lambda: check.problems(tree, args.course), args.runs)),
                ("learner preview of the draft", median_ms(
                    lambda: preview.build(tree, args.course, lambda p: "/" + p), args.runs)),
                ("publish an edit of one question", median_ms(do_publish, args.runs)),
                ("export a zip", median_ms(lambda: to_zip(tree, args.course), args.runs)),
                ("read an uploaded zip", median_ms(lambda: read_upload(zipped), args.runs)),
            ]
            print(f"course {args.course}: {len(tree)} files, {size / 1024:.0f} KiB, "
                  f"zip {len(zipped) / 1024:.0f} KiB; SQLite; median of {args.runs}")
            for name, ms in rows:
                print(f"  {name:36s} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
