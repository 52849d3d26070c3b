"""sync-courses: one transaction, idempotent, retires instead of deleting."""

import shutil

import pytest
from sqlalchemy import func, select

from lms.content.sync import sync
from lms.learning import progress
from lms.models import Asset, Course, Module, ModuleProgress, Question
from tests.support.factories import DATA, make_employee


@pytest.fixture(autouse=True)
def _english(english):
    pass


@pytest.fixture
def folder(tmp_path):
    shutil.copytree(DATA / "courses", tmp_path / "courses")
    return tmp_path / "courses"


def counts(report, kind):
    return dict(report.counts[kind])


def test_first_sync_adds_everything_and_renders_once(db, folder):
    report = sync(folder, db.session)
    assert report.ok
    assert counts(report, "course") == {"added": 1}
    assert counts(report, "module") == {"added": 2}
    assert counts(report, "question") == {"added": 4}
    db.session.commit()
    course = db.session.scalars(select(Course)).one()
    assert course.jp == 2 and course.title == "Dasar Uji"
    module = course.modules[0]
    assert '<div class="callout callout-tip" role="note">' in module.body_html
    asset = db.session.scalars(select(Asset)).one()
    assert asset.path == "img/alur.svg" and asset.mime == "image/svg+xml"
    assert f'src="/aset/{asset.sha256}/alur.svg"' in course.description_html
    q = {q.key: q for q in module.questions}
    assert q["sandi-kuat"].answer == [1] and q["kebiasaan-aman"].answer == [0, 2]
    assert q["singkatan-otp"].answer == ["one time password", "kode sekali pakai"]


def test_second_sync_changes_nothing(db, folder):
    sync(folder, db.session)
    db.session.commit()
    report = sync(folder, db.session)
    assert counts(report, "course") == {"unchanged": 1}
    assert counts(report, "question") == {"unchanged": 4}
    assert report.changes == []
    assert not db.session.dirty and not db.session.new


def test_invalid_folder_changes_nothing(db, folder):
    sync(folder, db.session)
    db.session.commit()
    module_file = folder / "dasar" / "01-pengantar.md"
    module_file.write_text(module_file.read_text().replace("title: Pengantar", "title: Baru")
                           .replace("- [x] `kopi", "- [ ] `kopi"))
    report = sync(folder, db.session)
    assert not report.ok
    assert [str(p).split(": ", 1)[1] for p in report.problems] == [
        "no correct option: mark it '- [x]'"]
    db.session.rollback()
    assert db.session.scalars(select(Module).filter_by(key="pengantar")).one().title == \
        "Pengantar"


def test_edits_keep_history_and_version_questions(db, folder):
    sync(folder, db.session)
    db.session.commit()
    course = db.session.scalars(select(Course)).one()
    learner = make_employee("198609262015051001", _opd(db))
    first = course.modules[0]
    progress.complete_module(db.session, learner.id, first)
    db.session.commit()

    text = (folder / "dasar" / "01-pengantar.md").read_text()
    text = text.replace("Mana kata sandi terkuat?", "Mana frasa sandi terkuat?")
    text = text[:text.index("### OTP boleh")]  # drop two questions
    (folder / "dasar" / "01-pengantar.md").write_text(text)
    (folder / "dasar" / "02-penutup.md").unlink()
    report = sync(folder, db.session)
    assert report.ok
    db.session.commit()
    assert counts(report, "question") == {"updated": 1, "unchanged": 1, "retired": 2}
    assert counts(report, "module") == {"updated": 1, "retired": 1}
    edited = db.session.scalars(select(Question).filter_by(key="sandi-kuat")).one()
    untouched = db.session.scalars(select(Question).filter_by(key="kebiasaan-aman")).one()
    assert (edited.version, untouched.version) == (2, 1)
    retired = db.session.scalars(select(Module).filter_by(key="penutup")).one()
    assert retired.retired_at is not None  # kept, not deleted
    assert db.session.get(ModuleProgress, (learner.id, first.id)).completed_at is not None
    assert db.session.scalar(select(func.count(Question.id))) == 4

    shutil.copytree(DATA / "courses" / "dasar", folder / "dasar", dirs_exist_ok=True)
    report = sync(folder, db.session)
    db.session.commit()
    assert db.session.scalars(select(Module).filter_by(key="penutup")).one().retired_at is None
    assert counts(report, "question")["updated"] == 3  # reworded back and two revived


def test_removed_course_is_retired(db, folder):
    sync(folder, db.session)
    db.session.commit()
    shutil.rmtree(folder / "dasar")
    report = sync(folder, db.session)
    assert counts(report, "course") == {"retired": 1}
    assert db.session.scalars(select(Course)).one().retired_at is not None


def test_changed_image_rerenders_the_page_that_shows_it(db, folder):
    sync(folder, db.session)
    db.session.commit()
    old = db.session.scalars(select(Asset)).one().sha256
    (folder / "dasar" / "img" / "alur.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><title>Baru</title></svg>')
    report = sync(folder, db.session)
    db.session.commit()
    assert counts(report, "course") == {"updated": 1}
    new = db.session.scalars(select(Asset)).one().sha256
    assert new != old
    assert new in db.session.scalars(select(Course)).one().description_html


def _opd(db):
    from tests.support.factories import make_opd
    return make_opd("X", "X")


def test_blank_lines_do_not_start_a_new_question_version(db, folder):
    sync(folder, db.session)
    db.session.commit()
    path = folder / "dasar" / "01-pengantar.md"
    path.write_text(path.read_text().replace("- [ ] `123456`", "\n- [ ] `123456`  "))
    report = sync(folder, db.session)
    assert counts(report, "question") == {"unchanged": 4}
