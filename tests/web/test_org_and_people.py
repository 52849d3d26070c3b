import io
import re

from sqlalchemy import func, select

from lms.models import Opd, OpdChange
from tests.support.factories import make_employee
from tests.support.http import csrf_token, login

CSV = b"kode,nama,jenis,kode_induk\nKEC-STU,Kecamatan Setu,kecamatan,TANGSEL\n"


def admin_client(client, db, org):
    make_employee("197001011995031001", org["kominfo"], "Admin", roles=["admin"])
    db.session.commit()
    assert login(client, "197001011995031001").status_code == 302
    return client


def test_only_admins(client, people):
    login(client, people["hr_city"].nip)
    for url in ("/admin/", "/admin/opd/baru", "/admin/opd/KEC-PML", "/admin/opd/impor"):
        assert client.get(url).status_code == 403


def test_add_rename_and_move_with_history(client, db, org):
    admin_client(client, db, org)
    token = csrf_token(client, "/admin/opd/baru")
    response = client.post("/admin/opd/baru", data={
        "csrf_token": token, "code": "KEC-PML.03", "name": "Kelurahan Kedaung",
        "kind": "kelurahan", "parent": "KEC-PML"})
    assert response.status_code == 302
    node = db.session.scalars(select(Opd).where(Opd.code == "KEC-PML.03")).one()
    assert node.path.startswith(org["kec"].path)
    response = client.post("/admin/opd/KEC-PML.03", data={
        "csrf_token": token, "code": "KEC-PML.03", "name": "Kelurahan Kedaung Baru",
        "kind": "kelurahan", "parent": "TANGSEL"})
    assert response.status_code == 302
    page = client.get("/admin/opd/KEC-PML.03").get_data(as_text=True)
    assert "name: Kelurahan Kedaung → Kelurahan Kedaung Baru" in page
    assert "parent: KEC-PML → TANGSEL" in page
    fields = {c.field for c in db.session.scalars(select(OpdChange))}
    assert fields == {"created", "name", "parent"}
    taken = client.post("/admin/opd/baru", data={
        "csrf_token": token, "code": "KEC-PML", "name": "X", "kind": "unit", "parent": ""})
    assert "Kode ini sudah dipakai." in taken.get_data(as_text=True)


def test_import_in_the_browser(client, db, org):
    admin_client(client, db, org)
    token = csrf_token(client, "/admin/opd/impor")
    check = client.post("/admin/opd/impor", data={
        "csrf_token": token, "action": "check", "file": (io.BytesIO(CSV), "opd.csv")},
        content_type="multipart/form-data")
    assert "KEC-STU" in check.get_data(as_text=True)
    assert db.session.scalars(select(Opd).where(Opd.code == "KEC-STU")).first() is None
    apply = client.post("/admin/opd/impor", data={
        "csrf_token": token, "action": "apply", "file": (io.BytesIO(CSV), "opd.csv")},
        content_type="multipart/form-data")
    assert apply.status_code == 302
    assert db.session.scalars(select(Opd).where(Opd.code == "KEC-STU")).one().depth == 1


def test_import_cli(runner, db, org, tmp_path):
    path = tmp_path / "opd.csv"
    path.write_bytes(CSV + b"X,,unit,TANGSEL\n")
    bad = runner.invoke(args=["lms", "import-opd", str(path), "--apply"])
    assert bad.exit_code == 1 and f"{path}:3:" in bad.stdout
    path.write_bytes(CSV)
    dry = runner.invoke(args=["lms", "import-opd", str(path)])
    assert dry.exit_code == 0
    assert db.session.scalars(select(Opd).where(Opd.code == "KEC-STU")).first() is None
    applied = runner.invoke(args=["lms", "import-opd", str(path), "--apply"])
    assert applied.exit_code == 0
    assert db.session.scalars(select(Opd).where(Opd.code == "KEC-STU")).one()


