"""Fixtures: a real database (SQLite file, or PostgreSQL when MELEK_TEST_DB=postgres),
the app, a client per role, the organisation and people as fixtures, and the clock.
Factories and HTTP helpers live in tests/support/, imported from there.

The clock: MELEK_TEST_NOW (an ISO moment, e.g. 2026-12-31T23:30+07:00) sets the time the
whole suite runs at, ticking from there, so `make test-dates` proves nothing depends on
today's date. A test that needs an exact moment asks for `frozen` and moves it.
"""

import os
import socket
from datetime import datetime
from email import message_from_bytes, policy

import pytest
import time_machine
from sqlalchemy import text

from lms import create_app
from lms.content.sync import sync
from lms.core import clock
from lms.core.extensions import db as _db
from tests.support.factories import DATA, make_employee, make_opd
from tests.support.http import IsolatedClient, login


def _database_url(tmp_path_factory) -> str:
    if os.environ.get("MELEK_TEST_DB") == "postgres":
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            pytest.exit("MELEK_TEST_DB=postgres needs TEST_DATABASE_URL", returncode=2)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'melek-test.db'}"


@pytest.fixture(scope="session", autouse=True)
def suite_clock():
    """The moment the whole suite starts at (MELEK_TEST_NOW), ticking; real time if unset."""
    when = os.environ.get("MELEK_TEST_NOW")
    if not when:
        yield None
        return
    with time_machine.travel(datetime.fromisoformat(when), tick=True) as traveller:
        yield traveller


@pytest.fixture
def frozen():
    """The clock held still (at the suite's moment until moved): `frozen.move_to(...)`."""
    with time_machine.travel(clock.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
        "COURSES_DIR": str(DATA / "courses"),
        "LMS_ENV": "test",
        "PUBLIC_BASE_URL": "http://localhost",
        "CERTIFICATE_SIGNING_P12": "",  # unsigned unless a test gives a key
    })
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def db(app):
    """A clean database for every test, through the same engine the app uses."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
        with _db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()



@pytest.fixture
def org(db):
    """City -> Diskominfo (-> Aptika), Kecamatan Pamulang (-> two kelurahan), BKPSDM."""
    city = make_opd("TANGSEL", "Kota Tangerang Selatan", "kota")
    kominfo = make_opd("DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas", city)
    aptika = make_opd("DISKOMINFO.APTIKA", "Bidang Aplikasi Informatika", "unit", kominfo)
    kec = make_opd("KEC-PML", "Kecamatan Pamulang", "kecamatan", city)
    kel1 = make_opd("KEC-PML.01", "Kelurahan Benda Baru", "kelurahan", kec)
    kel2 = make_opd("KEC-PML.02", "Kelurahan Pondok Benda", "kelurahan", kec)
    bkpsdm = make_opd("BKPSDM", "BKPSDM", "badan", city)
    _db.session.commit()
    return {"city": city, "kominfo": kominfo, "aptika": aptika, "kec": kec, "kel1": kel1,
            "kel2": kel2, "bkpsdm": bkpsdm}


@pytest.fixture
def org_tree(org):
    return org


@pytest.fixture
def people(org):
    made = {
        "learner": make_employee("198609262015051001", org["kel1"], "Rina Sari"),
        "other": make_employee("198701012010011002", org["aptika"], "Budi Santoso"),
        "hr_city": make_employee("198201012008011003", org["bkpsdm"], "Hendra",
                                 roles=[("hr", None)]),
        "hr_kec": make_employee("199003152015032004", org["kec"], "Siti",
                                roles=[("hr", org["kec"])]),
        "trainer": make_employee("197905142006042002", org["aptika"], "Dewi",
                                 roles=["trainer"]),
    }
    _db.session.commit()
    return made


@pytest.fixture
def course(db):
    report = sync(DATA / "courses", _db.session)
    assert report.ok, [str(p) for p in report.problems]
    _db.session.commit()
    from lms.models import Course
    return _db.session.scalars(_db.select(Course).filter_by(slug="dasar")).one()



@pytest.fixture
def two_learners(app, org, people):
    """Rina (people["learner"]) and Agus, each signed in in a browser of their own."""
    from tests.support.http import logged_in
    agus = make_employee("199101012019031005", org["kel2"], "Agus Salim")
    _db.session.commit()
    return logged_in(app, people["learner"].nip), logged_in(app, agus.nip)


@pytest.fixture
def as_learner(client, people):
    assert login(client, people["learner"].nip).status_code == 302
    return client


@pytest.fixture
def trainer(client, people, course):
    """The trainer, owning the `dasar` test course, logged in."""
    from lms.studio import ownership
    ownership.add_owner(_db.session, course, people["trainer"])
    _db.session.commit()
    assert login(client, people["trainer"].nip).status_code == 302
    return client


@pytest.fixture
def english(app):
    """Messages in English (the msgids), for tests that compare exact wording."""
    from flask_babel import force_locale
    with force_locale("en"):
        yield


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free port; `handler(envelope)` may sleep, check or refuse."""
    from aiosmtpd.controller import Controller

    received, servers = [], []

    class Handler:
        def __init__(self, on_data):
            self.on_data = on_data

        async def handle_DATA(self, server, session, envelope):
            received.append(message_from_bytes(envelope.content, policy=policy.default))
            return self.on_data(envelope) or "250 OK"

    def start(on_data=lambda envelope: None):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        controller = Controller(Handler(on_data), hostname="127.0.0.1", port=port)
        controller.start()
        servers.append(controller)
        return port

    yield start, received
    for controller in servers:
        controller.stop()
