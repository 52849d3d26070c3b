"""Stored XSS end to end: a course folder full of payloads passes the checker, is synced,
and every page a learner opens shows the payloads only as harmless text. Images are
served as images, never as pages."""

import re

import pytest
from sqlalchemy import select

from lms.content import parse
from lms.content.parse import ANY_H3, image_refs
from lms.models import Asset, Course, QuizAttempt
from tests.support.http import csrf_token
from tests.support.xss import PAYLOADS, SAFE_IMAGE, assert_safe_html, fragments, has_class

SAFE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40" role="img">'
            '<title>Kotak aman</title><rect width="100" height="40" fill="#e3f2fd"/>'
            '<text x="10" y="25" font-size="14">Aman</text></svg>')
EVIL_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n'
            "  <script>alert(document.cookie)</script>\n</svg>\n")

# The page's own markup around the stored HTML (tag -> attributes the templates use).
# Stored HTML is checked strictly, fragment by fragment; this only lets the whole <main>
# be checked for what can never appear anywhere (script, on*, style=, javascript: URLs).
_COMMON = {"class", "id", "role", "aria-label", "aria-labelledby", "aria-describedby",
           "aria-current", "aria-hidden", "aria-live", "title", "tabindex"}
PAGE_CHROME = {tag: _COMMON for tag in (
    "nav", "h1", "h2", "h3", "h4", "p", "div", "section", "article", "span", "ol", "ul",
    "li", "strong", "em", "a", "dl", "dt", "dd", "small", "fieldset", "legend", "br")}
PAGE_CHROME |= {
    "a": _COMMON | {"href"},
    "form": _COMMON | {"method", "action", "novalidate"},
    "input": _COMMON | {"type", "name", "value", "checked", "required", "autocomplete"},
    "label": _COMMON | {"for"},
    "button": _COMMON | {"type", "name", "value"},
    "progress": _COMMON | {"max", "value"},
    "meter": _COMMON | {"min", "max", "value", "low", "high", "optimum"},
}

# Quiz parts are read line by line; such lines would change the question, not test it.
_QUIZ_LINE = re.compile(r"^\s*([-*]\s+\[[ xX]\]\s|#)")


def _fits_page(payload: str) -> bool:
    """Valid in a course: its images are the course's own harmless SVG (payloads with
    other image targets are refused by the checker: tested below)."""
    return all(ref.target == SAFE_IMAGE for ref in image_refs(payload, 1))


def _fits_question(payload: str) -> bool:
    return _fits_page(payload) and not any(
        ANY_H3.match(line) or parse.option(line.strip())
        or parse.answer_label(line.strip()) is not None
        or _QUIZ_LINE.match(line) for line in payload.splitlines())


PAGE_PAYLOADS = [p for p in PAYLOADS if _fits_page(p)]
QUESTION_PAYLOADS = [p for p in PAYLOADS if _fits_question(p)]
ONE_LINE = [p for p in QUESTION_PAYLOADS if "\n" not in p and "{" not in p]


def _quote(text: str) -> str:
    return "\n".join(("> " + line).rstrip() for line in text.splitlines())


def write_course(root, slug="uji-xss"):
    folder = root / slug
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "aman.svg").write_text(SAFE_SVG, encoding="utf-8")
    body = "\n\n".join(PAGE_PAYLOADS)
    (folder / "README.md").write_text(
        "---\ntitle: \"<script>alert(1)</script> Kursus uji\"\n"
        "summary: \"<img src=x onerror=alert(1)> Ringkasan\"\njp: 0\nversion: \"1.0\"\n"
        f"---\nDeskripsi kursus.\n\n{body}\n", encoding="utf-8")
    questions = []
    for i, payload in enumerate(QUESTION_PAYLOADS):
        heading = ONE_LINE[i % len(ONE_LINE)]
        option = ONE_LINE[(i + 1) % len(ONE_LINE)]
        questions.append(
            f"### Soal {i}: {heading} {{#soal-{i}}}\n\n{payload}\n\n"
            f"- [x] {option}\n- [ ] Pilihan salah {i}\n\n"
            f"> **Penjelasan:** Penjelasan {i}.\n>\n{_quote(payload)}\n")
    (folder / "01-isi.md").write_text(
        "---\ntitle: \"<svg onload=alert(1)> Modul uji\"\nminutes: 5\n---\n"
        f"Isi modul.\n\n{body}\n\n## Kuis\n\n" + "\n".join(questions), encoding="utf-8")
    return folder


@pytest.fixture
def xss_course(tmp_path, runner, db):
    root = tmp_path / "kursus"
    write_course(root)
    checked = runner.invoke(args=["lms", "check-courses", str(root)])
    assert checked.exit_code == 0, checked.output
    synced = runner.invoke(args=["lms", "sync-courses", str(root)])
    assert synced.exit_code == 0, synced.output
    return db.session.scalars(select(Course).filter_by(slug="uji-xss")).one()