def test_import_employees_in_the_browser(client, db, org):
    admin_client(client, db, org)
    data = (b"nip,nama,email,jabatan,opd_kode,jenis_pegawai,aktif\n"
            b"199501012020121001,Budi Baru,,Staf,KEC-PML.02,PPPK,ya\n"
            b"<b>123</b>,Salah,,Staf,KEC-PML.02,PNS,ya\n")
    token = csrf_token(client, "/admin/pegawai/impor")
    bad = client.post("/admin/pegawai/impor", data={
        "csrf_token": token, "action": "apply", "file": (io.BytesIO(data), "p.csv")},
        content_type="multipart/form-data").get_data(as_text=True)
    # Lazy messages count as safe markup in Jinja: the page must escape what the file said.
    assert "Baris 3: NIP &#39;&lt;b&gt;123&lt;/b&gt;&#39; harus terdiri dari 18 angka" in bad
    good = data.rsplit(b"\n", 2)[0] + b"\n"
    applied = client.post("/admin/pegawai/impor", data={
        "csrf_token": token, "action": "apply", "file": (io.BytesIO(good), "p.csv")},
        content_type="multipart/form-data")
    assert applied.status_code == 302
    from lms.models import Employee
    assert db.session.scalars(select(Employee).filter_by(nip="199501012020121001")).one()


def test_employee_files_up_to_10_mb_pass_the_site_wide_request_limit(client, app, db, org):
    """The form promises 10 MB; the site-wide limit (4 MB) must not cut it short."""
    admin_client(client, db, org)
    token = csrf_token(client, "/admin/pegawai/impor")
    header = b"nip,nama,email,jabatan,opd_kode,jenis_pegawai,aktif\n"
    row = b"199501012020121001,Budi Baru,,Staf,KEC-PML.02,PPPK,ya\n"
    padding = b"# " + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1024) + b"\n"
    response = client.post("/admin/pegawai/impor", data={
        "csrf_token": token, "action": "check", "file": (io.BytesIO(header + row + padding),
                                                         "p.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200
    assert "baris 3 tidak dapat dibaca sebagai CSV" in response.get_data(as_text=True)
    too_big = client.post("/admin/peran", data={"csrf_token": token, "x": "y" * len(padding)})
    assert too_big.status_code == 413


def test_grant_and_revoke_roles_but_never_ones_own(client, db, org, people):
    admin_client(client, db, org)
    token = csrf_token(client, "/admin/peran")
    learner = people["learner"].nip
    client.post(f"/admin/peran?nip={learner}", data={"csrf_token": token, "role": "hr",
                                                     "opd": "KEC-PML"})
    client.post(f"/admin/peran?nip={learner}", data={"csrf_token": token, "role": "hr",
                                                     "opd": "KEC-PML"})  # twice: one grant
    from lms.models import RoleGrant
    grants = list(db.session.scalars(select(RoleGrant).where(
        RoleGrant.employee_id == people["learner"].id)))
    assert [(g.role, g.opd.code) for g in grants] == [("hr", "KEC-PML")]
    assert client.get("/laporan/").status_code == 403  # the admin is not HR
    own = client.post("/admin/peran?nip=197001011995031001", data={
        "csrf_token": token, "role": "hr", "opd": ""}, follow_redirects=True)
    assert "Tidak seorang pun dapat mengubah perannya sendiri" in own.get_data(as_text=True)
    admin_grant = db.session.scalars(select(RoleGrant).join(RoleGrant.employee).where(
        RoleGrant.role == "admin")).one()
    assert client.post(f"/admin/peran/{admin_grant.id}/cabut",
                       data={"csrf_token": token}).status_code == 302
    assert db.session.get(RoleGrant, admin_grant.id) is not None  # own role stays
    hr_grant = grants[0].id
    assert client.post(f"/admin/peran/{hr_grant}/cabut",
                       data={"csrf_token": token}).status_code == 302
    assert db.session.get(RoleGrant, hr_grant) is None


def test_admin_unlocks_a_locked_account(app, client, db, org, people):
    locked = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        login(locked, people["learner"].nip, "salah")
    assert login(locked, people["learner"].nip).status_code == 429
    admin_client(client, db, org)
    page = client.get(f"/admin/peran?nip={people['learner'].nip}").get_data(as_text=True)
    assert "5 kali gagal masuk tercatat untuk NIP ini." in page
    token = csrf_token(client, "/admin/peran")
    client.post(f"/admin/peran/{people['learner'].nip}/buka-kunci", data={"csrf_token": token})
    assert login(locked, people["learner"].nip).status_code == 302


def test_audit_trail(app, client, db, org, people):
    from lms.models import AuditEvent
    other = app.test_client()
    login(other, people["learner"].nip, "salah")
    login(other, people["learner"].nip)
    admin_client(client, db, org)
    token = csrf_token(client, "/admin/peran")
    client.post(f"/admin/peran?nip={people['trainer'].nip}", data={
        "csrf_token": token, "role": "hr", "opd": "KEC-PML"})
    client.post("/admin/pegawai/impor", data={
        "csrf_token": token, "action": "apply", "file": (io.BytesIO(
            b"nip,nama,jabatan,opd_kode,jenis_pegawai,aktif\n"
            b"199501012020121001,Budi,Staf,KEC-PML.02,PNS,ya\n"), "p.csv")},
        content_type="multipart/form-data")
    events = {e.action: e for e in db.session.scalars(select(AuditEvent))}
    assert events["login_failed"].actor_nip == people["learner"].nip
    assert events["login_failed"].address == "127.0.0.1"
    logins = [e.actor_nip for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "login").order_by(AuditEvent.id))]
    assert logins == [people["learner"].nip, "197001011995031001"]
    assert events["role_granted"].details == {"role": "hr", "opd": "KEC-PML"}
    assert events["role_granted"].target == people["trainer"].nip
    assert events["import_employees"].details["created"] == 1
    page = client.get("/admin/audit?aksi=login_failed").get_data(as_text=True)
    assert "login_failed" in page and "role_granted</td>" not in page
    csv_text = client.get(f"/admin/audit.csv?nip={people['learner'].nip}").get_data(
        as_text=True)
    assert csv_text.startswith("\ufeffwaktu,aksi,nip_pelaku,sasaran,rincian,alamat")
    assert "login_failed" in csv_text and "role_granted" not in csv_text
    assert client.post("/admin/audit", data={"csrf_token": token}).status_code == 405
    assert client.get("/admin/audit?aksi=nope").status_code == 400


def test_lockout_is_audited(app, db, people):
    from lms.models import AuditEvent
    c = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] + 1):
        login(c, people["learner"].nip, "salah")
    assert db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "login_blocked")).first() is not None


