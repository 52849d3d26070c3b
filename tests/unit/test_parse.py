"""The course format: what the parser reads and what the validator reports, by line."""

from pathlib import Path

import pytest

from lms.content.source import errors
from lms.content.validate import load
from tests.support.factories import DATA


@pytest.fixture(autouse=True)
def _english(english):
    pass


def write_course(root: Path, files: dict[str, str], slug="kursus") -> Path:
    folder = root / slug
    folder.mkdir(parents=True)
    files = {"README.md": "---\ntitle: K\nsummary: S\njp: 1\nversion: '1'\n---\nDesc\n",
             **files}
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return root


def problems_of(root: Path) -> list[str]:
    return [f"{Path(p.path).name}:{p.line}: {p.message}" for p in load(root)[1]]


MODULE = """---
title: Modul
---
Isi.

## Kuis

{quiz}
"""


def test_reads_every_question_type():
    courses, problems = load(DATA / "courses")
    assert errors(problems) == []  # `dasar` credits 2 JP for 8 minutes: only a warning
    [course] = courses
    assert (course.slug, course.title, course.jp, course.version) == ("dasar", "Dasar Uji", 2,
                                                                       "1.0")
    first, second = course.modules
    assert (first.key, second.key) == ("pengantar", "penutup")
    assert (first.quiz.pass_mark, first.quiz.attempts) == (75, 2)
    kinds = {q.key: q.kind for q in first.questions}
    assert kinds == {"sandi-kuat": "single", "kebiasaan-aman": "multiple",
                     "otp-bank": "truefalse", "singkatan-otp": "text"}
    single = first.questions[0]
    assert single.correct == [1] and len(single.options) == 3
    assert single.explanation_md == "Frasa panjang sulit ditebak."
    assert first.questions[3].accepted == ["one time password", "kode sekali pakai"]
    assert "## Kuis" not in first.body_md and "Modul pertama." in first.body_md
    assert second.questions == [] and second.quiz_line == 0


def test_broken_course_reports_each_problem_with_its_line():
    problems = problems_of(DATA / "broken")
    assert problems == [
        "01-satu.md:5: broken image link: 'img/tidak-ada.png' not found",
        "01-satu.md:9: no correct option: mark it '- [x]'",
        "01-satu.md:16: duplicate question ID 'q-satu' (first used at "
        "tests/data/broken/rusak/01-satu.md:9)",
        "02-dua.md:3: unreadable YAML in front matter: the '[' on line 2 is not closed. "
        "Close it with ']', or put the value in quotes if it starts with '['",
        "03-tiga.md:1: the module has no title",
        "README.md:4: 'jp' must be a whole number of JP, 0 or more",
        "README.md:6: unknown front-matter key 'warna' (allowed: confidence, jp, order, "
        "pretest, published, summary, title, version)",
    ]


@pytest.mark.parametrize("quiz, expected", [
    ("### Q {#a}\n\n- [x] Ya\n\n> Penjelasan: p",
     "01-modul.md:10: a question needs at least two options"),
    ("### Q {#a}\n\n- [x] Ya\n- [ ] ya\n\n> Penjelasan: p",
     "01-modul.md:11: the same option appears twice"),
    ("### Q {#a}\n\n- [x] Ya\n- [ ] Tidak\n",
     "01-modul.md:8: the question has no explanation: add a quote '> Penjelasan: ...' after "
     "the options"),
    ("### Q tanpa id\n\n- [x] Ya\n- [ ] Tidak\n\n> Penjelasan: p",
     "01-modul.md:8: a question heading needs an ID at its end, e.g. '### Question text "
     "{#my-id}'"),
    ("### Q {#a}\n\nHanya teks.\n\n> Penjelasan: p",
     "01-modul.md:8: the question has no options ('- [x] right', '- [ ] wrong') and no "
     "'Jawaban:'"),
    ("### Q {#A_B}\n\n- [x] Ya\n- [ ] Tidak\n\n> Penjelasan: p",
     "01-modul.md:8: question ID 'A_B' must start with a letter or digit and use only "
     "lower-case letters, digits and '-' (at most 100)"),
    ("### Q {#a .apa}\n\n- [x] Ya\n- [ ] Tidak\n\n> Penjelasan: p",
     "01-modul.md:8: unknown question attribute '.apa' (known: .beberapa, .multiple)"),
    ("Pengantar kuis.\n\n### Q {#a}\n\n- [x] Ya\n- [ ] Tidak\n\n> Penjelasan: p",
     "01-modul.md:8: no text is allowed between '## Kuis' and the first question: start "
     "each question with '### Question text {#id}'"),
    ("### Q {#a}\n\n- [x] Ya\n- [ ] Tidak\n\nTeks nyasar.\n\n> Penjelasan: p",
     "01-modul.md:13: unexpected text after the options: write the scenario before the "
     "options, and the explanation as a quote ('> Penjelasan: ...')"),
])
def test_question_problems(tmp_path, quiz, expected):
    root = write_course(tmp_path, {"01-modul.md": MODULE.format(quiz=quiz)})
    assert expected in problems_of(root)


