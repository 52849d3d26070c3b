"""Demo data: an organisation like Tangsel's, ~300 employees, some progress."""

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from lms.certificates import settings as certificate_settings
from lms.champions import demo as champion_demo
from lms.classroom import demo as classroom_demo
from lms.core import clock
from lms.demo import leaders as leaders_demo
from lms.demo.organisation import FIRST_NAMES, LAST_NAMES, POSITIONS, TREE
from lms.demo.quiz_history import QuizHistory
from lms.evaluation import demo as evaluation_demo
from lms.learning import jp, progress
from lms.mandatory import assignments
from lms.models import Course, Employee, Opd, RoleGrant
from lms.models.nudges import SENT
from lms.nudges import reminders
from lms.org import tree
from lms.pretest import demo as pretest_demo
from lms.studio import ownership

PASSWORD = "melek-demo"
CITY_CODE = "TANGSEL"
EXTERNAL_TITLES = ["Bimbingan teknis SIPD", "Pelatihan pelayanan prima",
                   "Diklat kearsipan dinamis", "Webinar keamanan siber"]
# A fictional signing official: the demo's certificates print these.
CERTIFICATE_SIGNER = {"organiser": "BKPSDM Kota Tangerang Selatan",
                      "signer_name": "Dr. Ratna Wulandari, S.Sos., M.Si.",
                      "signer_nip": "197203151998032004", "signer_position": "Kepala BKPSDM"}
# The demo trainer owns these; an admin can add owners in the studio.
TRAINER_COURSES = ("sisumaker", "literasi-digital-dasar", "waspada-phishing")

ACCOUNTS = [  # (nip, role, OPD code, name, position, HR scope, label)
    ("198609262015051001", "learner", "KEC-PML.04", "Rina Kartika Sari",
     "Pengadministrasi Umum", None, "peserta (Kelurahan Pamulang Barat)"),
    ("197905142006042002", "trainer", "DISKOMINFO.APTIKA", "Dewi Anggraini",
     "Pranata Komputer Ahli Muda", None, "pelatih (Diskominfo)"),
    ("198201012008011003", "hr", "BKPSDM.PSDM", "Hendra Gunawan",
     "Analis Sumber Daya Manusia Aparatur", "city", "HR BKPSDM, seluruh kota"),
    ("199003152015032004", "hr", "KEC-PML", "Siti Nurhaliza",
     "Kepala Subbagian Umum dan Kepegawaian", "KEC-PML", "HR Kecamatan Pamulang saja"),
    ("197001011995031001", "admin", "DISKOMINFO", "Bambang Wibowo",
     "Administrator Sistem", None, "admin"),
    ("198912122014022003", "champion", "KEC-PML.04", "Yuni Astuti",
     "Pengelola Layanan Operasional", "KEC-PML.04",
     "Duta Digital (Kelurahan Pamulang Barat)"),
]


def account_lines() -> list[tuple[str, str]]:
    return [(nip, label) for nip, *_rest, label in ACCOUNTS]


def build_tree(session: Session) -> dict[str, Opd]:
    city = tree.create(session, code=CITY_CODE, name="Pemerintah Kota Tangerang Selatan",
                       kind="kota", parent=None)
    nodes = {CITY_CODE: city}

    def add(children, parent):
        for code, name, kind, grandchildren in children:
            node = tree.create(session, code=code, name=name, kind=kind, parent=parent)
            nodes[code] = node
            add(grandchildren, node)

    add(TREE, city)
    return nodes


def make_nip(rng: random.Random, used: set) -> str:
    while True:
        born = date(1965, 1, 1) + timedelta(days=rng.randrange(33 * 365))
        appointed = born.year + rng.randint(22, 35)
        nip = (f"{born:%Y%m%d}{min(appointed, 2024)}{rng.randint(1, 12):02d}"
               f"{rng.choice('12')}{rng.randint(1, 999):03d}")
        if nip not in used:
            used.add(nip)
            return nip


EMAIL_SHARE = 0.7  # of demo employees with an address; the rest show in HR's "no email" list


