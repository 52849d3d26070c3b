"""Talking to the app over HTTP as a browser would: clients, CSRF tokens, logging in,
starting and answering a quiz, reading a table out of a page."""

import re
from concurrent.futures import ThreadPoolExecutor

from flask import has_app_context
from flask.testing import FlaskClient

from lms.core.extensions import db as _db
from lms.models import Question, QuizAttempt

from .factories import PASSWORD


class IsolatedClient(FlaskClient):
    """Each request runs in its own thread, so it gets its own app context, `g` and
    database session, as on a real server, instead of sharing the test's. Around each
    request the test's session commits: what the test set up is visible to the request,
    and what the request wrote is visible to the test afterwards."""

    def open(self, *args, **kwargs):
        in_test = has_app_context()
        if in_test:
            _db.session.commit()
        kwargs.setdefault("buffered", True)
        with ThreadPoolExecutor(1) as pool:
            response = pool.submit(FlaskClient.open, self, *args, **kwargs).result()
        if in_test:
            _db.session.commit()
        return response


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url="/masuk") -> str:
    html = client.get(url).get_data(as_text=True)
    match = CSRF.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def secret(token: str) -> str:
    """The session's CSRF secret in a signed token, which also carries the second it was
    signed in: two pages of one session a second apart carry different tokens."""
    return token.split(".")[0]


def page_tokens(html: str) -> set[str]:
    """The CSRF tokens in every form of a page."""
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def page_secrets(html: str) -> set[str]:
    return {secret(t) for t in page_tokens(html)}


def login(client, nip, password=PASSWORD):
    token = csrf_token(client)
    return client.post("/masuk", data={"nip": nip, "password": password, "csrf_token": token})


def fresh_client(app):
    return IsolatedClient(app, app.response_class, use_cookies=True)


def token(client, url):
    return CSRF.search(client.get(url).get_data(as_text=True)).group(1)


def logged_in(app, nip):
    client = fresh_client(app)
    client.post("/masuk", data={"nip": nip, "password": PASSWORD,
                                "csrf_token": token(client, "/masuk")})
    return client


def start_attempt(client):
    response = client.post("/kursus/dasar/pengantar/kuis",
                           data={"csrf_token": token(client, "/kursus/dasar/pengantar")})
    return response.headers["Location"]


def right_form(db, url):
    attempt = db.session.get(QuizAttempt, int(url.rsplit("/", 1)[1]))
    form = {}
    for d in attempt.drawn:
        q = db.session.get(Question, d["q"])
        form[f"q{q.id}"] = q.answer[0] if q.kind == "text" else [str(i) for i in q.answer]
    return form


def table_rows(html):
    """{row header text: [cell texts]} for body rows."""
    rows = {}
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    for tr in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", html, re.S):
        head, _, rest = tr.partition("</th>")
        name = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", head)).strip()
        rows[name] = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
                      for c in re.findall(r"<td[^>]*>(.*?)</td>", rest, re.S)]
    return rows
