"""The demo learner signs in through the real OpenID provider and through the real LDAP
directory, in Chromium on a phone-sized screen (the servers from tests/support/directories)."""

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import check_page
from tests.support.directories import (
    LDAP_PEOPLE,
    _stop,
    configure_ldap,
    configure_oidc,
    start_oidc_provider,
    start_slapd,
)

RINA = "198609262015051001"


@pytest.fixture
def provider(app, live_server, monkeypatch):
    process, issuer = start_oidc_provider(callback=live_server + "/masuk/pemkot/kembali",
                                          after_logout=live_server + "/masuk")
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", live_server)
    configure_oidc(app, monkeypatch, issuer)
    yield issuer
    _stop(process)


def test_the_learner_signs_in_with_the_pemkot_account(phone: Page, live_server, provider,
                                                     people):
    page = phone
    page.goto(live_server + "/masuk")
    check_page(page, "sso-01-masuk")
    page.locator('a[href^="/masuk/pemkot"]').click()
    # The provider's own pages (oidc-provider's development sign-in).
    page.locator('input[name="login"]').fill("rina")
    page.locator('input[name="password"]').fill("apa saja")
    page.locator('button[type="submit"]').click()
    page.locator('button[type="submit"]').click()  # consent
    expect(page.get_by_role("heading", level=1)).to_have_text("Kursus saya")
    expect(page.get_by_text("Rina Sari").first).to_be_visible()
    page.get_by_role("button", name="Keluar").click()
    # Melek's session is over; the provider's logout is offered.
    link = page.locator(f'a[href^="{provider}/session/end"]')
    expect(link).to_be_visible()
    check_page(page, "sso-02-keluar")
    page.goto(live_server + "/")
    expect(page).to_have_url(live_server + "/masuk?next=%2F")


def test_the_learner_signs_in_with_the_directory_password(phone: Page, live_server, app,
                                                         monkeypatch, tmp_path, people):
    process, found = start_slapd(tmp_path)
    try:
        configure_ldap(app, monkeypatch, found["url"], "search", LDAP_START_TLS=True,
                       LDAP_CA_FILE=found["ca_file"])
        page = phone
        page.goto(live_server + "/masuk")
        page.locator('input[name="nip"]').fill(RINA)
        page.locator('input[name="password"]').fill(LDAP_PEOPLE[RINA][1])
        page.locator('form.card button[type="submit"]').click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Kursus saya")
    finally:
        _stop(process)
