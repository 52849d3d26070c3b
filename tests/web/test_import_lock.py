"""The employee import holds the write lock only while it writes: reading, parsing,
checking and planning come first, in a transaction that takes no write lock, so learners
can still write while a big file is checked."""

import contextlib
import io
import threading
import time

import pytest
from sqlalchemy import event, func, select

from lms.core import database
from lms.models import Employee, RoleGrant
from lms.people import roster
from tests.support.http import csrf_token, login

HEADER = b"nip,nama,email,jabatan,opd_kode,jenis_pegawai,aktif\n"
ROWS = 20000


def big_file(rows=ROWS, last=None) -> bytes:
    lines = [f"NA-{i:06d},Pegawai {i},,Staf,KEC-PML.01,NON-ASN,ya" for i in range(rows)]
    if last:
        lines[-1] = last
    return HEADER + ("\n".join(lines) + "\n").encode()


class WriterProbe(threading.Thread):
    """Another client that keeps trying to write, without waiting for a lock; counts the
    times it could not."""

    def __init__(self, engine):
        super().__init__(daemon=True)
        self.engine, self.stop = engine, threading.Event()
        # Each counter moves only once its write has ended one way or the other, so a
        # write still in flight is never counted as done.
        self.written = self.refused = 0

    def wait_for_writes(self, count: int, timeout: float = 10.0) -> bool:
        """Wait until the probe has written `count` more times; False if it could not."""
        start, deadline = self.written, time.monotonic() + timeout
        while self.written < start + count and time.monotonic() < deadline:
            time.sleep(0.005)
        return self.written >= start + count

    def run(self):
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            import sqlite3
            raw = sqlite3.connect(url.database, isolation_level=None, timeout=0)
            write, end = "BEGIN IMMEDIATE", "ROLLBACK"
        else:
            import psycopg
            raw = psycopg.connect(host=url.host, port=url.port, user=url.username,
                                  password=url.password, dbname=url.database,
                                  autocommit=True)
            raw.execute("SET lock_timeout = '5ms'")
            write, end = "BEGIN; UPDATE opd SET name = name", "ROLLBACK"
        Error = raw.OperationalError if hasattr(raw, "OperationalError") else Exception
        while not self.stop.is_set():
            try:
                raw.execute(write)
                raw.execute(end)
            except Error:
                with contextlib.suppress(Error):
                    raw.execute(end)
                self.refused += 1
            else:
                self.written += 1
            time.sleep(0.005)
        raw.close()


@pytest.fixture
def hr_admin(client, db, people):
    db.session.add(RoleGrant(employee_id=people["hr_city"].id, role="admin"))
    db.session.commit()
    assert login(client, people["hr_city"].nip).status_code == 302
    return client


def test_a_big_file_with_a_bad_last_line_never_write_locks_the_database(hr_admin, db,
                                                                        monkeypatch):
    token = csrf_token(hr_admin, "/admin/pegawai/impor")
    data = big_file(last="1986,Salah,,Staf,KEC-PML.01,PNS,ya")
    probe = WriterProbe(db.engine)
    during, original = [], roster.plan

    def plan_while_probed(session, *args, **kwargs):
        # Inside the import's transaction, before and after the planning, the other
        # client must be able to write: the wait ends on its writes, not on a clock, so
        # a fast machine cannot finish the check before the probe has had its turn.
        during.append(probe.wait_for_writes(5))
        result = original(session, *args, **kwargs)
        during.append(probe.wait_for_writes(5))
        return result
    monkeypatch.setattr(roster, "plan", plan_while_probed)
    probe.start()
    try:
        response = hr_admin.post("/admin/pegawai/impor", data={
            "csrf_token": token, "action": "apply", "file": (io.BytesIO(data), "p.csv")},
            content_type="multipart/form-data")
    finally:
        probe.stop.set()
        probe.join(10)
    assert response.status_code == 200
    assert f"Baris {ROWS + 1}: NIP &#39;1986&#39; harus terdiri dari 18 angka" in \
        response.get_data(as_text=True)
    assert during == [True, True]  # the probe wrote while the file was checked
    assert probe.refused == 0
    assert db.session.scalar(select(func.count(Employee.id))) == 5  # the people only


@pytest.fixture
def write_starts(db):
    """When each transaction with write intent began (perf_counter)."""
    began = []

    def on_begin(_conn):
        if database._immediate.get():
            began.append(time.perf_counter())
    event.listen(db.engine, "begin", on_begin)
    yield began
    event.remove(db.engine, "begin", on_begin)


@pytest.fixture
def planned(monkeypatch):
    """When roster.plan returned (perf_counter), for each call."""
    done, original = [], roster.plan

    def timed(*args, **kwargs):
        result = original(*args, **kwargs)
        done.append(time.perf_counter())
        return result
    monkeypatch.setattr(roster, "plan", timed)
    return done


def test_cli_import_writes_in_one_transaction_begun_after_planning(runner, db, org, tmp_path,
                                                                   write_starts, planned):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(big_file(2000))
    result = runner.invoke(args=["lms", "import-employees", str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Employee.id))) == 2000
    assert len(planned) == 1 and len(write_starts) == 1
    assert write_starts[0] > planned[0]


def test_browser_import_writes_in_one_transaction_begun_after_planning(hr_admin, db,
                                                                       write_starts, planned):
    token = csrf_token(hr_admin, "/admin/pegawai/impor")
    write_starts.clear()
    response = hr_admin.post("/admin/pegawai/impor", data={
        "csrf_token": token, "action": "apply", "file": (io.BytesIO(big_file(2000)), "p.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Employee.id))) == 2005
    assert len(planned) == 1 and len(write_starts) == 1
    assert write_starts[0] > planned[0]
    checked = hr_admin.post("/admin/pegawai/impor", data={
        "csrf_token": token, "action": "check", "file": (io.BytesIO(big_file(2000)), "p.csv")},
        content_type="multipart/form-data")
    # A dry run changes no employee; its one write keeps the checked file for Apply,
    # after the planning, so the write lock is not held while the file is checked.
    assert checked.status_code == 200 and len(planned) == 2 and len(write_starts) == 2
    assert write_starts[1] > planned[1]
    assert db.session.scalar(select(func.count(Employee.id))) == 2005
