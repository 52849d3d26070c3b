"""Activation letters as one PDF, one person per A4 page, in Indonesian (handed out by
the OPD's staff officer): name, NIP, OPD, the code, a QR code of the activation page
(with the NIP filled in, never the code: a photo of the QR alone opens nothing, and the
code stays out of browser history and server logs) and until when the code works."""

import io
from datetime import datetime

import segno
from fpdf import FPDF

from lms.activation.codes import Letter, shown
from lms.certificates.pdf import FONT, FONTS, day, nip_shown
from lms.core import clock


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    image = io.BytesIO()
    segno.make(url, error="m", mask=0).save(image, kind="png", scale=6, border=2)
    image.seek(0)
    pdf.image(image, x=x, y=y, w=size, h=size)


def pdf(letters: list[Letter], url_for_nip, opd_name: str, made: datetime) -> bytes:
    """`url_for_nip(nip)`: the activation page's address for that person."""
    doc = FPDF(orientation="P", unit="mm", format="A4")
    doc.set_creation_date(made)
    doc.set_creator("Melek")
    doc.set_title(f"Surat aktivasi Melek · {opd_name}")
    doc.add_font(FONT, "", str(FONTS / "DejaVuSans-Latin.ttf"))
    doc.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold-Latin.ttf"))
    doc.set_auto_page_break(False)
    doc.set_margins(22, 22, 22)
    for letter in letters:
        _page(doc, letter, url_for_nip(letter.nip))
    return bytes(doc.output())


def _text(doc: FPDF, text: str, size: float, bold: bool = False, height: float = 6.5,
          smallest: float = 8) -> None:
    """One line, shrunk (down to `smallest`) until it fits: `cell`, not `multi_cell`,
    whose line breaking is most of the time a thousand-page PDF takes."""
    style = "B" if bold else ""
    doc.set_font(FONT, style, size)
    while size > smallest and doc.get_string_width(text) > doc.epw:
        size -= 1
        doc.set_font(FONT, style, size)
    doc.cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _page(doc: FPDF, letter: Letter, url: str) -> None:
    doc.add_page()
    doc.set_y(22)
    _text(doc, "MELEK · Pemerintah Kota Tangerang Selatan", 10)
    _text(doc, "Surat Aktivasi Akun", 20, bold=True, height=12)
    doc.ln(4)
    _text(doc, "Untuk:", 11)
    _text(doc, letter.name, 16, bold=True, height=9)
    _text(doc, f"NIP {nip_shown(letter.nip)}", 12)
    _text(doc, letter.opd_name, 11)
    doc.ln(8)
    _text(doc, "Kode aktivasi Anda:", 12)
    doc.set_font(FONT, "B", 30)
    doc.cell(0, 16, shown(letter.code), border=1, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    until = day(clock.jakarta(letter.expires_at).date())
    _text(doc, f"Berlaku sampai {until}, hanya satu kali, hanya untuk NIP di atas.", 11)
    doc.ln(6)
    top = doc.get_y()
    _qr(doc, url, 22, top, 45)
    steps = ("Cara mengaktifkan akun:",
             "1. Pindai kode QR ini dengan kamera ponsel, atau buka",
             f"    {url.split('?', 1)[0]}",
             "2. Ketik kode aktivasi di atas.",
             "3. Buat kata sandi baru (paling sedikit 10 huruf).",
             "4. Masuk dengan NIP dan kata sandi baru.")
    doc.set_left_margin(74)
    doc.set_xy(74, top)
    for i, step in enumerate(steps):
        _text(doc, step, 11, bold=i == 0, smallest=7)
    doc.set_left_margin(22)
    doc.set_y(max(doc.get_y(), top + 50) + 8)
    for line in ("Jangan berikan kode ini kepada siapa pun, termasuk petugas. Jika kode",
                 "hilang atau sudah tidak berlaku, minta surat baru kepada petugas",
                 "kepegawaian (Subbagian Umum dan Kepegawaian) di OPD Anda."):
        _text(doc, line, 10, height=5.5)
