"""The bare Flask route bench/throughput.py measures the learner pages against: the same
HTML bytes (saved from the real pages), one route, no database, no session."""

import os
from pathlib import Path

from flask import Flask, Response

app = Flask(__name__)
PAGES = {p.name: p.read_bytes() for p in Path(os.environ["BARE_HTML_DIR"]).iterdir()}


@app.route("/bare/<name>")
def page(name):
    return Response(PAGES[name], mimetype="text/html")
