import shutil
from pathlib import Path

from sqlalchemy import func, select

from lms.models import (
    AttemptAnswer,
    Course,
    Employee,
    Enrollment,
    ModuleProgress,
    Opd,
    QuizAttempt,
    RoleGrant,
)
from lms.studio import analysis
from tests.support.factories import DATA
from tests.support.http import csrf_token, login

CATALOGUE = Path(__file__).resolve().parents[2] / "courses"


def test_check_courses_reports_each_problem_by_line(runner):
    result = runner.invoke(args=["lms", "check-courses", str(DATA / "broken")])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 7
    assert all(line.startswith("tests/data/broken/rusak/") for line in lines)
    assert lines[0] == ("tests/data/broken/rusak/01-satu.md:5: tautan gambar rusak: "
                        "'img/tidak-ada.png' tidak ditemukan")
    assert "Ditemukan 7 masalah." in result.stderr


def test_check_courses_on_good_folder(runner):
    result = runner.invoke(args=["lms", "check-courses"])  # COURSES_DIR
    assert result.exit_code == 0
    assert result.stdout.strip() == "1 kursus, 2 modul, 4 soal: tidak ada masalah."


def test_sync_courses_is_idempotent(runner, db):
    first = runner.invoke(args=["lms", "sync-courses"])
    assert first.exit_code == 0, first.output
    assert "Kursus: 1 ditambahkan, 0 diperbarui, 0 tidak berubah, 0 dipensiunkan" in first.stdout
    second = runner.invoke(args=["lms", "sync-courses", "-v"])
    assert "Kursus: 0 ditambahkan, 0 diperbarui, 1 tidak berubah, 0 dipensiunkan" in \
        second.stdout
    assert "Soal: 0 ditambahkan, 0 diperbarui, 4 tidak berubah, 0 dipensiunkan" in second.stdout
    assert db.session.scalar(select(func.count(Course.id))) == 1


def test_sync_courses_verbose_lists_changes_in_indonesian(runner, db, tmp_path):
    root = tmp_path / "c"
    shutil.copytree(DATA / "courses", root)
    first = runner.invoke(args=["lms", "sync-courses", "-v", str(root)])
    assert first.exit_code == 0, first.output
    listed = [line.strip() for line in first.stdout.splitlines() if line.startswith("  ")]
    assert "kursus dasar: ditambahkan" in listed
    assert "modul dasar/pengantar: ditambahkan" in listed
    assert "soal dasar/pengantar#sandi-kuat: ditambahkan" in listed
    (root / "dasar" / "02-penutup.md").unlink()
    second = runner.invoke(args=["lms", "sync-courses", "-v", str(root)])
    assert second.exit_code == 0, second.output
    assert "  modul dasar/penutup: dipensiunkan" in second.stdout
    assert "  kursus dasar: diperbarui" in second.stdout
    assert not any(word in second.stdout for word in ("added", "updated", "retired"))


def test_sync_courses_refuses_broken_folder_and_changes_nothing(runner, db, tmp_path):
    shutil.copytree(DATA / "courses", tmp_path / "c")
    shutil.copytree(DATA / "broken" / "rusak", tmp_path / "c" / "rusak")
    result = runner.invoke(args=["lms", "sync-courses", str(tmp_path / "c")])
    assert result.exit_code == 1
    assert "Tidak ada yang diubah" in result.stderr
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_demo_seeds_an_organisation_with_accounts(runner, db):
    runner.invoke(args=["lms", "sync-courses"])
    result = runner.invoke(args=["lms", "demo", "--employees", "60"])
    assert result.exit_code == 0, result.output
    accounts = runner.invoke(args=["lms", "accounts"]).stdout
    assert "198609262015051001" in accounts and "melek-demo" in accounts
    assert "199003152015032004  HR Kecamatan Pamulang saja" in accounts
    assert db.session.scalar(select(func.count(Employee.id))) == 60
    kecamatan = db.session.scalar(select(func.count(Opd.id)).where(Opd.kind == "kecamatan"))
    assert kecamatan == 7
    assert db.session.scalar(select(func.count(Enrollment.id))) > 0
    hr_kec = db.session.scalars(select(RoleGrant).join(Employee).where(
        Employee.nip == "199003152015032004")).one()
    assert hr_kec.role == "hr" and hr_kec.opd.code == "KEC-PML"
    again = runner.invoke(args=["lms", "demo"])
    assert again.exit_code == 0 and "sudah berisi data pegawai" in again.stdout
    assert db.session.scalar(select(func.count(Employee.id))) == 60


