"""RINGKAS.md, the job aid: its rules, its place in sync and in the folder's round trips;
and the JP warning, which prints but blocks nothing."""

import shutil

import pytest
from sqlalchemy import select

from lms.content import revisions
from lms.content.job_aid import MAX_CHARS
from lms.content.source import errors, warnings
from lms.content.sync import sync
from lms.content.tree import from_archive, read_folder, to_zip
from lms.content.validate import load
from lms.models import Course, Module
from lms.studio.paths import is_module, module_files
from tests.support.factories import DATA

GOOD = ("---\ntitle: Mencatat surat masuk\n---\n\n## Langkah\n\n1. Pindai surat.\n"
        "2. Isi nomor dan perihal.\n\n## Jangan lupa\n\n- Periksa lampiran.\n")


@pytest.fixture(autouse=True)
def _english(english):
    pass


@pytest.fixture
def folder(tmp_path):
    shutil.copytree(DATA / "courses", tmp_path / "courses")
    return tmp_path / "courses"


def with_aid(folder, text: str):
    (folder / "dasar" / "RINGKAS.md").write_text(text, encoding="utf-8")
    return [f"{p.path.rsplit('/', 1)[-1]}:{p.line}: {p.message}"
            for p in errors(load(folder)[1])]


def test_a_job_aid_is_read_and_is_not_a_module(folder):
    assert with_aid(folder, GOOD) == []
    [course] = load(folder)[0]
    assert course.job_aid.title == "Mencatat surat masuk"
    assert [m.key for m in course.modules] == ["pengantar", "penutup"]
    assert not is_module("RINGKAS.md") and is_module("01-pengantar.md")
    tree = read_folder(folder / "dasar")
    assert [m.path for m in module_files(tree)] == ["01-pengantar.md", "02-penutup.md"]


@pytest.mark.parametrize("text, expected", [
    ("---\nsummary: x\n---\nIsi.\n", ["RINGKAS.md:1: the job aid (RINGKAS.md) has no title",
                                      "RINGKAS.md:2: unknown front-matter key 'summary' "
                                      "(allowed: title)"]),
    ("---\ntitle: T\n---\n# Judul\n", ["RINGKAS.md:4: use '##' for headings inside the job "
                                       "aid: the title from the front matter is the only '#'"]),
    ("---\ntitle: T\n---\n- [x] Sudah\n", ["RINGKAS.md:4: this line looks like a quiz answer "
                                           "('- [x]' or '- [ ]'): the job aid holds no quiz. "
                                           "Write a checklist without '[ ]' and '[x]'"]),
    ("---\ntitle: T\n---\n![Alur](img/alur.svg)\n", [
        "RINGKAS.md:4: the job aid holds no images or audio ('img/alur.svg'): it is printed "
        "as one page of text. Put pictures in a module"]),
    ("---\ntitle: T\n---\n" + "".join(f"## B{n}\n\nx\n\n" for n in range(5)), [
        "RINGKAS.md:20: the job aid has more than 4 '##' headings: it does not fit on one A4 "
        "page. Keep only the steps people look up at their desk"]),
    ("---\ntitle: T\n---\n" + "a" * (MAX_CHARS + 1) + "\n", [
        f"RINGKAS.md:4: the job aid has {MAX_CHARS + 1} characters of text, more than "
        f"{MAX_CHARS}: it does not fit on one A4 page. Shorten it"]),
    ("title: T\n", ["RINGKAS.md:1: the file must start with front matter: a line '---', "
                    "'key: value' lines, and a closing '---'"]),
], ids=["keys", "h1", "answer-key", "image", "five-headings", "too-long", "no-front-matter"])
def test_job_aid_rules(folder, text, expected):
    assert with_aid(folder, text) == expected


def test_exactly_the_limits_are_fine(folder):
    body = "".join(f"## B{n}\n\n" for n in range(4))
    assert with_aid(folder, "---\ntitle: T\n---\n" + body + "a" * (MAX_CHARS - len(body))) == []


def test_a_module_cannot_take_the_job_aid_address(folder):
    (folder / "dasar" / "03-ringkas.md").write_text("---\ntitle: R\n---\nIsi.\n")
    [problem] = errors(load(folder)[1])
    assert problem.path.endswith("03-ringkas.md")
    assert "module ID 'ringkas' is reserved" in str(problem.message)


def test_sync_stores_updates_and_removes_it(db, folder):
    with_aid(folder, GOOD)
    report = sync(folder, db.session)
    assert report.ok and dict(report.counts["job_aid"]) == {"added": 1}
    db.session.commit()
    course = db.session.scalars(select(Course)).one()
    assert course.job_aid_title == "Mencatat surat masuk"
    assert "<h2>Langkah</h2>" in course.job_aid_html and "<li>Pindai surat.</li>" in \
        course.job_aid_html
    assert "RINGKAS.md" in from_archive(revisions.latest(db.session, course).archive)

    again = sync(folder, db.session)
    assert dict(again.counts["job_aid"]) == {"unchanged": 1}
    assert dict(again.counts["course"]) == {"unchanged": 1}

    with_aid(folder, GOOD.replace("Pindai", "Pindai dengan jelas"))
    changed = sync(folder, db.session)
    assert dict(changed.counts["job_aid"]) == {"updated": 1}
    assert dict(changed.counts["module"]) == {"unchanged": 2}  # modules untouched
    assert "Pindai dengan jelas" in course.job_aid_html

    (folder / "dasar" / "RINGKAS.md").unlink()
    removed = sync(folder, db.session)
    assert dict(removed.counts["job_aid"]) == {"retired": 1}
    assert course.job_aid_title == "" and course.job_aid_html == ""
    assert db.session.scalars(select(Module).where(Module.key == "ringkas")).all() == []


def test_a_course_without_one_keeps_its_hash(db, folder):
    """Adding the job aid to the format does not make every existing course 'updated'."""
    sync(folder, db.session)
    db.session.commit()
    course = db.session.scalars(select(Course)).one()
    before = course.source_hash
    assert dict(sync(folder, db.session).counts["course"]) == {"unchanged": 1}
    assert course.source_hash == before


def test_zip_round_trip_keeps_it(folder):
    with_aid(folder, GOOD)
    tree = read_folder(folder / "dasar")
    assert from_archive(to_zip(tree, "dasar"))["RINGKAS.md"] == GOOD.encode()


# --- the JP warning ----------------------------------------------------------------------

def test_jp_beyond_the_minutes_is_a_warning_not_an_error(folder):
    module = folder / "dasar" / "02-penutup.md"
    module.write_text(module.read_text().replace("minutes: 85", "minutes: 42"))
    found = load(folder)[1]
    assert errors(found) == []
    [warning] = warnings(found)
    assert str(warning).endswith("dasar/README.md:4: warning: jp 2 is more than 47 minutes "
                                 "support (at most 1 JP)")


@pytest.mark.parametrize("minutes, warned", [(90, False), (89, True), (135, False)])
def test_jp_is_floor_of_minutes_over_45(folder, minutes, warned):
    module = folder / "dasar" / "02-penutup.md"
    module.write_text(module.read_text().replace("minutes: 85", f"minutes: {minutes - 5}"))
    assert bool(warnings(load(folder)[1])) is warned


def test_a_warning_does_not_stop_a_sync(db, folder):
    module = folder / "dasar" / "02-penutup.md"
    module.write_text(module.read_text().replace("minutes: 85", "minutes: 1"))
    report = sync(folder, db.session)
    assert report.ok and dict(report.counts["course"]) == {"added": 1}
    assert [p.line for p in report.warnings] == [4]
