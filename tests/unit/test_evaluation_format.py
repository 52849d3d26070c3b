"""The questionnaire file's rules and the course's `confidence:` key, with line numbers,
as check-courses prints them."""

import shutil

from lms.content.validate import load
from lms.evaluation import questionnaire
from tests.support.factories import DATA

GOOD = """---
title: Evaluasi
version: "1"
---
Pengantar.

### Materi sesuai pekerjaan saya {#relevan}
### Penjelasan jelas {#jelas}
### Saran Anda {#komentar .komentar}
"""


def _messages(text):
    _q, problems = questionnaire.parse(text, "kuesioner.md")
    return [str(p) for p in problems]


def test_a_good_questionnaire_reads_into_items(app):
    with app.app_context():
        q, problems = questionnaire.parse(GOOD, "kuesioner.md")
    assert problems == []
    assert q.title == "Evaluasi" and q.intro_md == "Pengantar."
    assert [(i["key"], i["kind"]) for i in q.items] == [
        ("relevan", "scale"), ("jelas", "scale"), ("komentar", "comment")]


def test_every_rule_names_its_line(app, english):
    broken = """---
title: Evaluasi
version: 1
warna: biru
---
### Sesuai {#relevan}
### Sesuai lagi {#relevan}
### Tanpa ID
## Bagian
teks di antara
### Komentar {#k1 .komentar}
### Komentar lagi {#k2 .komentar}
### Aneh {#aneh .bintang}
### {#kosong}
"""
    found = _messages(broken)
    assert "kuesioner.md:3: write the version in quotes, e.g. version: \"2\"" in found
    assert any(m.startswith("kuesioner.md:4: unknown front-matter key 'warna'") for m in found)
    assert "kuesioner.md:7: the ID 'relevan' is already used on line 6" in found
    assert any(m.startswith("kuesioner.md:8: a statement is written") for m in found)
    assert any(m.startswith("kuesioner.md:9: a statement is written") for m in found)
    assert any(m.startswith("kuesioner.md:10: only statements may follow") for m in found)
    assert any(m.startswith("kuesioner.md:12: there is one open comment at most")
               for m in found)
    assert "kuesioner.md:13: unknown attribute '.bintang' (known: .komentar)" in found
    assert "kuesioner.md:14: the statement has no text" in found


def test_no_statement_and_too_many(app, english):
    only_comment = "---\ntitle: E\nversion: \"1\"\n---\n### Saran {#s .komentar}\n"
    assert any("has no statement" in m for m in _messages(only_comment))
    many = "---\ntitle: E\nversion: \"1\"\n---\n" + "".join(
        f"### Pernyataan {n} {{#p{n}}}\n" for n in range(11))
    assert any(m.startswith("kuesioner.md:5: at most 10 statements") for m in _messages(many))


def test_the_shipped_questionnaire_and_courses_are_valid(app):
    with app.app_context():
        q, problems = questionnaire.check(DATA.parents[1] / "courses")
        assert problems == [] and len(q.scale_items) >= 4
        courses, found = load(DATA.parents[1] / "courses")
    asking = {c.slug: c.confidence for c in courses if c.confidence}
    assert asking["sisumaker"].startswith("Seberapa yakin Anda memakai Sisumaker")
    assert len(asking) >= 2


def test_check_courses_prints_questionnaire_problems(app, runner, tmp_path, english):
    root = tmp_path / "courses"
    shutil.copytree(DATA / "courses", root)
    (root / "_evaluasi").mkdir()
    (root / "_evaluasi" / "kuesioner.md").write_text(GOOD.replace("{#jelas}", "{#relevan}"))
    result = runner.invoke(args=["lms", "check-courses", str(root)])
    assert result.exit_code == 1
    assert "_evaluasi/kuesioner.md:8: the ID 'relevan' is already used on line 7" \
        in result.output


def test_confidence_key_is_checked_on_its_line(app, tmp_path, english):
    root = tmp_path / "courses"
    shutil.copytree(DATA / "courses", root)
    readme = root / "dasar" / "README.md"
    text = readme.read_text()
    readme.write_text(text.replace("order: 1\n", "order: 1\nconfidence: 5\n"))
    with app.app_context():
        _courses, found = load(root)
    assert any(str(p).endswith("README.md:7: 'confidence' must be the question's text, "
                               "e.g. confidence: \"Seberapa yakin Anda ...?\"")
               for p in found), [str(p) for p in found]
    readme.write_text(text.replace("order: 1\n", f"order: 1\nconfidence: \"{'x' * 301}\"\n"))
    with app.app_context():
        _courses, found = load(root)
    assert any("README.md:7: 'confidence' must be one line of at most 300" in str(p)
               for p in found)
