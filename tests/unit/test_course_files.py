"""Course files that are hostile or just unlucky: every input ends in `path:line: message`
lines (in Indonesian) or success, never a traceback, and in time linear in its size."""

import random
import re
import time
from pathlib import Path

import pytest

from lms.content.source import errors
from lms.content.validate import load
from tests.support.factories import DATA

README = "---\ntitle: K\nsummary: S\njp: 0\nversion: '1'\n---\nDesc\n"
QUIZ = ("## Kuis\n\n### Q? {#q}\n\n- [x] Ya\n- [ ] Tidak\n\n> Penjelasan: karena.\n")
PROBLEM_LINE = re.compile(r"^[^\n]+:\d+: \S[^\n]*$")
# What PyYAML says in English; none of it may reach a trainer.
ENGLISH_YAML = re.compile(r"mapping values|expected|found|while (parsing|scanning)|"
                          r"could not|constructor|unhashable|but got|tag:yaml", re.I)


def write_course(root: Path, files: dict[str, str | bytes], slug="kursus") -> Path:
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {"README.md": README, **files}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            (folder / name).write_bytes(text)
        else:
            (folder / name).write_text(text, encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    """Each problem as `file:line: message`, and proof that each is such a line (warnings,
    which block nothing, left out)."""
    lines = [str(p) for p in errors(load(root)[1])]
    assert all(PROBLEM_LINE.match(line) for line in lines), lines
    return [f"{Path(line.split(':', 1)[0]).name}:{line.split(':', 1)[1]}" for line in lines]


def module(front: str = "title: M", body: str = "Isi.\n\n" + QUIZ) -> str:
    return f"---\n{front}\n---\n{body}"


# --- (a) YAML that used to crash check-courses ------------------------------------------

DEEP_FLOW = "title: " + "[" * 5000 + "]" * 5000
DEEP_BLOCK = "title: M\nx:\n" + "".join("  " * i + "a:\n" for i in range(1, 100))
DEEP_MAP = "title: " + "{a: " * 3000 + "1" + "}" * 3000
LAUGHS = "title: M\n" + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10)) + \
    "id: *a9"
SELF_ALIAS = "title: &t [*t]"
BAD_DATE = "title: M\nminutes: 2024-13-45"
HUGE = "title: M\n" + "catatan: panjang sekali\n" * 10_000


@pytest.mark.parametrize("front, line, words", [
    (DEEP_FLOW, 2, "terlalu dalam"),
    (DEEP_BLOCK, 12, "terlalu dalam"),
    (DEEP_MAP, 2, "terlalu dalam"),
    (LAUGHS, 4, "alias"),
    (SELF_ALIAS, 2, "alias"),
    (BAD_DATE, 3, "tanggal"),
    (HUGE, 1, "lebih dari 20000 karakter"),
], ids=["deep-flow", "deep-block", "deep-map", "billion-laughs", "self-alias", "bad-date",
        "huge"])
def test_hostile_yaml_is_a_problem_with_its_line(tmp_path, front, line, words):
    root = write_course(tmp_path, {"01-m.md": module(front)})
    started = time.perf_counter()
    found = problems(root)
    assert time.perf_counter() - started < 2
    [problem] = [p for p in found if p.startswith("01-m.md:")]
    assert problem.startswith(f"01-m.md:{line}: ") and words in problem, problem


