"""Completing the test course ("dasar") over HTTP, as a learner does, so a certificate
is issued the real way."""

from sqlalchemy import select

from lms.models import Certificate

from .http import right_form, start_attempt, token

LAST_MODULE = "/kursus/dasar/penutup"


def pass_first_module(client, db):
    url = start_attempt(client)
    response = client.post(url, data={**right_form(db, url), "csrf_token": token(client, url)})
    assert response.status_code == 302, response.status_code


def finish_course(client, db):
    """Pass the quiz of module 1, mark module 2 read: the course is complete."""
    pass_first_module(client, db)
    response = client.post(LAST_MODULE + "/selesai",
                           data={"csrf_token": token(client, LAST_MODULE)})
    assert response.status_code == 302, response.status_code


def certificates_of(db, employee) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(
        Certificate.employee_id == employee.id)))
