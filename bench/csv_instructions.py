"""Count the CPU instructions (valgrind's callgrind) SQLite spends on the city-wide
employee CSV's query, as the application builds it, next to variants of that query: the
join alone, the fields unformatted, and two rewrites not shipped (docs/performance.md).
Instruction counts barely move between runs where this shared machine's CPU seconds
varied 8.4-11.0 s for one query; use a 10,000-employee database (callgrind runs about
50 times slower; `apt-get install valgrind`). Prints counts and ratios; asserts nothing.

    .venv/bin/python bench/generate.py --employees 10000 --database-url sqlite:////tmp/b10k.db
    .venv/bin/python bench/csv_instructions.py --database /tmp/b10k.db
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from reports import login  # noqa: E402

from lms import create_app  # noqa: E402
from lms.hr import detail_export  # noqa: E402

TEXT = ["employee.nip", "employee.name", "opd.code", "opd.name", "employee.position",
        "course.title"]
FETCH = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1]); con.execute("PRAGMA cache_size = -32000")
cursor = con.execute(open(sys.argv[2]).read()); rows = 0
while batch := cursor.fetchmany(5000):
    rows += len(batch)
print(rows)
"""


def shipped_sql(database: str) -> str:
    """The SQL the application runs for HR's city-wide CSV (caught at the driver)."""
    caught = []
    detail_export._batches = lambda session, sql, batch: caught.append(sql) or iter(())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                      "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    response = login(app, "bench-hr-city").get("/laporan/rincian/unduh.csv", buffered=False)
    b"".join(response.response)
    response.close()
    return caught[0]


def variants(sql: str) -> dict[str, str]:
    head, tail = sql.split("\nFROM ", 1)
    args = head[head.index("\n', ") + 4:head.rindex(") AS ")]
    starts = [args.index(f"CASE WHEN (instr({c}, ") for c in TEXT]
    rest_at = args.index("CASE WHEN (enrollment.completed_at IS NOT NULL) THEN")
    safe = {c: args[s:(starts + [rest_at])[i + 1]].rstrip(", ")
            for i, (c, s) in enumerate(zip(TEXT, starts, strict=True))}
    rest = args[rest_at:]
    line = "printf('" + ",".join(["%s"] * 12) + "\n', "
    ctes = (f"WITH o AS MATERIALIZED (SELECT opd.id AS id, {safe['opd.code']} || ',' || "
            f"{safe['opd.name']} AS f FROM opd), c AS MATERIALIZED (SELECT course.id AS id, "
            f"{safe['course.title']} AS f FROM course) ")
    # One string per employee: the employee's lines with placeholders where its own
    # fields go, formatted once (not shipped: see docs/performance.md).
    where = tail[tail.index("WHERE ") + 6:tail.index(" ORDER BY")]
    where = re.sub(r"employee\.active = 1 AND ", "", where)
    lines = ("SELECT char(1) || o.f || char(2) || c.f || printf(',%s,%s,%s,%s,%s,%s\n', "
             f"{rest}) AS line FROM requirement JOIN opd ON opd.id = requirement.opd_id "
             "JOIN course ON course.id = requirement.course_id JOIN o ON o.id = "
             "requirement.opd_id JOIN c ON c.id = requirement.course_id LEFT OUTER JOIN "
             "enrollment ON enrollment.employee_id = requirement.employee_id AND "
             "enrollment.course_id = requirement.course_id WHERE requirement.employee_id = "
             f"employee.id AND {where} ORDER BY requirement.course_id")
    grouped = (f"{ctes}SELECT replace(replace((SELECT group_concat(line, '') FROM ({lines})), "
               f"char(1), {safe['employee.nip']} || ',' || {safe['employee.name']} || ','), "
               f"char(2), ',' || {safe['employee.position']} || ',') FROM employee "
               "WHERE employee.active = 1 ORDER BY employee.name, employee.id")
    return {
        "nothing (SELECT 1)": "SELECT 1",
        "the join alone": "SELECT 1\nFROM " + tail,
        "fields unformatted": f"SELECT {line}{', '.join(TEXT)}, {rest})\nFROM {tail}",
        "shipped": sql,
        "OPD, course formatted once": (
            f"{ctes}SELECT printf('" + ",".join(["%s"] * 11) + "\n', "
            f"{safe['employee.nip']}, {safe['employee.name']}, (SELECT f FROM o WHERE "
            f"o.id = requirement.opd_id), {safe['employee.position']}, (SELECT f FROM c "
            f"WHERE c.id = requirement.course_id), {rest})\nFROM {tail}"),
        "... and the employee once": grouped,
    }


def instructions(database: str, sql: str) -> tuple[int, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as file:
        file.write(sql)
        file.flush()
        done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                               sys.executable, "-c", FETCH, database, file.name],
                              capture_output=True, text=True, check=True)
    count = int(re.search(r"Collected : (\d+)", done.stderr)[1])
    return count, int(done.stdout.split()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a bench/generate.py SQLite file")
    args = parser.parse_args()
    found = variants(shipped_sql(args.database))
    counts = {name: instructions(args.database, sql) for name, sql in found.items()}
    shipped = counts["shipped"][0]
    for name, (count, rows) in counts.items():
        print(f"{name:28s} {count / 1e6:8.0f} M instructions  {count / shipped:5.2f}x "
              f"shipped  ({rows} rows)")

if __name__ == "__main__":
    main()