def seed_demo(session: Session, count: int, seed: int, on_progress=None,
              reminder_steps: tuple = ((14, 3), 7)) -> None:
    on_progress = on_progress or (lambda n: None)
    rng = random.Random(seed)
    password_hash = generate_password_hash(PASSWORD)  # one hash: demo accounts only
    nodes = build_tree(session)
    courses = list(session.scalars(select(Course).where(Course.retired_at.is_(None))))
    used = {a[0] for a in ACCOUNTS}
    people = []
    for nip, role, code, name, position, scope, _label in ACCOUNTS:
        employee = Employee(nip=nip, name=name, opd_id=nodes[code].id, position=position,
                            employment_type="pns", password_hash=password_hash)
        session.add(employee)
        if role != "learner":
            opd_id = None if scope in (None, "city") else nodes[scope].id
            employee.grants.append(RoleGrant(role=role, opd_id=opd_id))
        people.append(employee)
        on_progress(1)
    placeable = [n for code, n in nodes.items() if code != CITY_CODE]
    for i in range(count - len(ACCOUNTS)):
        node = rng.choice(placeable)
        kind = rng.choices(["pns", "pppk", "non_asn"], weights=[75, 15, 10])[0]
        nip = make_nip(rng, used) if kind != "non_asn" else f"NA-{i + 1:05d}"
        positions = POSITIONS.get(node.kind, POSITIONS["default"])
        employee = Employee(
            nip=nip, name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            opd_id=node.id, position=rng.choice(positions), employment_type=kind,
            password_hash=password_hash)
        session.add(employee)
        people.append(employee)
        on_progress(1)
    session.flush()
    # Before any progress, so the certificates seeded below print the signing official.
    certificate_settings.save(session, people[4], **CERTIFICATE_SIGNER,
                              number_pattern=certificate_settings.DEFAULT_PATTERN)
    # Quiz history has its own RNG, so the rest of the demo stays as it was.
    history = QuizHistory(seed)
    history.prepare(courses)
    for employee in people[len(ACCOUNTS):]:
        _add_progress(session, employee, courses, rng, history)
    ordered = sorted(courses, key=lambda c: (c.position, c.title))
    leaders_demo.add(session, nodes, people[len(ACCOUNTS):], ordered[:2],
                     random.Random(seed + 15), history)
    history.save(session)
    _add_assignments(session, courses, nodes, people[2])
    trainer = people[1]
    for course in courses:
        if course.slug in TRAINER_COURSES:
            ownership.add_owner(session, course, trainer)
    _add_external_training(session, people[len(ACCOUNTS):], people[2], rng)
    _add_emails(people, random.Random(seed + 1))
    pretest_demo.add(session, random.Random(seed + 13), history.abilities, people[1])
    _add_reminders(session, *reminder_steps)
    evaluation_demo.add(session, people[len(ACCOUNTS):], courses, random.Random(seed + 13))
    classroom_demo.add(session, random.Random(seed + 15), trainer, people[0],
                       {p.id for p in people[:len(ACCOUNTS)]})
    champion_demo.add(session, people[5], random.Random(seed + 15))


def _add_emails(people: list[Employee], rng: random.Random) -> None:
    """Addresses at a reserved domain (.example), for most people: the accounts always."""
    for i, person in enumerate(people):
        if i < len(ACCOUNTS) or rng.random() < EMAIL_SHARE:
            local = person.name.lower().replace(" ", ".").replace("'", "")
            person.email = f"{local}.{person.nip[-4:].lower()}@melek.example"


def _add_reminders(session: Session, before: tuple, every: int) -> None:
    """Today's reminders recorded as sent (nothing is mailed: a demo has no mail server),
    so HR's reminder pages and employee pages show what a real morning leaves."""
    session.flush()
    for d in reminders.pending(session, clock.today(), before, every):
        if reminders.claim(session, d) and d.email:
            reminders.record(session, d, SENT)


def _add_assignments(session: Session, courses: list[Course], nodes: dict, hr: Employee):
    """Two mandatory courses: one for everyone due soon (heads two weeks before their
    staff), one for PNS already overdue."""
    today = clock.today()
    ordered = sorted(courses, key=lambda c: (c.position, c.title))
    if ordered:
        assignments.create(session, course=ordered[0], due_date=today + timedelta(days=45),
                           by=hr, heads_first_days=14)
    if len(ordered) > 1:
        assignments.create(session, course=ordered[1], due_date=today - timedelta(days=10),
                           employment_type="pns", by=hr)


def _add_external_training(session: Session, people: list[Employee], hr: Employee,
                           rng: random.Random) -> None:
    today = clock.today()
    for employee in rng.sample(people, min(40, len(people))):
        end = today - timedelta(days=rng.randint(1, 150))
        jp.record_external(session, employee, title=rng.choice(EXTERNAL_TITLES),
                           organiser=rng.choice(["BKPSDM Kota Tangerang Selatan",
                                                 "BPSDM Provinsi Banten", "LAN RI"]),
                           start_date=end - timedelta(days=rng.randint(0, 3)), end_date=end,
                           jp=rng.choice([4, 8, 12, 16, 24]), by=hr)


def _add_progress(session: Session, employee: Employee, courses: list[Course],
                  rng: random.Random, history: QuizHistory) -> None:
    """Enrol in some courses and complete some modules. A quiz is completed by passing
    it (after failed attempts for some); some who stopped failed the next quiz."""
    now = clock.now()
    for course in courses:
        modules = course.current_modules
        if not modules or rng.random() > 0.45:
            continue
        done = len(modules) if rng.random() < 0.5 else rng.randint(0, len(modules) - 1)
        start = now - timedelta(days=rng.randint(5, 120))
        progress.enroll(session, employee.id, course).started_at = start
        for step, module in enumerate(modules[:done]):
            at = min(start + timedelta(days=step, hours=rng.randint(1, 8)), now)
            if module.has_quiz:
                rng.randrange(4)  # the score once drawn here: keeps the rest unchanged
                score = history.passed(employee.id, module, at)
                progress.record_score(session, employee.id, module, score, True, at=at)
            else:
                progress.complete_module(session, employee.id, module, at=at)
        if done < len(modules) and modules[done].has_quiz:
            at = min(start + timedelta(days=done, hours=history.rng.randint(1, 8)), now)
            history.gave_up(employee.id, modules[done], at)
