"""Signing in with the Pemkot account against a real OpenID provider (oidc-provider, run
with Node by the fixture): the code flow with PKCE, state and nonce, and every way it
must refuse."""

import base64
import hashlib
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from lms.auth import oidc
from lms.models import AuditEvent, Employee, LoginSession
from tests.support.directories import (
    AFTER_LOGOUT,
    _stop,
    configure_oidc,
    start_oidc_provider,
    through_provider,
)
from tests.support.factories import make_employee
from tests.support.http import csrf_token, login

INACTIVE_NIP = "197001011990031001"


@pytest.fixture(scope="module")
def provider_url():
    process, issuer = start_oidc_provider()
    yield issuer
    _stop(process)


@pytest.fixture
def sso(app, monkeypatch, provider_url, people, org):
    configure_oidc(app, monkeypatch, provider_url)
    former = make_employee(INACTIVE_NIP, org["kel2"], "Pegawai Nonaktif")
    former.active = False
    return provider_url


def _start(client, next_url=None):
    response = client.get("/masuk/pemkot" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _back(client, url):
    """Follow the provider's redirect back into Melek (the test client is the browser)."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "http://localhost/masuk/pemkot/kembali"
    return client.get(f"{parts.path}?{parts.query}")


def _events(db, action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _text(client, url="/masuk"):
    return client.get(url).get_data(as_text=True)


def test_no_button_without_a_provider(client, people):
    assert "/masuk/pemkot" not in _text(client)
    assert client.get("/masuk/pemkot").status_code == 404


def test_the_learner_signs_in_through_the_provider(client, sso, db, people):
    page = _text(client)
    assert "/masuk/pemkot" in page
    location = _start(client, next_url="/katalog")
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(sso + "/auth?")
    assert query["code_challenge_method"] == ["S256"]
    assert query["response_type"] == ["code"]
    with client.session_transaction() as cookie:
        pending = cookie["oidc_pending"]
    # The challenge is the S256 of the verifier kept in the signed cookie, never sent.
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(pending["verifier"].encode()).digest()).rstrip(b"=").decode()
    assert query["code_challenge"] == [challenge]
    assert query["state"] == [pending["state"]] and query["nonce"] == [pending["nonce"]]
    assert pending["verifier"] not in location

    response = _back(client, through_provider(location, "rina"))
    assert response.status_code == 302 and response.headers["Location"] == "/katalog"
    assert "Rina Sari" in _text(client, "/")
    learner = people["learner"]
    assert db.session.scalar(select(func.count()).select_from(LoginSession).where(
        LoginSession.employee_id == learner.id)) == 1
    [event] = _events(db, "login")
    assert event.actor_id == learner.id and event.details == {"method": "oidc"}
    with client.session_transaction() as cookie:
        assert "oidc_pending" not in cookie  # used once


def test_a_tampered_state_is_refused(client, sso, db, english):
    returned = through_provider(_start(client), "rina")
    response = _back(client, returned.replace("state=", "state=x"))
    assert response.status_code == 302 and response.headers["Location"] == "/masuk"
    assert "tidak berhasil" in _text(client)
    assert "Rina Sari" not in _text(client, "/")
    assert [e.details["reason"] for e in _events(db, "sso_failed")] == ["state"]
    assert not _events(db, "login")


def test_a_wrong_nonce_is_refused(client, sso, db):
    location = _start(client)
    with client.session_transaction() as cookie:
        cookie["oidc_pending"] = {**cookie["oidc_pending"], "nonce": "nonce-lain"}
    response = _back(client, through_provider(location, "rina"))
    assert response.headers["Location"] == "/masuk"
    assert [e.details["reason"] for e in _events(db, "sso_failed")] == ["nonce"]
    assert not _events(db, "login")


def test_a_changed_pkce_verifier_is_refused_by_the_provider(client, sso, db):
    location = _start(client)
    with client.session_transaction() as cookie:
        cookie["oidc_pending"] = {**cookie["oidc_pending"], "verifier": "v" * 64}
    response = _back(client, through_provider(location, "rina"))
    assert response.headers["Location"] == "/masuk"
    assert [e.details["reason"] for e in _events(db, "sso_failed")] == ["code"]


def test_an_expired_code_is_refused(client, sso, db):
    # The provider gives the account "lambat" codes that last one second.
    returned = through_provider(_start(client), "lambat")
    time.sleep(2.1)
    response = _back(client, returned)
    assert response.headers["Location"] == "/masuk"
    assert [e.details["reason"] for e in _events(db, "sso_failed")] == ["code"]
    assert not _events(db, "login")


def test_a_code_works_once(client, sso, db, app):
    returned = through_provider(_start(client), "rina")
    assert _back(client, returned).headers["Location"] == "/"
    # The same answer again: the login it belonged to is over.
    client.post("/keluar", data={"csrf_token": csrf_token(client, "/")})
    assert _back(client, returned).headers["Location"] == "/masuk"
    # The same code inside a new login (its own state): the provider refuses it.
    _start(client)
    with client.session_transaction() as cookie:
        state = cookie["oidc_pending"]["state"]
    code = parse_qs(urlsplit(returned).query)["code"][0]
    assert _back(client, f"http://localhost/masuk/pemkot/kembali?code={code}&state={state}"
                 ).headers["Location"] == "/masuk"
    # The replay without a login started leaves no row (anyone could make those).
    assert [e.details["reason"] for e in _events(db, "sso_failed")] == ["code"]
    assert len(_events(db, "login")) == 1


def test_an_unknown_nip_is_refused_and_nobody_is_created(client, sso, db, english):
    before = db.session.scalar(select(func.count()).select_from(Employee))
    response = _back(client, through_provider(_start(client), "asing"))
    assert response.status_code == 403
    assert ("NIP 199912312020121999 tidak ada dalam daftar pegawai aktif Melek"
            in response.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(Employee)) == before
    [event] = _events(db, "login_refused")
    assert event.actor_nip == "199912312020121999"
    assert event.details == {"method": "oidc", "reason": "unknown"}
    assert "Orang Luar" not in _text(client, "/")


def test_an_inactive_employee_is_refused(client, sso, db):
    response = _back(client, through_provider(_start(client), "pensiun"))
    assert response.status_code == 403
    [event] = _events(db, "login_refused")
    assert event.details == {"method": "oidc", "reason": "inactive"}
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0


def test_an_account_without_a_nip_is_refused(client, sso, db):
    response = _back(client, through_provider(_start(client), "tanpanip"))
    assert response.headers["Location"] == "/masuk"
    assert [e.details["reason"] for e in _events(db, "sso_failed")] == ["no_nip"]


def test_a_cancelled_sign_in_says_so(client, sso, db, english):
    _start(client)
    with client.session_transaction() as cookie:
        state = cookie["oidc_pending"]["state"]
    response = client.get(f"/masuk/pemkot/kembali?error=access_denied&state={state}")
    assert response.headers["Location"] == "/masuk"
    assert "dibatalkan" in _text(client)


def test_a_locked_account_waits_whichever_way_it_comes(client, sso, db, people, app):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        login(client, people["learner"].nip, "salah-sandi-123")
    response = _back(client, through_provider(_start(client), "rina"))
    assert response.status_code == 429
    assert [e.details["method"] for e in _events(db, "login_blocked")] == ["oidc"]
    assert not _events(db, "login")


def test_logout_ends_the_session_and_offers_the_providers_logout(client, sso, db, english):
    assert _back(client, through_provider(_start(client), "rina")).headers["Location"] == "/"
    client.post("/keluar", data={"csrf_token": csrf_token(client, "/")})
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0
    page = _text(client)
    assert "Keluar dari akun Pemkot" in page
    end = oidc.metadata(oidc.Provider.from_config(client.application.config))[
        "end_session_endpoint"]
    link = next(part for part in page.split('"') if part.startswith(end))
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query["post_logout_redirect_uri"] == [AFTER_LOGOUT]
    assert query["client_id"] == ["melek"]
    assert "Keluar dari akun Pemkot" not in _text(client)  # offered once
    assert client.get("/").status_code == 302  # signed out of Melek


def test_a_password_login_is_not_offered_the_providers_logout(client, sso, people, english):
    login(client, people["learner"].nip)
    client.post("/keluar", data={"csrf_token": csrf_token(client, "/")})
    assert "Keluar dari akun Pemkot" not in _text(client)


def test_a_provider_that_does_not_answer(client, app, monkeypatch, people, english):
    configure_oidc(app, monkeypatch, "http://127.0.0.1:9")
    response = client.get("/masuk/pemkot")
    assert response.headers["Location"] == "/masuk"
    assert "sedang tidak menjawab" in _text(client)
