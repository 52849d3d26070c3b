"""Driving the studio over HTTP the way a trainer's browser does."""

import re

from .http import csrf_token, login

VERSION = re.compile(r'name="version" type="hidden" value="([^"]*)"')


def post(client, url, data=None, page="/studio/", **kwargs):
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client, page)
    return client.post(url, data=data, **kwargs)


def switch_to(client, nip):
    """Log out whoever is signed in and log `nip` in."""
    client.delete_cookie("session")
    assert login(client, nip).status_code == 302


def form_version(client, url) -> str:
    match = VERSION.search(client.get(url).get_data(as_text=True))
    assert match, f"no version field on {url}"
    return match.group(1)


def edit_file(client, slug, path, text):
    url = f"/studio/{slug}/berkas/{path}"
    return post(client, url, {"text": text, "version": form_version(client, url)})


def publish(client, slug, message="Perubahan", follow_redirects=False, **extra):
    fields = {"message": message, **extra}
    return post(client, f"/studio/{slug}/terbitkan", {f"terbit-{k}": v for k, v in fields.items()},
                follow_redirects=follow_redirects)


def draft_text(db, course, path) -> str | None:
    """The text of one file of the course's draft, as saved."""
    from lms.studio import drafts
    data = next((f.data for f in drafts.get(db.session, course).files if f.path == path), None)
    return None if data is None else data.decode()


def replace_template_text(client, slug, title="Kursus", jp=0):
    """What a trainer does to a course started from the template before the checker lets
    it be published: their own summary, introduction and first module, and a JP."""
    edit_file(client, slug, "README.md", f'---\ntitle: {title}\nsummary: Isi kursus ini.\n'
              f'jp: {jp}\nversion: "1.0"\n---\n\nPengantar kursus.\n')
    edit_file(client, slug, "01-pengantar.md",
              "---\ntitle: Pengantar\nminutes: 5\n---\n\nIsi modul pertama.\n")
