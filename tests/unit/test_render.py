from lms.content.render import render, render_inline


def test_callouts_become_labelled_boxes():
    html = render("> [!TIP]\n> Pakai frasa sandi.\n\n> [!WARNING]\n>\n> Jangan bagikan OTP.")
    assert '<div class="callout callout-tip" role="note">' in html
    assert '<p class="callout-title">Tips</p><p>Pakai frasa sandi.</p>' in html
    assert '<p class="callout-title">Perhatian</p><p>Jangan bagikan OTP.</p>' in html
    assert "[!" not in html


def test_plain_quote_stays_a_quote():
    assert render("> kutipan biasa").startswith("<blockquote>")


def test_html_and_scripts_never_pass():
    html = render('<script>alert(1)</script>\n\n[klik](javascript:alert(1)) '
                  '<img src=x onerror=alert(1)>')
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_tables_are_wrapped_and_aligned_without_inline_style():
    html = render("| a | b |\n|--:|:-:|\n| 1 | 2 |")
    assert html.startswith('<div class="table-wrap" role="region" tabindex="0" '
                           'aria-label="Tabel"><table>')
    assert '<th class="align-right">a</th>' in html and 'class="align-center"' in html
    assert "style=" not in html


def test_images_point_at_stored_assets():
    html = render("![Diagram surat](img/a.svg)", lambda target: f"/aset/abc/{target[4:]}")
    assert '<img src="/aset/abc/a.svg" alt="Diagram surat">' in html


def test_external_links_get_safe_rel_and_inline_rendering():
    assert 'rel="noopener noreferrer"' in render("[situs](https://contoh.go.id)")
    assert render_inline("**tebal** `kode`") == "<strong>tebal</strong> <code>kode</code>"