@pytest.mark.parametrize("front, expected", [
    ("title: M\nwarna: biru", "01-m.md:3: unknown front-matter key 'warna' (allowed: id, "
                              "minutes, quiz, title)"),
    ("title: M\nquiz:\n  pass_mark: 120", "01-m.md:4: 'pass_mark' must be a whole number "
                                          "from 1 to 100"),
    ("title: M\nquiz:\n  draw: 5", "01-m.md:4: 'draw' must be between 1 and the number of "
                                   "questions (1)"),
    ("title: M\nquiz:\n  acak: true", "01-m.md:4: unknown front-matter key 'acak' (allowed: "
                                      "attempts, draw, pass_mark, shuffle)"),
    ("title: M\nminutes: lima", "01-m.md:3: 'minutes' must be a whole number of minutes, "
                                "0 or more"),
    ("title: M\nid: Modul Satu", "01-m.md:3: module ID 'Modul Satu' must start with a "
                                 "letter or digit and use only lower-case letters, digits "
                                 "and '-' (at most 100)"),
])
def test_module_front_matter_problems(tmp_path, front, expected):
    text = f"---\n{front}\n---\nIsi.\n\n## Kuis\n\n### Q {{#a}}\n\n- [x] Ya\n- [ ] Tidak\n\n" \
           "> Penjelasan: p\n"
    root = write_course(tmp_path, {"01-m.md": text})
    assert expected in problems_of(root)


def test_module_body_rules(tmp_path):
    body = ("---\ntitle: M\nquiz:\n  pass_mark: 80\n---\n# Judul kedua\n\n"
            "![](img/a.png) ![Logo](https://contoh.go.id/a.png) ![Skrip](img/a.exe)\n"
            "```\n# bukan judul di dalam kode\n```\n")
    root = write_course(tmp_path, {"01-m.md": body, "img/a.png": "png", "img/a.exe": "x"})
    found = problems_of(root)
    assert "01-m.md:3: quiz settings given, but the module has no '## Kuis' section" in found
    assert ("01-m.md:6: use '##' for headings inside a module: the title from the front "
            "matter is the only '#'") in found
    assert ("01-m.md:8: image 'img/a.png' has no description: write it between the "
            "brackets, ![like this](img/a.png)") in found
    assert ("01-m.md:8: image 'https://contoh.go.id/a.png' must be a file inside the course "
            "folder") in found
    assert "01-m.md:8: image 'img/a.exe' must be PNG, JPEG, GIF, SVG or WebP" in found
    assert not any(":10:" in p for p in found)  # a '#' inside a code block is code


def test_course_level_problems(tmp_path):
    (tmp_path / "Bad_Name").mkdir()
    (tmp_path / "Bad_Name" / "README.md").write_text("---\ntitle: ''\njp: -1\n---\n")
    (tmp_path / "tanpa-readme").mkdir()
    (tmp_path / "_draf").mkdir()  # ignored: starts with '_'
    found = problems_of(tmp_path)
    assert "README.md:2: the course has no title" in found
    assert "README.md:1: the course has no summary" in found
    assert "README.md:3: 'jp' must be a whole number of JP, 0 or more" in found
    assert ("README.md:1: the folder name 'Bad_Name' must start with a letter or digit and "
            "use only lower-case letters, digits and '-' (at most 100)") in found
    assert "README.md:1: the course has no module files (*.md)" in found
    assert any(p.startswith("tanpa-readme:0: a course folder needs a README.md") for p in found)
    assert not any("_draf" in p for p in found)


def test_missing_front_matter_and_unclosed(tmp_path):
    root = write_course(tmp_path, {"01-a.md": "Tanpa front matter\n",
                                   "02-b.md": "---\ntitle: B\n"})
    found = problems_of(root)
    assert ("01-a.md:1: the file must start with front matter: a line '---', 'key: value' "
            "lines, and a closing '---'") in found
    assert "02-b.md:1: front matter is not closed: add a line '---' after it" in found


def test_multiple_flag_and_scenario_text(tmp_path):
    quiz = ("### Skenario {#s .beberapa}\n\nAnda menerima pesan.\n\nApa yang Anda lakukan?\n\n"
            "- [x] Abaikan\n- [ ] Klik\n\n> **Penjelasan:** Abaikan.\n> Baris kedua.")
    root = write_course(tmp_path, {"01-m.md": MODULE.format(quiz=quiz)})
    courses, problems = load(root)
    assert errors(problems) == []
    q = courses[0].modules[0].questions[0]
    assert q.kind == "multiple"
    assert q.prompt_md == "Skenario\n\nAnda menerima pesan.\n\nApa yang Anda lakukan?"
    assert q.explanation_md == "Abaikan.\nBaris kedua."


def test_shipped_catalogue_is_valid():
    root = Path(__file__).parents[2] / "courses"
    courses, problems = load(root)
    assert [str(p) for p in errors(problems)] == []
    assert courses, "courses/ ships at least one course"


def test_not_utf8(tmp_path):
    root = write_course(tmp_path, {})
    (root / "kursus" / "01-a.md").write_bytes(b"---\ntitle: \xff\n---\n")
    assert "01-a.md:1: the file is not UTF-8 text" in problems_of(root)


def test_true_false_needs_one_mark_and_version_needs_quotes(tmp_path):
    quiz = "### Q {#a}\n\n- [x] Benar\n- [x] Salah\n\n> Penjelasan: p"
    root = write_course(tmp_path, {"01-modul.md": MODULE.format(quiz=quiz),
                                   "README.md": "---\ntitle: K\nsummary: S\njp: 1\n"
                                                "version: 1.10\n---\n"})
    found = problems_of(root)
    assert "01-modul.md:8: mark exactly one of 'Benar' and 'Salah' with '- [x]'" in found
    assert any(p.startswith("README.md:5: write the version in quotes") for p in found)


def test_quote_before_options_belongs_to_the_scenario(tmp_path):
    quiz = ("### Q {#a}\n\n> [!WARNING]\n> Pesan ini mencurigakan.\n\n- [x] Lapor\n"
            "- [ ] Klik\n\n> Penjelasan: p")
    root = write_course(tmp_path, {"01-modul.md": MODULE.format(quiz=quiz)})
    courses, problems = load(root)
    assert errors(problems) == []
    q = courses[0].modules[0].questions[0]
    assert "> Pesan ini mencurigakan." in q.prompt_md and q.explanation_md == "p"
