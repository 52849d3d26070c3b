"""Requests per second of the logged-in learner pages under gunicorn, next to a bare Flask
route serving the very same HTML under the same gunicorn settings, measured alternately
in one run (app, bare, app, bare ...) so both see the same machine.

Run: .venv/bin/python bench/throughput.py [--seconds 5] [--rounds 3] [--workers 2]
         [--connections 8] [--root PATH]
`--root` serves another checkout of Melek (e.g. a `git worktree` of an older commit, for
"before" figures) with this script and this venv. The load generator is wrk (apt-get
install wrk); keep-alive, `--connections` connections over 2 threads. Prints the median
requests/s of the rounds per page and the ratio app/bare. Not a test: nothing asserted.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
NIP, PASSWORD = "198609262015051001", "bench-sandi-1"
# One browser: Flask-Login ties the session to the address and User-Agent, and marks it
# changed (a new cookie) on every request that arrives with another.
AGENT = "melek-bench"
PAGES = ("module", "dashboard", "course", "quiz", "catalogue")


def setup(root: Path, db_url: str) -> dict:
    """Build the database with `root`'s code (run in a child process, see --setup)."""
    out = subprocess.run([sys.executable, __file__, "--setup", db_url],
                         cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _setup_here(db_url: str) -> None:
    from datetime import timedelta

    from werkzeug.security import generate_password_hash

    from lms import create_app
    from lms.content.sync import sync
    from lms.core import clock
    from lms.core.extensions import db
    from lms.learning import progress, quiz
    from lms.mandatory import assignments
    from lms.models import Course, Employee, Opd

    root = Path.cwd()
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        report = sync(root / "courses", db.session)
        assert report.ok
        city = Opd(code="TANGSEL", name="Kota", kind="kota", path="/1/")
        db.session.add(city)
        db.session.flush()
        me = Employee(nip=NIP, name="Rina Sari", opd_id=city.id,
                      password_hash=generate_password_hash(PASSWORD))
        db.session.add(me)
        db.session.flush()
        courses = list(db.session.scalars(db.select(Course).order_by(Course.position,
                                                                     Course.id)))
        assignments.create(db.session, course=courses[2], by=None,
                           due_date=clock.today() + timedelta(days=20))
        first = courses[0]
        for course in courses[:3]:
            progress.enroll(db.session, me.id, course)
        modules = first.current_modules
        progress.complete_module(db.session, me.id, modules[0])
        with_quiz = next(m for c in courses for m in c.current_modules if m.has_quiz)
        attempt = quiz.start(db.session, me.id, with_quiz)
        db.session.commit()
        print(json.dumps({
            "module": f"/kursus/{first.slug}/{modules[1].key}",
            "dashboard": "/", "course": f"/kursus/{first.slug}",
            "quiz": f"/kuis/{attempt.id}", "catalogue": "/katalog"}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app: str, chdir: Path, port: int, workers: int, env: dict) -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--chdir", str(chdir), "--log-level", "warning", app],
        # gunicorn also puts the directory it starts in on sys.path: start it in `chdir`.
        cwd=chdir, env={**os.environ, **env}, start_new_session=True)
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"gunicorn on {port} did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login(base: str) -> str:
    """The session cookie of a real sign-in through /masuk."""
    opener = urllib.request.build_opener(NoRedirect)
    opener.addheaders = [("User-Agent", AGENT)]
    with opener.open(base + "/masuk") as page:
        cookie = page.headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.read().decode())[1]
    body = urllib.parse.urlencode({"nip": NIP, "password": PASSWORD,
                                   "csrf_token": token}).encode()
    request = urllib.request.Request(base + "/masuk", data=body,
                                     headers={"Cookie": cookie, "User-Agent": AGENT})
    try:
        opener.open(request)
    except urllib.error.HTTPError as exc:  # the 302 after signing in
        if exc.code != 302:
            raise
        cookie = exc.headers["Set-Cookie"].split(";")[0]
    else:
        raise SystemExit("sign-in did not redirect")
    # The first page after signing in adds the CSRF secret to the session, as a browser
    # would keep it. wrk replays one cookie: the sign-in's own would make every response
    # sign and send a new one, which no browser causes.
    with opener.open(urllib.request.Request(base + "/", headers={"Cookie": cookie,
                                                                 "User-Agent": AGENT})) as page:
        renewed = page.headers["Set-Cookie"]
    return renewed.split(";")[0] if renewed else cookie


def fetch(url: str, cookie: str = "") -> bytes:
    headers = {"Cookie": cookie, "User-Agent": AGENT}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
        assert r.status == 200, (url, r.status)
        if cookie and r.headers["Set-Cookie"]:
            raise SystemExit(f"{url} sets a new cookie on every request of the run")
        return r.read()


def wrk(url: str, seconds: int, connections: int, cookie: str = "") -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"User-Agent: {AGENT}",
               url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{url}: error responses under load\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--root", type=Path, default=HERE.parent)
    parser.add_argument("--compare", type=Path, action="append", default=[],
                        help="another checkout served beside --root, measured in the same "
                             "rounds (e.g. the commit before a change)")
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    if args.setup:
        return _setup_here(args.setup)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    roots = [r.resolve() for r in [args.root, *args.compare]]
    pages = [p for p in args.pages.split(",") if p]
    servers = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            apps = []
            for i, root in enumerate(roots):
                db_url = f"sqlite:///{tmp}/bench{i}.db"
                urls = setup(root, db_url)
                env = {"DATABASE_URL": db_url, "SECRET_KEY": "bench",
                       "LMS_ENV": "development", "PUBLIC_BASE_URL": "http://127.0.0.1",
                       "PYTHONPATH": str(root)}
                port = free_port()
                servers.append(serve("app:app", root, port, args.workers, env))
                base = f"http://127.0.0.1:{port}"
                apps.append((root, base, urls, login(base)))
            html_dir = Path(tmp) / "html"
            html_dir.mkdir()
            _root, base, urls, cookie = apps[0]
            sizes = {}
            for page in pages:
                (html_dir / page).write_bytes(fetch(base + urls[page], cookie))
                sizes[page] = (html_dir / page).stat().st_size
            bare_port = free_port()
            servers.append(serve("throughput_bare:app", HERE, bare_port, args.workers,
                                 {"BARE_HTML_DIR": str(html_dir)}))
            results = {(p, i): [] for p in pages for i in range(len(apps) + 1)}
            for _ in range(args.rounds):
                for page in pages:
                    for i, (_root, base, urls, cookie) in enumerate(apps):
                        results[page, i].append(wrk(base + urls[page], args.seconds,
                                                    args.connections, cookie))
                    results[page, len(apps)].append(wrk(
                        f"http://127.0.0.1:{bare_port}/bare/{page}", args.seconds,
                        args.connections))
        finally:
            for server in servers:
                stop(server)
    print(f"gunicorn {args.workers} sync workers, wrk 2 threads {args.connections} "
          f"connections, {args.rounds} rounds x {args.seconds} s, alternating, SQLite, "
          f"{os.cpu_count()} CPUs; apps: " + ", ".join(
              f"[{i}] {r}" for i, r in enumerate(roots)))
    for page in pages:
        bare = statistics.median(results[page, len(apps)])
        line = f"{page:<10} {sizes[page]:>6} B  bare {bare:6.0f}/s"
        for i in range(len(apps)):
            rps = statistics.median(results[page, i])
            line += f"  [{i}] {rps:6.0f}/s ratio {rps / bare:.3f}"
        print(line)


if __name__ == "__main__":
    main()