def _main(html: str) -> str:
    m = re.search(r"<main\b[^>]*>(.*)</main>", html, re.DOTALL)
    assert m, "no <main> on the page"
    return m.group(1)


def _check_page(client, url, min_fragments):
    response = client.get(url)
    assert response.status_code == 200, url
    main = _main(response.get_data(as_text=True))
    assert_safe_html(main, chrome=PAGE_CHROME)
    stored = fragments(main, has_class("prose"))
    assert len(stored) >= min_fragments, url
    for fragment in stored:
        assert_safe_html(fragment)
    return main


def _post(client, url, page, data=None):
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client, page)
    return client.post(url, data=data)


def test_corpus_fills_the_course(xss_course):
    assert len(PAGE_PAYLOADS) >= 40 and len(QUESTION_PAYLOADS) >= 30
    assert len(xss_course.current_modules[0].questions) == len(QUESTION_PAYLOADS)


def test_every_learner_page_shows_payloads_as_text(as_learner, xss_course, db):
    course_page = _check_page(as_learner, "/kursus/uji-xss", 1)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Kursus uji" in course_page
    module_page = _check_page(as_learner, "/kursus/uji-xss/isi", 1)
    assert '&lt;iframe src="javascript:alert(1)"&gt;' in module_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in module_page  # escaped, not removed

    started = _post(as_learner, "/kursus/uji-xss/isi/kuis", "/kursus/uji-xss/isi")
    assert started.status_code == 302
    quiz_url = started.headers["Location"]
    quiz_page = _check_page(as_learner, quiz_url, len(QUESTION_PAYLOADS))
    labels = fragments(quiz_page, lambda tag, attrs: tag == "span"
                       and "option-text" in (attrs.get("class") or ""))
    assert len(labels) == 2 * len(QUESTION_PAYLOADS)
    for label in labels:
        assert_safe_html(label)

    attempt = db.session.get(QuizAttempt, int(quiz_url.rsplit("/", 1)[1]))
    form = {f"q{d['q']}": "0" for d in attempt.drawn}
    assert _post(as_learner, quiz_url, quiz_url, form).status_code == 302
    result = _check_page(as_learner, quiz_url + "/hasil", 2 * len(QUESTION_PAYLOADS))
    options = fragments(result, lambda tag, attrs: tag == "span"
                        and attrs.get("class") == "option-text")
    assert len(options) == 2 * len(QUESTION_PAYLOADS)
    for option in options:
        assert_safe_html(option)


def test_asset_is_served_as_an_image_never_a_page(as_learner, xss_course):
    page = as_learner.get("/kursus/uji-xss").get_data(as_text=True)
    url = re.search(r'src="(/aset/[0-9a-f]{64}/aman\.svg)"', page).group(1)
    response = as_learner.get(url)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    headers = response.headers
    assert "sandbox" in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"] == 'inline; filename="aman.svg"'
    assert "html" not in headers["Content-Type"]

    renamed = as_learner.get(url.replace("aman.svg", 'x".html'))
    assert renamed.mimetype == "image/svg+xml"
    assert renamed.headers["Content-Disposition"] == 'inline; filename="gambar"'


def test_asset_with_a_non_image_type_is_a_download(as_learner, xss_course, db):
    db.session.add(Asset(course=xss_course, path="img/halaman.html", sha256="f" * 64,
                         mime="text/html", data=b"<script>alert(1)</script>"))
    response = as_learner.get("/aset/" + "f" * 64 + "/halaman.html")
    assert response.status_code == 200
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_malicious_svg_fails_the_check_at_its_line(tmp_path, runner, english):
    root = tmp_path / "kursus"
    folder = write_course(root, slug="svg-jahat")
    (folder / "img" / "jahat.svg").write_text(EVIL_SVG, encoding="utf-8")
    (folder / "02-gambar.md").write_text(
        "---\ntitle: Gambar\n---\nSebuah diagram:\n\n![Diagram](img/jahat.svg)\n",
        encoding="utf-8")
    result = runner.invoke(args=["lms", "check-courses", str(root)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{folder / '02-gambar.md'}:6: image 'img/jahat.svg': the SVG contains a script: "
        "remove it (images must not run code)"]


def test_payload_images_pointing_elsewhere_fail_the_check(tmp_path, runner):
    outside = [p for p in PAYLOADS if not _fits_page(p)]
    assert outside
    folder = tmp_path / "kursus" / "gambar-luar"
    folder.mkdir(parents=True)
    (folder / "README.md").write_text(
        "---\ntitle: Uji\nsummary: Uji\njp: 0\nversion: \"1\"\n---\n", encoding="utf-8")
    (folder / "01-a.md").write_text(
        "---\ntitle: A\n---\n" + "\n\n".join(outside) + "\n", encoding="utf-8")
    result = runner.invoke(args=["lms", "check-courses", str(tmp_path / "kursus")])
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) >= len(outside)
