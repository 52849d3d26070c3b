"""Who may make whom a Duta Digital of which unit: admins anyone anywhere; an OPD's HR
only inside their scope and never onto a more privileged account; audited, CSRF, revoke
through a confirmation page that needs no JavaScript."""

from sqlalchemy import select

from lms.models import AuditEvent, RoleGrant
from tests.support.champions import CHAMPION_NIP, as_user
from tests.support.factories import make_employee
from tests.support.http import csrf_token, table_rows


def _champion_grants(db, employee):
    return list(db.session.scalars(select(RoleGrant).where(
        RoleGrant.employee_id == employee.id, RoleGrant.role == "champion")))


def _grant_as_hr(client, nip, unit, token=None):
    token = token or csrf_token(client, f"/laporan/pegawai/{nip}")
    return client.post(f"/laporan/pegawai/{nip}/duta-digital",
                       data={"csrf_token": token, "unit": unit})


def test_an_admin_grants_a_champion_of_any_unit_and_the_unit_is_required(client, db, org,
                                                                          people):
    make_employee("196501011990031001", org["bkpsdm"], "Admin", roles=["admin"])
    db.session.commit()
    as_user(client, "196501011990031001")
    target = people["other"]  # Diskominfo, made champion of a kelurahan elsewhere
    url = f"/admin/peran?nip={target.nip}"
    refused = client.post(url, data={"csrf_token": csrf_token(client, url),
                                     "role": "champion", "opd": ""}, follow_redirects=True)
    assert "Duta Digital melayani satu unit kerja" in refused.get_data(as_text=True)
    assert _champion_grants(db, target) == []
    assert client.post(url, data={"csrf_token": csrf_token(client, url), "role": "champion",
                                  "opd": "KEC-PML.02"}).status_code == 302
    [grant] = _champion_grants(db, target)
    assert grant.opd_id == org["kel2"].id
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "role_granted")).one()
    assert event.target == target.nip and event.details == {"role": "champion",
                                                            "opd": "KEC-PML.02"}
    page = client.get("/admin/peran").get_data(as_text=True)
    assert table_rows(page)["Budi Santoso"][:2] == ["Duta Digital", "Kelurahan Pondok Benda"]
    # Revoking: the list's button opens a confirmation page; only its POST revokes.
    confirm = client.get(f"/admin/peran/{grant.id}/cabut")
    assert confirm.status_code == 200 and _champion_grants(db, target)
    assert "Budi Santoso" in confirm.get_data(as_text=True)
    assert client.post(f"/admin/peran/{grant.id}/cabut", data={}).status_code == 400
    assert client.post(f"/admin/peran/{grant.id}/cabut", data={
        "csrf_token": csrf_token(client, f"/admin/peran/{grant.id}/cabut")}).status_code == 302
    assert _champion_grants(db, target) == []
    assert db.session.scalars(select(AuditEvent.details).where(
        AuditEvent.action == "role_revoked")).one() == {"role": "champion", "opd": "KEC-PML.02"}


def test_an_opd_hr_grants_inside_their_scope_only(client, db, org, people):
    as_user(client, people["hr_kec"].nip)
    learner = people["learner"]
    page = client.get(f"/laporan/pegawai/{learner.nip}").get_data(as_text=True)
    assert "Jadikan Duta Digital" in page and "DISKOMINFO.APTIKA" not in page
    # A unit outside the scope is not a choice; a person outside it is not there.
    assert _grant_as_hr(client, learner.nip, "DISKOMINFO.APTIKA").status_code == 400
    token = csrf_token(client, f"/laporan/pegawai/{learner.nip}")
    assert _grant_as_hr(client, people["other"].nip, "KEC-PML.01", token).status_code == 404
    assert client.post(f"/laporan/pegawai/{learner.nip}/duta-digital",
                       data={"unit": "KEC-PML.01"}).status_code == 400  # no CSRF token
    assert _champion_grants(db, learner) == []
    assert _grant_as_hr(client, learner.nip, "KEC-PML.01").status_code == 302
    assert [g.opd_id for g in _champion_grants(db, learner)] == [org["kel1"].id]
    again = _grant_as_hr(client, learner.nip, "KEC-PML.01")  # the same grant: one row
    assert again.status_code == 302 and len(_champion_grants(db, learner)) == 1
    # A champion of a unit in the scope is still a plain learner to this HR.
    page = client.get(f"/laporan/pegawai/{learner.nip}").get_data(as_text=True)
    assert "Buat tautan kata sandi" in page
    grant = _champion_grants(db, learner)[0]
    confirm = client.get(f"/laporan/duta-digital/{grant.id}/cabut")
    assert confirm.status_code == 200 and "Rina Sari" in confirm.get_data(as_text=True)
    assert client.post(f"/laporan/duta-digital/{grant.id}/cabut", data={
        "csrf_token": csrf_token(client, f"/laporan/duta-digital/{grant.id}/cabut")}
    ).status_code == 302
    assert _champion_grants(db, learner) == []
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target == learner.nip).order_by(AuditEvent.id)))
    assert actions == ["role_granted", "role_revoked"]


