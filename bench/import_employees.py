"""Time the employee import (check, then apply) of a generated HR export.

    .venv/bin/python bench/import_employees.py --rows 15000 [--database-url URL]

Builds the demo organisation in a fresh database, writes a CSV of ROWS employees spread
over it, and times `roster.plan` (the dry run) and `roster.apply`, then a second import
of the same file (nothing to change). Prints figures; asserts nothing.
"""

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lms import create_app, roster  # noqa: E402
from lms.demo import build_tree, make_nip  # noqa: E402
from lms.demo_org import FIRST_NAMES, LAST_NAMES  # noqa: E402
from lms.extensions import db  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=15000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/import.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            db.drop_all()
            db.create_all()
            codes = [o.code for o in build_tree(db.session).values()]
            db.session.commit()
            rng, used = random.Random(1), set()
            lines = ["nip,nama,email,jabatan,opd_kode,jenis_pegawai,aktif"]
            for _ in range(args.rows):
                lines.append(f"{make_nip(rng, used)},{rng.choice(FIRST_NAMES)} "
                             f"{rng.choice(LAST_NAMES)},,Staf,{rng.choice(codes)},PNS,ya")
            data = ("\n".join(lines) + "\n").encode()
            for label in ("first import", "same file again"):
                start = time.perf_counter()
                result, rows = roster.plan(db.session, roster.read_table(data, "x.csv"))
                checked = time.perf_counter() - start
                if result.changes:
                    roster.apply(db.session, rows, result)
                db.session.commit()
                total = time.perf_counter() - start
                print(f"{label:16s} {args.rows} rows on {db.engine.dialect.name}: check "
                      f"{checked:.2f} s, check and apply {total:.2f} s "
                      f"({len(result.created)} created, {result.unchanged} unchanged)")


if __name__ == "__main__":
    main()
