"""The certificate (A4 landscape) and the yearly JP transcript (A4 portrait) as PDF, in
Indonesian whatever the page language (they are official documents), black on white so
they print and copy well, each with a QR code of its verification address."""

import io
from datetime import date, datetime
from pathlib import Path

import segno
from babel.dates import format_date
from fpdf import FPDF, FontFace

from lms.certificates.codes import shown
from lms.core import clock

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"
JP_MINUTES = 45


def nip_shown(nip: str) -> str:
    """An 18-digit NIP as BKN writes it: birth date, appointment, sex, number."""
    if len(nip) == 18 and nip.isdigit():
        return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    return nip


def day(value: date) -> str:
    return format_date(value, "d MMMM yyyy", locale="id")


def _document(orientation: str, made: datetime) -> FPDF:
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.set_creation_date(made)  # the same certificate renders to the same bytes
    pdf.set_creator("Melek")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans-Latin.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold-Latin.ttf"))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    return pdf


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    # Mask fixed: choosing the best of eight is most of segno's time and buys nothing
    # a phone camera notices.
    image = io.BytesIO()
    segno.make(url, error="m", mask=0).save(image, kind="png", scale=6, border=2)
    image.seek(0)
    pdf.image(image, x=x, y=y, w=size, h=size)


def _image(pdf: FPDF, data: bytes | None, x: float, y: float, h: float) -> None:
    if data:
        pdf.image(io.BytesIO(data), x=x, y=y, h=h)


def _line(pdf: FPDF, text: str, size: float, bold: bool = False, height: float | None = None,
          smallest: float | None = None):
    """A centred line. With `smallest`, the size shrinks (down to `smallest`) until the
    text fits on one line, so a long name or title never pushes the text into the QR code
    and the signature below; only past that does it wrap."""
    style = "B" if bold else ""
    if smallest is not None:
        width = pdf.epw - 2
        while size > smallest:
            pdf.set_font(FONT, style, size)
            if pdf.get_string_width(text) <= width:
                break
            size -= 1
        height = size * 0.5
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(0, height or size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")


def certificate(cert, url: str, signature: bytes | None = None,
                emblem: bytes | None = None) -> bytes:
    """`cert` is a Certificate (its printed fields); `url` its verification address."""
    pdf = _document("L", cert.issued_at)
    pdf.set_title(f"Sertifikat {cert.number}")
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, 271, 184)
    _image(pdf, emblem, 138.5, 18, 20)
    pdf.set_margins(25, 20, 25)
    pdf.set_y(40)
    _line(pdf, "SERTIFIKAT", 30, bold=True, height=14)
    _line(pdf, f"Nomor: {cert.number}", 11, height=7)
    pdf.ln(4)
    _line(pdf, "diberikan kepada", 12, height=8)
    _line(pdf, cert.name, 24, bold=True, smallest=12)
    _line(pdf, f"NIP {nip_shown(cert.nip)}", 12, height=7)
    _line(pdf, " · ".join(p for p in (cert.position, cert.opd_name) if p), 12, smallest=8)
    pdf.ln(4)
    _line(pdf, "telah menyelesaikan kursus", 12, height=8)
    _line(pdf, cert.course_title, 18, bold=True, smallest=10)
    minutes = cert.jp * JP_MINUTES
    when = (f"pada {day(cert.completed_on)}" if cert.started_on == cert.completed_on
            else f"{day(cert.started_on)} sampai {day(cert.completed_on)}")
    _line(pdf, "di Melek, pelatihan literasi digital Pemerintah Kota Tangerang Selatan,", 11,
          height=6)
    _line(pdf, f"dengan beban belajar {cert.jp} JP ({minutes} menit), {when}.", 11, height=6)
    _line(pdf, f"Penyelenggara: {cert.organiser}", 11, smallest=8)
    # The signing official, bottom right.
    pdf.set_font(FONT, "", 11)
    pdf.set_xy(175, 150)
    pdf.multi_cell(95, 5.5, f"Tangerang Selatan, {day(cert.completed_on)}\n"
                            f"{cert.signer_position or ''}", align="C")
    _image(pdf, signature, 207, 163, 14)
    pdf.set_xy(175, 178)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(95, 5.5, cert.signer_name or "", align="C")
    pdf.set_font(FONT, "", 10)
    if cert.signer_nip:
        pdf.set_x(175)
        pdf.multi_cell(95, 5, f"NIP {nip_shown(cert.signer_nip)}", align="C")
    # The proof, bottom left.
    _qr(pdf, url, 22, 148, 38)
    pdf.set_xy(62, 160)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(110, 4.2, f"Pindai kode QR atau buka\n{url}\nuntuk memeriksa keaslian "
                            f"sertifikat ini.\nKode: {shown(cert.code)}", align="L")
    return bytes(pdf.output())


def transcript(record, url: str) -> bytes:
    """`record` is a Transcript snapshot; `url` its verification address."""
    pdf = _document("P", record.made_at)
    pdf.set_auto_page_break(True, margin=20)  # a long year's table runs onto more pages
    pdf.set_title(f"Rekap JP {record.year} {record.nip}")
    pdf.set_margins(18, 18, 18)
    pdf.set_y(18)
    _line(pdf, f"REKAP JP {record.year}", 20, bold=True, height=10)
    _line(pdf, f"{record.name} · NIP {nip_shown(record.nip)}", 11, height=6)
    _line(pdf, f"Dicetak {day(clock.jakarta(record.made_at).date())} dari Melek · "
               f"{record.organiser}", 9, height=6)
    pdf.ln(4)
    widths = (10, 70, 50, 30, 14)
    pdf.set_font(FONT, "", 9)
    headings = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(col_widths=widths, text_align=("RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT"),
                   line_height=5, first_row_as_headings=True,
                   headings_style=headings) as table:
        table.row(("No", "Pelatihan", "Penyelenggara", "Selesai", "JP"))
        for i, (title, organiser, end, jp, _source) in enumerate(record.lines, start=1):
            table.row((str(i), title, organiser, day(date.fromisoformat(end)), str(jp)))
    pdf.ln(3)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 6, f"Jumlah: {record.total_jp} JP dari target {record.target_jp} JP "
                         f"per tahun.", new_x="LMARGIN", new_y="NEXT")
    pdf.set_auto_page_break(False)
    y = max(pdf.get_y() + 6, 230)
    if y > 250:
        pdf.add_page()
        y = 20
    _qr(pdf, url, 18, y, 34)
    pdf.set_xy(56, y + 6)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(130, 4.5, f"Pindai kode QR atau buka\n{url}\nuntuk memeriksa rekap "
                             f"ini.\nKode: {shown(record.code)}")
    return bytes(pdf.output())
