"""Static files under content-hashed names, cached for a year.

At startup every file under static/ is hashed (SHA-256, first 12 hex digits) and
`url_for('static', filename='css/melek.css')` builds `/static/css/melek.3f2a9c0d1e4b.css`.
A hashed name is served with `Cache-Control: public, max-age=31536000, immutable`: when
the file changes, so does its name, so browsers and nginx never hold a stale copy and
never ask again for a current one. The plain name still answers (a bookmark, an email),
revalidated on every use. Each worker and host computes the same names from the same files;
there is no build step.
"""

import hashlib
import re
from pathlib import Path

from flask import Flask, send_from_directory

YEAR = 31536000
HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[^./]+)$")


def manifest(folder: Path) -> dict[str, str]:
    """{file name under static/: its hashed name}."""
    names = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        stem, dot, suffix = name.rpartition(".")
        names[name] = f"{stem}.{digest}.{suffix}" if dot and "/" not in suffix \
            else f"{name}.{digest}"
    return names


def init_app(app: Flask) -> None:
    if not app.static_folder:
        return
    folder = Path(app.static_folder)
    hashed = manifest(folder)
    plain = {v: k for k, v in hashed.items()}

    @app.url_defaults
    def _hashed_name(endpoint, values):
        if endpoint == "static" and values.get("filename") in hashed:
            values["filename"] = hashed[values["filename"]]

    def static(filename):
        if filename in plain:
            response = send_from_directory(folder, plain[filename], max_age=YEAR)
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
            return response
        response = send_from_directory(folder, filename, max_age=0)
        response.headers["Cache-Control"] = "no-cache"
        return response

    app.view_functions["static"] = static
