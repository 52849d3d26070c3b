"""The demo has a champion, a past session with attendance (its modules credited) and a
coming one with sign-ups; the champion sees the coming session's list."""

from sqlalchemy import func, select

from lms.core import clock
from lms.models import ClassSeat, ClassSession, ModuleProgress
from tests.support.http import login


def test_demo_sessions_show_real_figures(runner, db, client):
    result = runner.invoke(args=["lms", "sync-courses"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["lms", "demo", "--employees", "200"])
    assert result.exit_code == 0, result.output
    past, coming = db.session.scalars(select(ClassSession).order_by(ClassSession.starts_at))
    assert past.ends_at < clock.now() < coming.starts_at
    attended = db.session.scalars(select(ClassSeat).where(
        ClassSeat.session_id == past.id, ClassSeat.attended_at.is_not(None))).all()
    assert attended and all(seat.credited for seat in attended)
    credited = attended[0].credited
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress).where(
        ModuleProgress.employee_id == attended[0].employee_id,
        ModuleProgress.module_id.in_(credited), ModuleProgress.completed_at.is_not(None))) \
        == len(credited)
    assert db.session.scalar(select(func.count(ClassSeat.id)).where(
        ClassSeat.session_id == coming.id)) >= 2
    accounts = runner.invoke(args=["lms", "accounts"]).output
    champion = next(line.split()[0] for line in accounts.splitlines() if "Duta Digital" in line)
    assert login(client, champion, "melek-demo").status_code == 302
    page = client.get(f"/kelas/{coming.id}").get_data(as_text=True)
    assert "Daftar hadir" in page and "Rina Kartika Sari" in page