def test_hr_never_grants_onto_a_privileged_account_nor_their_own(client, db, org, people):
    trainer = make_employee("198002022005011007", org["kel1"], "Pelatih Kel1",
                            roles=["trainer"])
    other_hr = make_employee("198103032006011008", org["kel2"], "HR Kel2",
                             roles=[("hr", org["kel2"])])
    db.session.commit()
    as_user(client, people["hr_kec"].nip)
    for person in (trainer, other_hr):
        page = client.get(f"/laporan/pegawai/{person.nip}").get_data(as_text=True)
        assert "Jadikan Duta Digital" not in page
        assert _grant_as_hr(client, person.nip, "KEC-PML.01").status_code == 403
        assert _champion_grants(db, person) == []
    assert _grant_as_hr(client, people["hr_kec"].nip, "KEC-PML.01").status_code == 403
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "role_granted")) is None


def test_a_champion_of_a_unit_outside_the_scope_stays_out_of_hrs_reach(client, db, org,
                                                                        people):
    """An admin made a kelurahan employee champion of Aptika: the kecamatan's HR sees the
    person (in scope) but may neither revoke that grant, nor act on the account (it
    would open Aptika's list), nor add a grant of their own."""
    person = make_employee(CHAMPION_NIP, org["kel1"], "Cahya Duta",
                           roles=[("champion", org["aptika"])])
    db.session.commit()
    grant = _champion_grants(db, person)[0]
    as_user(client, people["hr_kec"].nip)
    page = client.get(f"/laporan/pegawai/{person.nip}").get_data(as_text=True)
    assert "Duta Digital dari Bidang Aplikasi Informatika" in page
    assert "Buat tautan kata sandi" not in page and "Jadikan Duta Digital" not in page
    assert client.get(f"/laporan/duta-digital/{grant.id}/cabut").status_code == 403
    assert client.post(f"/laporan/duta-digital/{grant.id}/cabut", data={
        "csrf_token": csrf_token(client, "/laporan/")}).status_code == 403
    assert client.post(f"/laporan/pegawai/{person.nip}/tautan-sandi", data={
        "csrf_token": csrf_token(client, "/laporan/")}).status_code == 403
    assert _grant_as_hr(client, person.nip, "KEC-PML.01").status_code == 403
    assert _champion_grants(db, person) == [grant]


def test_a_grant_elsewhere_is_not_found_by_hr_and_learners_get_nothing(client, db, org,
                                                                       people):
    outsider = make_employee(CHAMPION_NIP, org["aptika"], "Duta Aptika",
                             roles=[("champion", org["aptika"])])
    db.session.commit()
    grant = _champion_grants(db, outsider)[0]
    as_user(client, people["hr_kec"].nip)
    assert client.get(f"/laporan/duta-digital/{grant.id}/cabut").status_code == 404
    hr_grant = db.session.scalars(select(RoleGrant).where(
        RoleGrant.employee_id == people["hr_kec"].id)).one()
    assert client.get(f"/laporan/duta-digital/{hr_grant.id}/cabut").status_code == 404
    client.post("/keluar", data={"csrf_token": csrf_token(client, "/laporan/")})
    as_user(client, people["learner"].nip)
    assert client.get(f"/laporan/duta-digital/{grant.id}/cabut").status_code == 403
    assert client.post(f"/laporan/pegawai/{people['learner'].nip}/duta-digital",
                       data={"unit": "KEC-PML.01"}).status_code in (400, 403)


def test_the_bulk_check_counts_champions_as_may_manage_does(db, org, people):
    """role_holder_ids(scope), behind first access and the employee import: a champion of
    a unit inside the scope is a plain learner there, one of a unit outside it is not."""
    from lms.org.scope import hr_scope
    from lms.people import roles
    inside = make_employee(CHAMPION_NIP, org["kel1"], "Duta Kel1",
                           roles=[("champion", org["kel1"])])
    outside = make_employee("199202022020121006", org["kel2"], "Duta Aptika",
                            roles=[("champion", org["aptika"])])
    db.session.commit()
    scope = hr_scope(db.session, people["hr_kec"])
    holders = roles.role_holder_ids(db.session, scope)
    assert inside.id not in holders and outside.id in holders
    assert {people["hr_kec"].id, people["trainer"].id} <= holders
    assert {inside.id, outside.id} <= roles.role_holder_ids(db.session)
    for person, allowed in ((inside, True), (outside, False)):
        assert roles.may_manage(people["hr_kec"], person, scope) is allowed
        assert roles.may_manage_by_place(people["hr_kec"], person.id, person.opd.path, scope,
                                         holders) is allowed
