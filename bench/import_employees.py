"""Time the employee import of a generated HR export, and how long it holds the write lock.

    .venv/bin/python bench/import_employees.py --rows 200000 [--assignments 3]
        [--database-url URL]

Builds the demo organisation in a fresh database (with ASSIGNMENTS city-wide mandatory
courses, so requirements and report counts are re-derived as in production), writes a CSV
of ROWS employees spread over it and runs `flask lms import-employees` on it three times:
the first import (everyone created), the same file again (nothing to change) and a file
where 2% moved to another OPD and 2% changed position. Prints, for each: the wall time,
the time the write transaction was open (on SQLite: the write lock, BEGIN IMMEDIATE to
COMMIT) and, on SQLite, the longest stretch another connection could not start a write
(a probe trying BEGIN IMMEDIATE every 20 ms without waiting). Asserts nothing.
"""

import argparse
import random
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from lms import create_app  # noqa: E402
from lms.core import database
from lms.core.extensions import db  # noqa: E402
from lms.demo.organisation import FIRST_NAMES, LAST_NAMES  # noqa: E402
from lms.demo.seed import build_tree, make_nip  # noqa: E402
from lms.mandatory import assignments
from lms.models import Course  # noqa: E402


class WriteClock:
    """Durations of transactions begun with write intent, from engine events."""

    def __init__(self, engine):
        self.held, self._began = [], {}
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _begin(self, conn):
        if database._immediate.get():
            self._began[id(conn)] = time.perf_counter()

    def _end(self, conn):
        began = self._began.pop(id(conn), None)
        if began is not None:
            self.held.append(time.perf_counter() - began)


class Probe(threading.Thread):
    """Another SQLite writer: the longest time it could not take the write lock."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.stop, self.longest = path, threading.Event(), 0.0

    def run(self):
        raw = sqlite3.connect(self.path, isolation_level=None, timeout=0)
        blocked_since = None
        while not self.stop.is_set():
            now = time.perf_counter()
            try:
                raw.execute("BEGIN IMMEDIATE")
                raw.execute("ROLLBACK")
                blocked_since = None
            except sqlite3.OperationalError:
                blocked_since = blocked_since or now
                self.longest = max(self.longest, now - blocked_since)
            time.sleep(0.02)
        raw.close()


def csv_file(people: list[tuple], path: Path) -> None:
    lines = ["nip,nama,email,jabatan,opd_kode,jenis_pegawai,aktif"]
    lines += [f"{nip},{name},,{position},{code},PNS,ya" for nip, name, position, code in people]
    path.write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=15000)
    parser.add_argument("--assignments", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/import.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            db.drop_all()
            db.create_all()
            codes = [o.code for o in build_tree(db.session).values()]
            for c in range(args.assignments):
                course = Course(slug=f"wajib-{c}", title=f"Wajib {c}", jp=2, position=c,
                                published=True, description_html="", module_count=1)
                db.session.add(course)
                db.session.flush()
                assignments.create(db.session, course=course, due_date=date(2030, 12, 31),
                                   by=None)
            db.session.commit()
            sqlite_path = db.engine.url.database if db.engine.dialect.name == "sqlite" else None
            clock = WriteClock(db.engine)
        rng, used = random.Random(1), set()
        people = [(make_nip(rng, used), f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                   "Staf", rng.choice(codes)) for _ in range(args.rows)]
        first = Path(tmp) / "pegawai.csv"
        csv_file(people, first)
        changed = list(people)
        for i in rng.sample(range(args.rows), args.rows // 25):
            nip, name, position, code = changed[i]
            changed[i] = ((nip, name, position, rng.choice(codes)) if i % 2 else
                          (nip, name, "Analis", code))
        second = Path(tmp) / "pegawai-berubah.csv"
        csv_file(changed, second)
        runner = app.test_cli_runner()
        dialect = url.split(":", 1)[0].split("+")[0]
        for label, path in (("first import", first), ("same file again", first),
                            ("2% moved, 2% changed", second)):
            probe = Probe(sqlite_path) if sqlite_path else None
            if probe:
                probe.start()
            clock.held.clear()
            start = time.perf_counter()
            result = runner.invoke(args=["lms", "import-employees", str(path)])
            total = time.perf_counter() - start
            if probe:
                probe.stop.set()
                probe.join()
            assert result.exit_code == 0, result.output
            summary = result.output.strip().splitlines()[-2:]
            held = max(clock.held, default=0.0)
            blocked = f", another writer blocked up to {probe.longest:.2f} s" if probe else ""
            print(f"{label:22s} {args.rows} rows, {args.assignments} assignments, {dialect}: "
                  f"{total:.2f} s in all, write transaction {held:.2f} s{blocked}")
            print(f"{'':22s} {' / '.join(summary)}")


if __name__ == "__main__":
    main()