def test_password_link_works_once(app, client, db, org, people):
    import re as _re

    from lms.models import AuditEvent
    newcomer = make_employee("199501012020121001", org["kel1"], "Budi Baru", password=False)
    db.session.commit()
    admin_client(client, db, org)
    token = csrf_token(client, "/admin/peran")
    page = client.post(f"/admin/peran/{newcomer.nip}/tautan-sandi",
                       data={"csrf_token": token}).get_data(as_text=True)
    link = _re.search(r"<code>http://localhost(/atur-sandi/[^<]+)</code>", page).group(1)
    person = app.test_client()
    form_token = csrf_token(person, link)
    weak = person.post(link, data={"csrf_token": form_token, "password": "199501012020121001",
                                   "confirm": "199501012020121001"}).get_data(as_text=True)
    assert "Jangan cantumkan NIP Anda di kata sandi." in weak
    short = person.post(link, data={"csrf_token": form_token, "password": "kopi",
                                    "confirm": "kopi"}).get_data(as_text=True)
    assert "Gunakan paling sedikit 10 karakter" in short
    good = "kopi-hujan-sepeda-melati"
    assert person.post(link, data={"csrf_token": form_token, "password": good,
                                   "confirm": good}).status_code == 302
    assert login(person, newcomer.nip, good).status_code == 302
    assert app.test_client().get(link).status_code == 404  # used up
    actions = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {"password_link", "password_set"} <= actions


def test_password_rules():
    from lms.people.passwords import problems
    assert problems("kopi-hujan-sepeda-melati", "198609262015051001") == []
    assert len(problems("password", "198609262015051001")) == 2
    assert problems("aaaaaaaaaaaa", "1")[0] is not None
    assert problems("x198609262015051001", "198609262015051001")


