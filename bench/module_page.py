"""Why Markdown is rendered once per content version: the module page served from stored
HTML, next to the same page if it re-rendered the Markdown on every request.

Run: .venv/bin/python bench/module_page.py [--requests 300]
Prints medians and the ratio; not a test, nothing is asserted.
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import median_ms  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from lms import create_app  # noqa: E402
from lms.content import render  # noqa: E402
from lms.content.parse import parse_module  # noqa: E402
from lms.content.sync import sync  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.models import Employee, Module, Opd  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                          "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
        with app.app_context():
            db.create_all()
            sync(ROOT / "courses", db.session)
            opd = Opd(code="X", name="X", kind="dinas", path="/1/")
            db.session.add(opd)
            db.session.flush()
            db.session.add(Employee(nip="198609262015051001", name="B", opd_id=opd.id,
                                    password_hash=generate_password_hash("x")))
            db.session.commit()
            module = db.session.query(Module).order_by(Module.id).first()
            url = f"/kursus/{module.course.slug}/{module.key}"
            source = next((ROOT / "courses" / module.course.slug).glob("01-*.md"))
        client = app.test_client()
        client.post("/masuk", data={"nip": "198609262015051001", "password": "x"})
        assert client.get(url).status_code == 200
        parsed, _ = parse_module(source, ROOT / "courses")

        stored = median_ms(lambda: client.get(url), args.requests)
        render_only = median_ms(lambda: render.render(parsed.body_md), args.requests)
    print(f"module page {url}, {args.requests} requests, SQLite")
    print(f"  served from stored HTML:            median {stored:7.2f} ms")
    print(f"  Markdown rendering alone:           median {render_only:7.2f} ms")
    print(f"  page if it re-rendered per request: median {stored + render_only:7.2f} ms "
          f"({(stored + render_only) / stored:.2f}x the stored page)")


if __name__ == "__main__":
    main()
