"""Count the CPU instructions (valgrind's callgrind) of HR's city-wide employee CSV on
SQLite, downloaded through the application, for this checkout and, with `--compare`,
another one: each count is a process that downloads the CSV minus the same process that
only signs in. Instruction counts barely move between runs where this shared machine's
CPU seconds varied 8.4-11.0 s for one download; use a 10,000-employee database
(callgrind runs about 50 times slower; `apt-get install valgrind`). Prints counts and
the ratio; asserts nothing.

    .venv/bin/python bench/generate.py --employees 10000 --database-url sqlite:////tmp/b10k.db
    .venv/bin/python bench/csv_instructions.py --database /tmp/b10k.db --compare /tmp/before

Each checkout runs on its own copy of the database when `--compare-database` names one
(a schema the other checkout built, e.g. before a migration).
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DOWNLOAD = """
import sys
root, database, download = sys.argv[1], sys.argv[2], sys.argv[3] == "yes"
sys.path.insert(0, root); sys.path.insert(0, root + "/bench")
from reports import login
from lms import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + database, "SECRET_KEY": "bench",
                  "WTF_CSRF_ENABLED": False})
client = login(app, "bench-hr-city")
size = 0
if download:
    response = client.get("/laporan/rincian/unduh.csv", buffered=False)
    size = sum(len(chunk) for chunk in response.response)
    response.close()
print(size)
"""


def instructions(root: str, database: str, download: bool) -> tuple[int, int]:
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           sys.executable, "-c", DOWNLOAD, root, database,
                           "yes" if download else "no"],
                          capture_output=True, text=True, check=True)
    count = int(re.search(r"Collected : (\d+)", done.stderr)[1])
    return count, int(done.stdout.split()[-1])


def download(root: str, database: str) -> tuple[int, int]:
    """The download's instructions (the process's less the one that only signs in) and
    the file's size."""
    base, _ = instructions(root, database, download=False)
    count, size = instructions(root, database, download=True)
    return count - base, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a bench/generate.py SQLite file")
    parser.add_argument("--compare", help="another checkout (its messages.mo compiled)")
    parser.add_argument("--compare-database", help="the database for --compare, if not --database")
    args = parser.parse_args()
    this, size = download(str(ROOT), args.database)
    print(f"this checkout  {this / 1e6:8.0f} M instructions  ({size} bytes)")
    if args.compare:
        other, size = download(args.compare, args.compare_database or args.database)
        print(f"--compare      {other / 1e6:8.0f} M instructions  ({size} bytes)  "
              f"this / compare {this / other:.2f}")


if __name__ == "__main__":
    main()