def test_password_link_by_email_through_a_real_smtp_server(app, client, db, org, people,
                                                         monkeypatch):
    import re as _re
    import socket
    from email import message_from_bytes

    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    smtp = Controller(Handler(), hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        person = make_employee("199501012020121001", org["kel1"], "Budi", password=False)
        person.email = "budi@contoh.go.id"
        db.session.commit()
        admin_client(client, db, org)
        token = csrf_token(client, "/admin/peran")
        page = client.post(f"/admin/peran/{person.nip}/tautan-sandi",
                           data={"csrf_token": token}).get_data(as_text=True)
        assert "budi@contoh.go.id" in page and "<code>" not in page  # not shown on screen
    finally:
        smtp.stop()
    [(to, message)] = received
    assert to == ["budi@contoh.go.id"]
    body = message.get_payload(decode=True).decode()
    link = _re.search(r"http://localhost(/atur-sandi/\S+)", body).group(1)
    user = app.test_client()
    form_token = csrf_token(user, link)
    good = "kopi-hujan-sepeda-melati"
    assert user.post(link, data={"csrf_token": form_token, "password": good,
                                 "confirm": good}).status_code == 302
    assert login(user, person.nip, good).status_code == 302


def test_three_hundred_rows_five_errors_then_fixed_then_nothing_changed(client, db, org,
                                                                        course):
    """The issue's scenario, through the admin page."""
    import random

    from lms.demo.seed import make_nip
    from lms.learning import progress
    from lms.models import Employee, Transfer
    rng, used = random.Random(3), set()
    codes = ["KEC-PML.01", "KEC-PML.02", "DISKOMINFO", "DISKOMINFO.APTIKA", "BKPSDM"]
    rows = [f"{make_nip(rng, used)},Pegawai {i},,Staf,{codes[i % 5]},PNS,ya"
            for i in range(300)]
    broken = list(rows)
    broken[10] = broken[10].replace(",PNS,", ",HONORER,")       # line 12: type
    broken[50] = "12345," + broken[50].split(",", 1)[1]          # line 52: NIP length
    broken[100] = broken[100].replace("Pegawai 100", "")         # line 102: no name
    cells = broken[150].split(",")
    broken[150] = ",".join(cells[:4] + ["DINAS-X"] + cells[5:])   # line 152: OPD code
    broken[200] = broken[1]                                      # line 202: duplicate
    header = "nip,nama,email,jabatan,opd_kode,jenis_pegawai,aktif\n"

    def post(lines, action):
        data = (header + "\n".join(lines) + "\n").encode()
        return client.post("/admin/pegawai/impor", data={
            "csrf_token": token, "action": action, "file": (io.BytesIO(data), "p.csv")},
            content_type="multipart/form-data")

    admin_client(client, db, org)
    token = csrf_token(client, "/admin/pegawai/impor")
    page = post(broken, "apply").get_data(as_text=True)
    assert "5 masalah; tidak ada yang diubah" in page
    for line in (12, 52, 102, 152, 202):
        assert f"<li>Baris {line}:" in page
    assert db.session.scalar(select(func.count(Employee.id))) == 1  # only the admin
    assert post(rows, "apply").status_code == 302
    assert db.session.scalar(select(func.count(Employee.id))) == 301
    again = post(rows, "check").get_data(as_text=True)
    assert "0 akan dibuat, 0 akan diperbarui (0 pindah OPD), 0 akan dinonaktifkan, " \
           "300 tidak berubah." in again
    mover = db.session.scalars(select(Employee).filter_by(name="Pegawai 0")).one()
    progress.complete_module(db.session, mover.id, course.current_modules[1])
    db.session.commit()
    rows[0] = rows[0].replace("KEC-PML.01", "BKPSDM")
    assert post(rows, "apply").status_code == 302
    assert db.session.scalars(select(Transfer)).one().employee_id == mover.id
    assert progress.completed_module_ids(db.session, mover.id,
                                         [course.current_modules[1].id])


def test_the_menu_marks_the_area_of_every_page(app, people):
    """People's pages live under /admin and /laporan like the features around them."""
    from lms.core.extensions import db
    from tests.support.http import logged_in
    admin = make_employee("196501011990031009", people["learner"].opd, roles=["admin"])
    db.session.commit()
    current = re.compile(r'<a href="([^"]+)" aria-current="page">')
    pages = {logged_in(app, admin.nip): {"/admin/peran": "/admin/opd",
                                         "/admin/pegawai/impor": "/admin/opd",
                                         "/admin/audit": "/admin/opd"},
             logged_in(app, people["hr_city"].nip): {"/laporan/impor-pegawai": "/laporan/",
                                                     "/laporan/penugasan": "/laporan/"}}
    for client, urls in pages.items():
        for url, menu in urls.items():
            html = client.get(url).get_data(as_text=True)
            assert menu in current.findall(html), url
    html = logged_in(app, admin.nip).get("/admin/pegawai/impor").get_data(as_text=True)
    assert 'class="breadcrumb"' in html


def test_an_options_request_to_a_closed_page_is_refused_not_a_crash(client):
    for url in ("/admin/opd", "/laporan/", "/studio/", "/admin/peran", "/laporan/penugasan"):
        assert client.open(url, method="OPTIONS").status_code in (401, 403, 302), url
