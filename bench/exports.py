"""Time the city-wide employee-level downloads (CSV and HR's XLSX workbook) through the
application, each in a fresh process so its peak memory growth is its own, alternating
with another checkout when `--compare` names one (the same database, the same rounds).

    .venv/bin/python bench/exports.py --database-url sqlite:////tmp/b100k.db \
        --compare /tmp/melek-before --rounds 3

Prints seconds, the process's CPU seconds (SQLite runs in the process: on a shared
machine its CPU time varies far less than the wall clock), file size and how much the
process's peak resident size grew while streaming (medians of the rounds); asserts nothing.
"""

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOWNLOADS = {"csv": "/laporan/rincian/unduh.csv", "xlsx": "/laporan/rincian/unduh.xlsx"}

ONE = """
import json, sys
sys.path.insert(0, {root!r}); sys.path.insert(0, {root!r} + "/bench")
import resource, time
from reports import login
from lms import create_app
app = create_app({{"SQLALCHEMY_DATABASE_URI": {url!r}, "SECRET_KEY": "bench",
                  "WTF_CSRF_ENABLED": False}})
client = login(app, "bench-hr-city")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start, cpu = time.perf_counter(), time.process_time()
response = client.get({path!r}, buffered=False)
size = sum(len(chunk) for chunk in response.response)
response.close()
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps([seconds, size / 1e6, grown / 1024, cpu]))
"""


def once(root: Path, url: str, path: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", ONE.format(root=str(root), url=url,
                                                           path=path)],
                         cwd=root, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--compare", help="another checkout, measured in turns")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=sorted(DOWNLOADS), action="append")
    args = parser.parse_args()
    trees = {"this": ROOT} | ({"compare": Path(args.compare)} if args.compare else {})
    results = {}
    for _ in range(args.rounds):
        for kind in args.only or sorted(DOWNLOADS):
            for name, root in trees.items():
                results.setdefault((kind, name), []).append(
                    once(root, args.database_url, DOWNLOADS[kind]))
    print(f"{args.database_url}, medians of {args.rounds} rounds")
    for (kind, name), runs in results.items():
        seconds, size, grown, cpu = (statistics.median(r[i] for r in runs)
                                     for i in range(4))
        every = " ".join(f"{r[0]:.2f}" for r in runs)
        print(f"  {kind:4s} {name:8s} {seconds:6.2f} s ({every}), CPU {cpu:6.2f} s  "
              f"{size:6.1f} MB  peak memory +{grown:.0f} MB")


if __name__ == "__main__":
    main()