def test_check_courses_prints_problem_lines_not_a_traceback(runner, tmp_path):
    hostile = (DEEP_FLOW, LAUGHS, SELF_ALIAS, BAD_DATE)
    root = write_course(tmp_path, {f"0{n}.md": module(front, "Isi.\n")
                                   for n, front in enumerate(hostile, start=1)})
    result = runner.invoke(args=["lms", "check-courses", str(root)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and all(PROBLEM_LINE.match(line) for line in lines), lines
    assert "Traceback" not in result.output
    sync = runner.invoke(args=["lms", "sync-courses", str(root)])
    assert sync.exit_code == 1 and isinstance(sync.exception, SystemExit), sync.output
    assert "Tidak ada yang diubah" in sync.stderr


def test_numbers_too_large_to_store_are_problems_not_a_crash(runner, db, tmp_path):
    readme = README.replace("jp: 0", "jp: 99999999999999999999\norder: -99999999999")
    front = "title: M\nminutes: 1000001\nquiz:\n  attempts: 12345678901234567890"
    root = write_course(tmp_path, {"README.md": readme, "01-m.md": module(front)})
    assert problems(root) == [
        "01-m.md:3: 'minutes' harus antara 0 dan 600",
        "01-m.md:5: 'attempts' harus antara 0 dan 100",
        "README.md:4: 'jp' harus antara 0 dan 100",
        "README.md:5: 'order' harus antara -2147483647 dan 2147483647"]
    result = runner.invoke(args=["lms", "sync-courses", str(root)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output


# --- (b) lines that used to take seconds to minutes -------------------------------------

N = 200_000
PATHOLOGICAL = {
    "question heading spaces": "### a" + " " * N + "b",
    "question heading braces": "### " + "{" * N,
    "option spaces": "- [x] a" + " " * N + "b",
    "answer spaces": "Jawaban: a" + " " * N + "b",
    "answer item spaces": "Jawaban:\n- a" + " " * N + "b",
    "image openers": "![" * (N // 2),
    "image starts": "![a](" * (N // 5),
    "image targets": "![a](b" + " " * N,
    "image titles": '![a](b "' + " " * N,
    "quiz heading spaces": "## Kuis" + " " * N + "x",
}


@pytest.mark.parametrize("line", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_lines_parse_in_linear_time(tmp_path, line):
    """Each of these took 17 s to several minutes with the old patterns; a linear parser
    reads 200 KB in a few milliseconds. The bound is generous so it never flakes."""
    quiz = f"## Kuis\n\n### Q? {{#q}}\n\n{line}\n\n- [x] Ya\n- [ ] Tidak\n\n> Penjelasan: p\n"
    body = f"Isi {line}\n\n{quiz}"
    root = write_course(tmp_path, {"01-m.md": module(body=body)})
    started = time.perf_counter()
    problems(root)
    assert time.perf_counter() - started < 2


def test_linear_parser_reads_what_the_patterns_read(tmp_path):
    body = ("Lihat ![Diagram alur](img/a.png \"judul\") dan ![Logo](img/b.png).\n"
            "![tanpa penutup](img/c.png ![Kedua](img/a.png)\n\n"
            "## Kuis  ##\n\n### Mana yang benar?   {#pilih .beberapa}\n\n"
            "*   [X]   Satu  \n- [ ] Dua\n-\t[x] Tiga\n\n> Penjelasan: p\n\n"
            "### Isian {#isi}\n\nJawaban :  satu   kata  \n\n> Penjelasan: p\n\n"
            "### Isian dua {#isi-dua}\n\nanswers:\n-   a b  \n*  c\n\n> Penjelasan: p\n")
    root = write_course(tmp_path, {"01-m.md": module(body=body), "img/a.png": b"x",
                                   "img/b.png": b"x"})
    courses, _ = load(root)
    [m] = courses[0].modules
    choose, text, text_two = m.questions
    assert (choose.key, choose.prompt_md, choose.multiple_flag) == ("pilih", "Mana yang benar?",
                                                                   True)
    assert (choose.options, choose.correct) == (["Satu", "Dua", "Tiga"], [0, 2])
    assert text.accepted == ["satu   kata"] and text_two.accepted == ["a b", "c"]
    from lms.content.parse import image_refs
    refs = [(r.target, r.alt, r.line) for r in image_refs(m.body_md, m.body_line)]
    assert refs == [("img/a.png", "Diagram alur", 4), ("img/b.png", "Logo", 4),
                    ("img/a.png", "Kedua", 5)]


# --- (c) a UTF-8 byte order mark --------------------------------------------------------

def test_a_byte_order_mark_is_ignored(tmp_path):
    bom = "\ufeff"
    root = write_course(tmp_path, {"README.md": bom + README, "01-m.md": bom + module()})
    assert problems(root) == []
    courses, _ = load(root)
    assert courses[0].title == "K" and courses[0].modules[0].title == "M"
    broken = write_course(tmp_path / "b", {"01-m.md": bom + module("title: M\nminutes: x")})
    assert problems(broken) == ["01-m.md:3: 'minutes' harus bilangan bulat jumlah menit, 0 atau "
                                "lebih"]


# --- (d) a quiz under a misspelled heading ----------------------------------------------

@pytest.mark.parametrize("heading", ["## Kuiz", "## Kuis:", "### Kuis", "## Quis",
                                     "## KUIS AKHIR", "**Kuis**"])
def test_answer_keys_outside_a_quiz_are_refused(tmp_path, heading):
    body = f"Isi.\n\n{QUIZ.replace('## Kuis', heading)}"
    root = write_course(tmp_path, {"01-m.md": module(body=body)})
    found = problems(root)
    [problem] = [p for p in found if "jawaban kuis" in p]
    assert problem.startswith("01-m.md:10: ")  # the first '- [x]'
    assert "'## Kuis'" in problem and f"baris 6 ({heading})" in problem, problem


def test_answer_keys_without_any_heading_and_in_the_readme(tmp_path):
    readme = README + "\n- [ ] Sudah membaca\n"
    body = "Isi.\n\n- [x] Jawaban yang benar\n- [ ] Jawaban salah\n\n```\n- [x] kode\n```\n"
    root = write_course(tmp_path, {"README.md": readme, "01-m.md": module(body=body)})
    found = problems(root)
    assert [p.split(": ", 1)[0] for p in found if "jawaban kuis" in p] == \
        ["01-m.md:6", "README.md:9"]
    [module_problem] = [p for p in found if p.startswith("01-m.md:6")]
    assert "'## Kuis'" in module_problem and "tanpa '[ ]'" in module_problem


def test_plain_lists_and_a_real_quiz_are_fine(tmp_path):
    body = "Isi.\n\n- langkah satu\n- [tautan](https://contoh.go.id)\n\n" + QUIZ
    assert problems(write_course(tmp_path, {"01-m.md": module(body=body)})) == []


# --- (e) YAML problems in plain Indonesian ----------------------------------------------

@pytest.mark.parametrize("front, expected", [
    ("title: Kuis akhir: Sisumaker", "01-m.md:2: YAML di front matter tidak dapat dibaca: "
     "ada titik dua (:) di tempat yang tidak terduga. Jika nilainya memuat ':', beri tanda "
     "kutip, misalnya title: \"Kuis akhir: Sisumaker\""),
    ("title: [tidak ditutup\nminutes: 5", "01-m.md:3: YAML di front matter tidak dapat "
     "dibaca: tanda '[' di baris 2 tidak ditutup. Tutup dengan ']', atau beri tanda kutip "
     "pada nilai yang diawali '['"),
    ("title: M\nquiz:\n  pass_mark: 80\n   attempts: 2", "01-m.md:5:"),
    ("title: \"M", "01-m.md:"),
    ("title: M\n\tminutes: 5", "01-m.md:3:"),
    ("title: @M", "01-m.md:2:"),
    ("title: M\n- a", "01-m.md:3:"),
    ("title: !!python/object:os.system x", "01-m.md:2:"),
    ("[a]: 1", "01-m.md:2:"),
    ("title: M\nminutes: *x", "01-m.md:3:"),
    ("title: \"\\q\"", "01-m.md:2:"),
    ("title: M\n--- x", "01-m.md:"),
    ("%YAML 1.1\n---", "01-m.md:"),
    ("title: M\nsummary: a\x07b", "01-m.md:3: YAML di front matter tidak dapat dibaca: "
     "ada karakter kendali yang tidak terlihat (U+0007) di sini: hapus karakter itu"),
])
def test_yaml_problems_are_plain_indonesian(tmp_path, front, expected):
    root = write_course(tmp_path, {"01-m.md": module(front)})
    [problem] = [p for p in problems(root) if "YAML" in p]
    assert problem.startswith(expected), problem
    assert "YAML di front matter tidak dapat dibaca: " in problem
    assert not ENGLISH_YAML.search(problem.split("dibaca: ", 1)[1]), problem


# --- (f) fuzzing --------------------------------------------------------------------------

TOKENS = ["[", "]", "{", "}", ":", ": ", "&a ", "*a", "!!", "!", "\t", "\ufeff", "---", "...",
          "\n## Kuis\n", "\n### ", " {#", "}", "\n- [x] ", "\n- [ ] ", "\n* [X] ", "![", "](",
          ")", " \"", "\"", "'", "`", "\n```\n", "~~~", "%", "\x00", "\r", "\r\n", "\u2028",
          "\x85", "\x0c", "> ", "> **Penjelasan:** ", "Jawaban:", "\n- ", "#", "\n# ", "<", ">",
          "\\", "é", "😀", "|", "-", "?", ",", "=", " " * 50, "[" * 30, "{a: " * 20, "![a](" * 20]
CATALOGUE = Path(__file__).parents[2] / "courses"
SEEDS = [DATA / "courses" / "dasar", CATALOGUE / "keamanan-akun", CATALOGUE / "sisumaker"]


def _mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 6)):
        # Often inside the front matter, where YAML reads it.
        at = rng.randint(0, min(len(text), 80) if rng.random() < 0.4 else len(text))
        roll = rng.random()
        if roll < 0.45:
            text = text[:at] + rng.choice(TOKENS) * rng.choice([1, 1, 1, 3, 200]) + text[at:]
        elif roll < 0.6:
            text = text[:at] + text[at + rng.randint(1, 40):]
        elif roll < 0.75:
            size = rng.randint(1, 200)
            text = text[:at] + text[at:at + size] * rng.randint(2, 30) + text[at:]
        elif roll < 0.85:
            lines = text.split("\n")
            rng.shuffle(lines)
            text = "\n".join(lines)
        elif roll < 0.95:
            text = text[:at]
        else:
            text = "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 400)))
    return text


def test_fuzzed_course_files_end_in_problem_lines_or_success(tmp_path):
    """A few hundred real course folders with one or two files mutated (seeded, so a
    failure repeats): parse and validate end in problem lines or success, each quickly."""
    from lms.content.tree import read_folder, write_folder
    rng = random.Random(20260101)
    seeds = [(seed.name, read_folder(seed)) for seed in SEEDS]
    started, slowest, clean = time.perf_counter(), 0.0, 0
    for case in range(300):
        slug, tree = rng.choice(seeds)
        tree = dict(tree)
        for name in rng.sample(sorted(n for n in tree if n.endswith(".md")), rng.randint(1, 2)):
            tree[name] = _mutate(rng, tree[name].decode()).encode("utf-8", "surrogatepass")
        root = tmp_path / f"c{case}"
        write_folder(tree, root / slug)
        one = time.perf_counter()
        try:
            clean += not problems(root)
        except Exception as exc:  # the folder stays in tmp_path for the failure report
            raise AssertionError(f"case {case} ({root}) raised {exc!r}") from exc
        slowest = max(slowest, time.perf_counter() - one)
    assert slowest < 2, slowest
    assert 10 < clean < 250  # the mutations reach both outcomes
    assert time.perf_counter() - started < 30
