"""Every URL the app serves, tried by every kind of person: each route belongs to an
audience (public, any signed-in employee, HR, trainers, admins, ...), and whoever is
outside it gets 403 or 404 on GET and on POST (with a valid CSRF token), never the page
and never a change; a visitor who is not signed in is sent to the login page. A route
nobody has placed in AUDIENCES fails the test, so a new page must say who it is for."""

import re

import pytest

from tests.support.factories import make_employee
from tests.support.http import csrf_token, login

# Longest matching prefix wins. The audiences: public, signed_in (every employee),
# hr (any HR scope), city_hr (city-wide HR), trainer, admin, results (a course's
# trainers and city-wide HR), champion (a Duta Digital, for their unit).
AUDIENCES = {
    "/masuk": "public", "/aktivasi": "public", "/atur-sandi/": "public",
    "/verifikasi/": "public", "/static/": "public", "/bahasa": "public",
    "/keluar": "public",
    "/": "signed_in", "/katalog": "signed_in", "/kursus/": "signed_in",
    "/kuis/": "signed_in", "/sertifikat": "signed_in", "/data-saya": "signed_in",
    "/evaluasi/": "signed_in", "/pre-test/": "signed_in", "/aset/": "signed_in",
    # Classroom sessions: every employee may look; who may run or fill one is checked
    # per session (tests/web/classroom).
    "/kelas": "signed_in", "/hadir": "signed_in",
    "/duta": "champion",
    "/evaluasi/hasil": "results",
    "/laporan/": "hr",
    "/laporan/akses-pertama": "city_hr", "/laporan/impor-pegawai": "city_hr",
    "/laporan/keyakinan": "city_hr",
    "/studio/": "trainer",
    "/admin/": "admin",
}
WHO_MAY = {  # audience -> the people of the `cast` fixture inside it
    "public": {"anonymous", "learner", "trainer", "hr_kec", "hr_city", "admin", "champion"},
    "signed_in": {"learner", "trainer", "hr_kec", "hr_city", "admin", "champion"},
    "champion": {"champion"},
    "hr": {"hr_kec", "hr_city"},
    "city_hr": {"hr_city"},
    "results": {"trainer", "hr_city"},
    "trainer": {"trainer", "admin"},
    "admin": {"admin"},
}
ADMIN_NIP = "196512311990031001"
CHAMPION_NIP = "199201012019031007"


def audience(rule: str) -> str:
    best = max((p for p in AUDIENCES if rule == p or rule.startswith(p)
                or (p.endswith("/") and rule == p.rstrip("/"))), key=len, default=None)
    assert best is not None, f"{rule}: add it to AUDIENCES (who may open it?)"
    return AUDIENCES[best]


def concrete(rule: str) -> str:
    """The rule with every <placeholder> filled in with something of the right shape."""
    samples = {"slug": "dasar", "key": "pengantar", "nip": "198609262015051001",
               "code": "ABCD2345EFGH", "year": "2026", "report": "ringkasan", "fmt": "csv",
               "direction": "naik", "filename": "css/melek.css", "token": "x.y.z",
               "sha": "0" * 64, "name": "a.png", "path": "01-pengantar.md"}

    def fill(match):
        converter, _, name = match.group(1).rpartition(":")
        if converter.startswith("any("):
            return converter[4:].split(",")[0].strip()
        return samples.get(name, "1")
    return re.sub(r"<([^>]+)>", fill, rule)


@pytest.fixture
def cast(app, org, people, course):
    make_employee(ADMIN_NIP, org["bkpsdm"], "Admin", roles=["admin"])
    make_employee(CHAMPION_NIP, org["kel1"], "Duta", roles=[("champion", org["kel1"])])
    nips = {"learner": people["learner"].nip, "trainer": people["trainer"].nip,
            "hr_kec": people["hr_kec"].nip, "hr_city": people["hr_city"].nip,
            "admin": ADMIN_NIP, "champion": CHAMPION_NIP}
    anonymous = app.test_client()
    clients = {"anonymous": (anonymous, csrf_token(anonymous, "/masuk"))}
    for who, nip in nips.items():
        client = app.test_client()
        assert login(client, nip).status_code == 302
        clients[who] = (client, csrf_token(client, "/"))
    return clients


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.rule, method


def test_every_route_has_an_audience(app):
    for rule, _method in _routes(app):
        assert audience(rule) in WHO_MAY


def test_nobody_outside_a_routes_audience_gets_in(app, cast):
    wrong = []
    for rule, method in _routes(app):
        allowed = WHO_MAY[audience(rule)]
        url = concrete(rule)
        for who, (client, token) in cast.items():
            if who in allowed:
                continue
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token})
            if who == "anonymous":
                ok = response.status_code == 302 and \
                    response.headers["Location"].startswith("/masuk")
            else:
                ok = response.status_code in (403, 404)
            if not ok:
                wrong.append(f"{method} {url} as {who}: {response.status_code}")
    assert wrong == []
