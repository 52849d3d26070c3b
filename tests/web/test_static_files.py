"""Static files: content-hashed names, a year's cache for them, the plain name still works."""

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pages_link_the_stylesheet_by_its_content_hash(client):
    page = client.get("/masuk").get_data(as_text=True)
    digest = hashlib.sha256((ROOT / "static/css/melek.css").read_bytes()).hexdigest()[:12]
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)[1]
    assert href == f"/static/css/melek.{digest}.css"
    response = client.get(href)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.get_data() == (ROOT / "static/css/melek.css").read_bytes()


def test_the_plain_name_is_revalidated_and_a_wrong_hash_is_not_found(client):
    plain = client.get("/static/css/melek.css")
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "no-cache"
    assert client.get("/static/css/melek.000000000000.css").status_code == 404
    assert client.get("/static/../lms/config.py").status_code == 404
