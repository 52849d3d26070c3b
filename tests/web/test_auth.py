import re

from sqlalchemy import func, select

from lms.models import LoginAttempt
from tests.support.factories import PASSWORD
from tests.support.http import csrf_token, login

SAME_MESSAGE = "NIP atau kata sandi"


def test_login_page_labels(client):
    html = client.get("/masuk").get_data(as_text=True)
    assert '<label for="nip">NIP</label>' in html
    assert '<label for="password">Kata sandi</label>' in html
    assert '<html lang="id">' in html


def test_login_and_logout(client, people):
    response = login(client, people["learner"].nip)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Rina Sari" in client.get("/").get_data(as_text=True)
    token = csrf_token(client, "/")
    assert client.post("/keluar", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_nip_with_spaces_is_accepted(client, people):
    assert login(client, "19860926 201505 1 001").status_code == 302


def test_unknown_nip_and_wrong_password_look_the_same(client, people):
    wrong = login(client, people["learner"].nip, "salah-sekali")
    unknown = login(client, "199912312020121999", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    body_wrong, body_unknown = (r.get_data(as_text=True) for r in (wrong, unknown))
    assert SAME_MESSAGE in body_wrong and SAME_MESSAGE in body_unknown
    def before_token(body):
        return body.split('name="csrf_token"')[0]
    assert before_token(body_wrong) == before_token(body_unknown)


def test_account_without_password_cannot_log_in(client, org):
    from tests.support.factories import make_employee
    make_employee("198001012005011001", org["kel1"], password=False)
    from lms.core.extensions import db
    db.session.commit()
    assert login(client, "198001012005011001").status_code == 401


def test_login_is_throttled_per_account(app, client, people, db):
    nip = people["learner"].nip
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert login(client, nip, "salah").status_code == 401
    blocked = login(client, nip, PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.get_data(as_text=True)
    assert login(client, people["other"].nip).status_code == 302  # others are unaffected


def test_login_is_throttled_per_address(app, client, people, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_NIPS_PER_ADDRESS", 3)
    for i in range(3):
        login(client, f"19990101202001100{i}", "salah")
    assert login(client, people["other"].nip).status_code == 429


def test_success_clears_failures(client, people, db):
    login(client, people["learner"].nip, "salah")
    assert login(client, people["learner"].nip).status_code == 302
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 0


def test_post_without_csrf_token_is_refused(client, people):
    response = client.post("/masuk", data={"nip": people["learner"].nip,
                                           "password": PASSWORD})
    assert response.status_code == 400


def test_next_parameter_cannot_leave_the_site(client, people):
    token = csrf_token(client)
    response = client.post("/masuk?next=https://jahat.example/", data={
        "nip": people["learner"].nip, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"
    client.post("/keluar", data={"csrf_token": csrf_token(client, "/")})
    token = csrf_token(client)
    response = client.post("/masuk?next=/katalog", data={
        "nip": people["learner"].nip, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/katalog"


def test_password_change_ends_other_sessions(client, people, db):
    login(client, people["learner"].nip)
    people["learner"].auth_epoch += 1
    db.session.commit()
    assert client.get("/").status_code == 302


def test_language_switch(client, people):
    token = csrf_token(client)
    client.post("/bahasa", data={"lang": "en", "csrf_token": token, "next": "/masuk"})
    html = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="en">' in html and '<label for="password">Password</label>' in html
    client.post("/bahasa", data={"lang": "xx", "csrf_token": csrf_token(client)})
    assert '<html lang="en">' in client.get("/masuk").get_data(as_text=True)


def test_security_headers_and_cookie_flags(client, people):
    response = client.get("/masuk")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    cookie = login(client, people["learner"].nip).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/").headers["Cache-Control"] == "no-store"


# --- one public address for a whole office (NAT) ------------------------------------------

OFFICE = "203.0.113.7"


def login_from(client, nip, password=PASSWORD, address=OFFICE):
    token = csrf_token(client)
    return client.post("/masuk", data={"nip": nip, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def test_colleagues_mistakes_do_not_lock_out_the_office(app, client, org, people, db):
    """Seven colleagues behind the office's one address each get their password wrong five
    times (35 failures): they wait, but a colleague typing hers right still gets in."""
    from tests.support.factories import make_employee
    clumsy = [make_employee(f"19850101201001100{i}", org["kel1"]).nip for i in range(7)]
    db.session.commit()
    for nip in clumsy:
        for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
            assert login_from(client, nip, "salah").status_code == 401
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 35
    assert login_from(client, clumsy[0], PASSWORD).status_code == 429  # her own lockout
    assert login_from(client, people["other"].nip).status_code == 302


def test_spraying_many_nips_from_one_address_is_stopped(app, client, people, db):
    """One guess each at many NIPs from one address (password spraying): once as many
    different NIPs as the setting allows have failed, the address waits, whatever the NIP
    and even with a right password; another address is unaffected."""
    limit = app.config["LOGIN_MAX_NIPS_PER_ADDRESS"]
    assert limit > app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for i in range(limit):
        assert login_from(client, f"19900101201501{i:04d}", "Tangsel2024!").status_code == 401
    for nip, password in [("199001012015019999", "Tangsel2024!"),
                          (people["learner"].nip, "Tangsel2024!"),
                          (people["learner"].nip, PASSWORD)]:
        refused = login_from(client, nip, password)
        assert refused.status_code == 429
        assert "dari jaringan ini" in refused.get_data(as_text=True)
    assert login_from(client, people["learner"].nip, address="198.51.100.9").status_code == 302


def test_address_limit_message_does_not_tell_whether_a_nip_exists(app, client, people, db,
                                                                  monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_NIPS_PER_ADDRESS", 2)
    login_from(client, "199901012020011001", "salah")
    login_from(client, "199901012020011002", "salah")
    known = login_from(client, people["learner"].nip, "salah")
    unknown = login_from(client, "199901012020011003", "salah")
    assert known.status_code == unknown.status_code == 429
    def before_token(body):
        return body.split('name="csrf_token"')[0]
    assert before_token(known.get_data(as_text=True)) == before_token(
        unknown.get_data(as_text=True))


def test_per_account_lockout_holds_from_every_address(app, client, people, db):
    nip = people["learner"].nip
    for i in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert login_from(client, nip, "salah", address=f"198.51.100.{i}").status_code == 401
    blocked = login_from(client, nip, address="192.0.2.1")
    assert blocked.status_code == 429
    body = blocked.get_data(as_text=True)
    assert "Terlalu banyak percobaan masuk yang gagal" in body
    assert "dari jaringan ini" not in body  # her account waits, not the network


def test_address_limit_ends_with_the_window(app, client, people, db, frozen, monkeypatch):
    from datetime import timedelta

    from lms.core import clock
    monkeypatch.setitem(app.config, "LOGIN_MAX_NIPS_PER_ADDRESS", 2)
    login_from(client, "199901012020011001", "salah")
    login_from(client, "199901012020011002", "salah")
    assert login_from(client, people["learner"].nip).status_code == 429
    frozen.move_to(clock.now() + timedelta(
        minutes=app.config["LOGIN_FAILURE_WINDOW_MINUTES"], seconds=1))
    assert login_from(client, people["learner"].nip).status_code == 302


def test_login_limits_are_settings(monkeypatch):
    from lms import create_app
    monkeypatch.setenv("LOGIN_MAX_FAILURES_PER_ACCOUNT", "3")
    monkeypatch.setenv("LOGIN_MAX_NIPS_PER_ADDRESS", "200")
    monkeypatch.setenv("LOGIN_FAILURE_WINDOW_MINUTES", "30")
    config = create_app().config
    assert config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 3
    assert config["LOGIN_MAX_NIPS_PER_ADDRESS"] == 200
    assert config["LOGIN_FAILURE_WINDOW_MINUTES"] == 30
REQUIRED_ID, REQUIRED_EN = "Kolom ini wajib diisi.", "This field is required."


def test_empty_login_says_so_in_indonesian_or_english(client):
    page = client.post("/masuk", data={"csrf_token": csrf_token(client)}).get_data(as_text=True)
    assert page.count(REQUIRED_ID) == 2 and REQUIRED_EN not in page
    client.post("/bahasa", data={"lang": "en", "csrf_token": csrf_token(client)})
    page = client.post("/masuk", data={"csrf_token": csrf_token(client)}).get_data(as_text=True)
    assert page.count(REQUIRED_EN) == 2 and REQUIRED_ID not in page


def test_hr_form_messages_follow_the_language(client, people):
    assert login(client, people["hr_city"].nip).status_code == 302
    url = "/laporan/pegawai/198609262015051001"

    def errors():
        page = client.post(url, data={"csrf_token": csrf_token(client, url), "jp": "x",
                                      "start_date": "kemarin"}).get_data(as_text=True)
        return re.findall(r'class="field-error"[^>]*>(.*?)</p>', page)

    assert errors() == [REQUIRED_ID] * 4 + [
        "Isi dengan angka bulat, misalnya 12. Angka harus antara 1 dan 500."]
    client.post("/bahasa", data={"lang": "en", "csrf_token": csrf_token(client, url)})
    assert errors() == [REQUIRED_EN] * 4 + [
        "Not a valid integer value. Number must be between 1 and 500."]


def test_every_form_speaks_the_page_language():
    """Forms derive from the one base that translates WTForms' own messages."""
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import lms
    forms = [m.name for m in pkgutil.walk_packages(lms.__path__, "lms.")
             if m.name.endswith(".forms")]
    assert len(forms) >= 6, forms
    for name in forms:
        importlib.import_module(name)

    from lms.core.forms import Form

    def all_subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from all_subclasses(sub)

    ours = [c for c in all_subclasses(FlaskForm) if c.__module__.startswith("lms.")]
    assert ours and all(issubclass(c, Form) for c in ours), [
        c.__name__ for c in ours if not issubclass(c, Form)]
