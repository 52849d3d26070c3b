"""The frame of every page (core.layout) is rendered once per worker and filled in per
request: each person still sees their own name, their own CSRF token and the page's own
address, the menu of their own roles with the current page marked, in their language, at
the address the site is mounted on. Each test changes one thing the stored frame is keyed
on and sees the frame follow."""

import re

import pytest
from flask_login import login_user

from lms.core import layout
from lms.models import RoleGrant
from tests.support.factories import make_employee
from tests.support.http import (
    csrf_token,
    fresh_client,
    logged_in,
    page_secrets,
    page_tokens,
    secret,
)


@pytest.fixture(autouse=True)
def _empty():
    layout._kept.clear()
    yield
    layout._kept.clear()


def _footer(page: str) -> str:
    return page[page.index('<footer class="site-footer">'):]


def _menu(page: str) -> list[str]:
    return re.findall(r'<li><a href="[^"]+" ?>([^<]+)</a></li>', page.replace(
        ' aria-current="page"', ""))


def _current(page: str) -> list[str]:
    return re.findall(r'aria-current="page">([^<]+)</a>', page)



def test_a_stored_frame_is_the_frame_rendered_anew(app, people):
    client = logged_in(app, people["learner"].nip)
    layout._kept.clear()  # the sign-in pages' frames
    first = client.get("/katalog").get_data(as_text=True)
    assert len(layout._kept) == 3  # head, header, footer
    again = client.get("/katalog").get_data(as_text=True)
    assert again == first
    assert all(blank.text not in again for blank in (layout._TOKEN, layout._NAME,
                                                      layout._NEXT))
    assert "Masuk sebagai <strong>Rina Sari</strong>" in again
    assert re.search(r'href="/static/css/melek\.[0-9a-f]{12}\.css"', again)


def test_each_person_their_own_name_token_and_address(app, db, org, people):
    odd = make_employee("199101012019031005", org["kel2"], '<b>Agus</b> & "Co"')
    db.session.commit()
    rina, agus = logged_in(app, people["learner"].nip), logged_in(app, odd.nip)
    rina_page = rina.get("/katalog").get_data(as_text=True)
    agus_page = agus.get("/katalog", environ_overrides={"QUERY_STRING": 'cari="><b>x'}
                         ).get_data(as_text=True)
    assert [k for k in layout._kept._html if k[0] == "footer" and k[3]] == [
        ("footer", "id", "", True)]  # one for both
    assert "Rina Sari" in _footer(rina_page) and "Agus" not in _footer(rina_page)
    assert ("<strong>&lt;b&gt;Agus&lt;/b&gt; &amp; &#34;Co&#34;</strong>"
            in _footer(agus_page)) and "Rina" not in _footer(agus_page)
    assert 'name="next" value="/katalog?"' in rina_page
    assert 'name="next" value="/katalog?cari=&#34;&gt;&lt;b&gt;x"' in agus_page
    assert page_secrets(rina_page) == {secret(csrf_token(rina, "/katalog"))}
    assert page_secrets(agus_page) == {secret(csrf_token(agus, "/katalog"))}
    assert page_secrets(rina_page) != page_secrets(agus_page)
    # The footer's token logs Agus out; Rina stays in.
    [token] = page_tokens(agus_page)
    assert agus.post("/keluar", data={"csrf_token": token}).status_code == 302
    assert agus.get("/katalog").status_code == 302
    assert rina.get("/katalog").status_code == 200


def test_a_page_answering_a_post_sends_the_language_switch_home(app, people):
    client = logged_in(app, people["learner"].nip)
    page = client.post("/masuk", data={"nip": "x", "password": "y"}).get_data(as_text=True)
    assert 'name="next" value=""' in page


def test_signed_out_no_menu_and_no_account(app, people):
    client = fresh_client(app)
    page = client.get("/masuk").get_data(as_text=True)
    assert "<nav" not in page and "Masuk sebagai" not in page and "/keluar" not in page
    assert 'name="lang" value="en"' in page
    signed_in = logged_in(app, people["learner"].nip).get("/masuk", follow_redirects=True)
    assert "Masuk sebagai" in signed_in.get_data(as_text=True)


def test_the_menu_follows_the_roles(app, db, people):
    client = logged_in(app, people["learner"].nip)
    learner_menu = ["Kursus saya", "Semua kursus", "Sertifikat", "Sesi kelas"]
    assert _menu(client.get("/katalog").get_data(as_text=True)) == learner_menu
    people["learner"].grants.append(RoleGrant(role="trainer"))
    db.session.commit()
    assert _menu(client.get("/katalog").get_data(as_text=True)) == learner_menu + ["Studio"]
    people["learner"].grants.append(RoleGrant(role="hr", opd_id=people["learner"].opd_id))
    db.session.commit()
    assert _menu(client.get("/katalog").get_data(as_text=True)) == learner_menu + [
        "Studio", "Laporan"]
    hr = logged_in(app, people["hr_city"].nip)
    assert _menu(hr.get("/katalog").get_data(as_text=True)) == learner_menu + ["Laporan"]


def test_the_current_page_is_marked(app, people):
    client = logged_in(app, people["trainer"].nip)
    assert _current(client.get("/").get_data(as_text=True)) == ["Kursus saya"]
    assert _current(client.get("/katalog").get_data(as_text=True)) == ["Semua kursus"]
    assert _current(client.get("/kelas").get_data(as_text=True)) == ["Sesi kelas"]
    assert _current(client.get("/studio/").get_data(as_text=True)) == ["Studio"]
    assert _current(client.get("/tidak-ada").get_data(as_text=True)) == []
    # Addresses no route serves share one frame: they cannot fill the store.
    kept = len(layout._kept)
    for n in range(5):
        assert client.get(f"/tidak-ada-{n}").status_code == 404
    assert len(layout._kept) == kept


def test_a_view_may_name_the_area(app, people):
    with app.test_request_context("/katalog"):
        assert "aria-current" not in layout.header("studio")  # signed out: no menu
        login_user(people["trainer"])
        assert _current(layout.header("studio")) == ["Semua kursus", "Studio"]
        assert _current(layout.header("")) == ["Semua kursus"]


def test_each_language_its_own_frame(app, people):
    client = logged_in(app, people["learner"].nip)
    page = client.get("/katalog").get_data(as_text=True)
    assert ">Keluar<" in page and ">Kursus saya<" in page
    assert 'value="id" lang="id" aria-describedby="lang-label" aria-pressed="true"' in page
    client.post("/bahasa", data={"lang": "en", "csrf_token": csrf_token(client, "/"),
                                 "next": "/"})
    page = client.get("/katalog").get_data(as_text=True)
    assert ">Log out<" in page and ">My courses<" in page and "Keluar" not in page
    assert 'value="en" lang="en" aria-describedby="lang-label" aria-pressed="true"' in page


def test_each_mount_point_its_own_links(app, people):
    client = logged_in(app, people["learner"].nip)
    plain = client.get("/katalog").get_data(as_text=True)
    mounted = client.get("/katalog", base_url="http://localhost/melek/").get_data(
        as_text=True)
    assert re.search(r'href="/melek/static/css/melek\.[0-9a-f]{12}\.css"', mounted)
    assert 'action="/melek/keluar"' in mounted and 'href="/melek/katalog"' in mounted
    assert re.search(r'href="/static/css/melek\.[0-9a-f]{12}\.css"', plain)
    assert "/melek/" not in plain