def test_demo_quiz_history_matches_progress_and_feeds_statistics(runner, db, client,
                                                                tmp_path, english):
    """One catalogue course the demo trainer owns, enough learners for the flags."""
    shutil.copytree(CATALOGUE / "sisumaker", tmp_path / "c" / "sisumaker")
    assert runner.invoke(args=["lms", "sync-courses", str(tmp_path / "c")]).exit_code == 0
    result = runner.invoke(args=["lms", "demo", "--employees", "150"])
    assert result.exit_code == 0, result.output

    pair = (QuizAttempt.employee_id, QuizAttempt.module_id)
    submitted = QuizAttempt.submitted_at.is_not(None)
    best = {(e, m): s for e, m, s in db.session.execute(
        select(*pair, func.max(QuizAttempt.score)).where(submitted).group_by(*pair))}
    first_pass = {(e, m): at for e, m, at in db.session.execute(
        select(*pair, func.min(QuizAttempt.submitted_at))
        .where(submitted, QuizAttempt.passed).group_by(*pair))}
    scored = {(p.employee_id, p.module_id): p for p in db.session.scalars(
        select(ModuleProgress).where(ModuleProgress.best_score.is_not(None)))}
    assert len(best) > 100 and set(best) == set(scored)
    assert all(scored[k].best_score == score for k, score in best.items())
    assert {k: p.completed_at for k, p in scored.items() if p.completed_at} == first_pass
    assert len(first_pass) < len(best)  # some failed and stopped
    per_pair = db.session.execute(select(func.count()).where(submitted)
                                  .group_by(*pair)).scalars().all()
    assert max(per_pair) > 1            # some passed a retake

    # Every attempt's score is its answers' share right, as quiz.grade computes it.
    attempts = db.session.scalars(select(QuizAttempt)).all()
    answers = {}
    for answer in db.session.scalars(select(AttemptAnswer)):
        answers.setdefault(answer.attempt_id, []).append(answer)
    for attempt in attempts:
        mine = answers[attempt.id]
        assert [a.question_id for a in mine] == [d["q"] for d in attempt.drawn]
        assert attempt.score == round(100 * sum(a.correct for a in mine) / len(mine))
        assert attempt.passed == (attempt.score >= attempt.module.pass_mark)
        assert attempt.started_at < attempt.submitted_at
        assert all(a.response for a in mine)

    course = db.session.scalars(select(Course).filter_by(slug="sisumaker")).one()
    flagged = [m for m in course.current_modules
               if any(v.flags for q in analysis.module_stats(db.session, m).questions
                      for v in q.versions)]
    assert flagged
    assert login(client, "197905142006042002", "melek-demo").status_code == 302
    client.post("/bahasa", data={"lang": "en", "csrf_token": csrf_token(client, "/"),
                                 "next": "/"})
    overview = client.get("/studio/sisumaker/statistik")
    assert overview.status_code == 200
    assert f"/studio/sisumaker/statistik/{flagged[0].key}" in overview.get_data(as_text=True)
    page = client.get(f"/studio/sisumaker/statistik/{flagged[0].key}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'class="stats-flags"' in html
    assert any(f"<strong>{label}:</strong>" in html
               for label, _hint in analysis.FLAGS.values())


def test_demo_refuses_in_production(app, runner, db):
    app.config["LMS_ENV"] = "production"
    try:
        result = runner.invoke(args=["lms", "demo"])
    finally:
        app.config["LMS_ENV"] = "test"
    assert result.exit_code == 1 and "LMS_ENV=production" in result.stderr
    assert db.session.scalar(select(func.count(Employee.id))) == 0


def test_every_command_has_help(runner):
    for command in ("check-courses", "sync-courses", "demo", "accounts"):
        result = runner.invoke(args=["lms", command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.stdout


def test_import_employees_cli(runner, db, org, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_text("nip,nama,email,jabatan,opd_kode,jenis_pegawai,aktif\n"
                    "198609262015051001,Rina Sari,,Staf,KEC-PML.01,PNS,ya\n"
                    "1986,Salah,,Staf,KEC-PML.01,PNS,ya\n")
    bad = runner.invoke(args=["lms", "import-employees", str(path)])
    assert bad.exit_code == 1
    assert bad.stdout.strip() == f"{path}:3: NIP '1986' harus terdiri dari 18 angka"
    assert db.session.scalar(select(func.count(Employee.id))) == 0
    path.write_text(path.read_text().rsplit("\n", 2)[0] + "\n")
    dry = runner.invoke(args=["lms", "import-employees", str(path), "--dry-run"])
    assert dry.exit_code == 0 and db.session.scalar(select(func.count(Employee.id))) == 0
    done = runner.invoke(args=["lms", "import-employees", str(path)])
    assert done.exit_code == 0 and db.session.scalar(select(func.count(Employee.id))) == 1
    again = runner.invoke(args=["lms", "import-employees", str(path)])
    assert "1 tidak berubah" in again.stdout
