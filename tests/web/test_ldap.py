"""The NIP and password form against a real directory (Debian's slapd, started by the
fixture with a temporary configuration): a DN template or a search by a service account,
StartTLS and ldaps://, the NIP rules, the throttle, and local passwords for people the
directory does not know."""

import pytest
from sqlalchemy import func, select

from lms.auth import throttle
from lms.auth.directory import Directory, Verdict
from lms.models import AuditEvent, Employee
from tests.support.directories import LDAP_PEOPLE, _stop, configure_ldap, start_slapd
from tests.support.factories import PASSWORD, make_employee
from tests.support.http import login

RINA = "198609262015051001"  # people["learner"], in the directory
OUTSIDER = "199912312020121999"  # in the directory, not an employee


@pytest.fixture(scope="module")
def slapd(tmp_path_factory):
    process, found = start_slapd(tmp_path_factory.mktemp("slapd"))
    yield found
    _stop(process)


@pytest.fixture(params=["template", "search"])
def ldap(request, app, monkeypatch, slapd, people):
    configure_ldap(app, monkeypatch, slapd["url"], request.param)
    return request.param


def _events(db, action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _directory_password(nip):
    return LDAP_PEOPLE[nip][1]


def test_the_learner_signs_in_with_the_directory_password(client, ldap, db, people):
    response = login(client, RINA, _directory_password(RINA))
    assert response.status_code == 302
    assert "Rina Sari" in client.get("/").get_data(as_text=True)
    [event] = _events(db, "login")
    assert event.actor_id == people["learner"].id and event.details == {"method": "ldap"}


def test_a_wrong_password_is_counted_by_the_throttle(client, ldap, db, app):
    assert login(client, RINA, "bukan-sandinya").status_code == 401
    assert throttle.failures(db.session, RINA) == 1
    [event] = _events(db, "login_failed")
    # A search finds the person, so the directory's no is final; a DN template cannot
    # tell a wrong password from a missing person.
    assert event.details == {"directory": "rejected" if ldap == "search" else "unknown"}
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] - 1):
        login(client, RINA, "bukan-sandinya")
    # Locked now, even with the right password.
    assert login(client, RINA, _directory_password(RINA)).status_code == 429
    assert not _events(db, "login")


def test_people_outside_the_directory_keep_their_melek_password(client, ldap, people, db):
    trainer = people["trainer"].nip
    assert trainer not in LDAP_PEOPLE
    assert login(client, trainer, PASSWORD).status_code == 302
    [event] = _events(db, "login")
    assert event.details == {"method": "password"}


def test_a_person_found_by_the_search_cannot_use_an_old_melek_password(client, app,
                                                                       monkeypatch, slapd,
                                                                       people, db):
    configure_ldap(app, monkeypatch, slapd["url"], "search")
    # Rina also holds a Melek password (PASSWORD); the directory decides for her.
    assert login(client, RINA, PASSWORD).status_code == 401
    assert throttle.failures(db.session, RINA) == 1


def test_a_directory_account_that_is_no_employee_is_refused(client, ldap, db, english):
    before = db.session.scalar(select(func.count()).select_from(Employee))
    response = login(client, OUTSIDER, _directory_password(OUTSIDER))
    assert response.status_code == 403
    assert (f"NIP {OUTSIDER} tidak ada dalam daftar pegawai aktif Melek"
            in response.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(Employee)) == before
    [event] = _events(db, "login_refused")
    assert event.details == {"method": "ldap", "reason": "unknown"}


def test_an_inactive_employee_is_refused(client, ldap, db, people):
    budi = people["other"]
    budi.active = False
    response = login(client, budi.nip, _directory_password(budi.nip))
    assert response.status_code == 403
    [event] = _events(db, "login_refused")
    assert event.details == {"method": "ldap", "reason": "inactive"}


@pytest.mark.parametrize("how", ["starttls", "ldaps"])
def test_tls_with_the_citys_certificate(client, app, monkeypatch, slapd, people, how):
    url = slapd["ldaps_url"] if how == "ldaps" else slapd["url"]
    configure_ldap(app, monkeypatch, url, "search", LDAP_START_TLS=how == "starttls",
                   LDAP_CA_FILE=slapd["ca_file"])
    assert login(client, RINA, _directory_password(RINA)).status_code == 302


def test_a_certificate_nobody_trusts_is_not_talked_to(slapd):
    directory = Directory(slapd["ldaps_url"], user_dn_template="uid={nip},ou=people,"
                          "dc=tangsel,dc=go,dc=id", ca_file="")
    assert directory.check(RINA, _directory_password(RINA)) is Verdict.UNAVAILABLE
    starttls = Directory(slapd["url"], user_dn_template=directory.user_dn_template,
                         start_tls=True)
    assert starttls.check(RINA, _directory_password(RINA)) is Verdict.UNAVAILABLE


def test_when_the_directory_is_down_melek_passwords_still_work(client, app, monkeypatch,
                                                              people, db):
    configure_ldap(app, monkeypatch, "ldap://127.0.0.1:9", "search", LDAP_TIMEOUT=2)
    assert login(client, RINA, _directory_password(RINA)).status_code == 401
    assert login(client, RINA, PASSWORD).status_code == 302
    assert [e.details for e in _events(db, "login_failed")] == [{"directory": "unavailable"}]


def test_nips_that_are_not_nips_never_reach_the_directory(slapd):
    directory = Directory(slapd["url"], bind_dn="cn=melek,ou=services,dc=tangsel,dc=go,dc=id",
                          bind_password="layanan-melek-uji",
                          search_base="ou=people,dc=tangsel,dc=go,dc=id")
    for nip in ("*", f"{RINA})(uid=*", "uid=x,dc=tangsel"):
        assert directory.check(nip, "apa saja") is Verdict.UNKNOWN
    assert directory.check(RINA, "") is Verdict.REJECTED  # never an anonymous bind
    assert directory.check(RINA, _directory_password(RINA)) is Verdict.ACCEPTED


def test_admins_only_turns_local_passwords_off_for_everyone_else(client, app, monkeypatch,
                                                                 slapd, people, org, db):
    configure_ldap(app, monkeypatch, slapd["url"], "template")
    monkeypatch.setitem(app.config, "PASSWORD_LOGIN", "admins-only")
    admin = make_employee("196512311990031001", org["bkpsdm"], "Admin", roles=["admin"])
    assert login(client, people["trainer"].nip, PASSWORD).status_code == 401
    assert login(client, admin.nip, PASSWORD).status_code == 302
    client.post("/keluar", data={"csrf_token": _token(client)})
    assert login(client, RINA, PASSWORD).status_code == 401  # her Melek password: off
    assert login(client, RINA, _directory_password(RINA)).status_code == 302


def _token(client):
    from tests.support.http import csrf_token
    return csrf_token(client, "/")
