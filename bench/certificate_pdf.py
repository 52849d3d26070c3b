"""What making a certificate costs inside the completion that issues it: the PDF render
(fpdf2, fonts subset, QR code), unsigned and signed with a self-signed demo key, next to
the target of 50 ms per certificate, and the size stored per certificate.

Run: .venv/bin/python bench/certificate_pdf.py [--renders 200]
Prints medians; not a test, nothing is asserted.
"""

import argparse
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pyhanko.sign import signers  # noqa: E402
from timing import median_ms  # noqa: E402

from lms.certificates import codes, pdf, signing  # noqa: E402
from lms.models import Certificate  # noqa: E402

TARGET_MS = 50.0


def sample() -> Certificate:
    """A certificate as long as real ones get: a long name, title, position and OPD."""
    return Certificate(
        code=codes.new_code(), number="00042/MELEK/BKPSDM/XII/2026",
        name="Siti Nurhaliza Kartikasari Wulandari", nip="198609262015051001",
        position="Pengadministrasi Perkantoran Ahli Pertama",
        opd_name="Kelurahan Pamulang Barat, Kecamatan Pamulang",
        course_title="Pelindungan Data Pribadi dalam Pelayanan Publik", jp=6,
        started_on=date(2026, 11, 3), completed_on=date(2026, 12, 1),
        organiser="BKPSDM Kota Tangerang Selatan",
        signer_name="Dr. Ratna Wulandari, S.Sos., M.Si.", signer_nip="197203151998032004",
        signer_position="Kepala BKPSDM", issued_at=datetime(2026, 12, 1, 3, 0, tzinfo=UTC))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200)
    args = parser.parse_args()
    cert = sample()
    url = f"https://melek.tangerangselatankota.go.id/verifikasi/{cert.code}"
    with tempfile.TemporaryDirectory() as tmp:
        key = Path(tmp) / "demo.p12"
        signing.make_demo_key(key, datetime.now(UTC))
        signer = signing.signer_from({"CERTIFICATE_SIGNING_P12": str(key)})
        unsigned = pdf.certificate(cert, url)
        signed = signing.sign(unsigned, signer, f"Sertifikat Melek {cert.number}")

        render_ms = median_ms(lambda: pdf.certificate(cert, url), args.renders)
        sign_ms = median_ms(lambda: signing.sign(unsigned, signer, "Sertifikat"), args.renders)
        # For comparison: pyHanko's SimpleSigner as it comes (the key decoded twice per PDF).
        plain = signers.SimpleSigner.load_pkcs12(str(key))
        plain_ms = median_ms(lambda: signing.sign(unsigned, plain, "Sertifikat"),
                             max(10, args.renders // 10))
        both_ms = median_ms(lambda: signing.sign(pdf.certificate(cert, url), signer,
                                                 "Sertifikat"), args.renders)
    print(f"certificate PDF, median of {args.renders} renders (target < {TARGET_MS:.0f} ms)")
    for label, ms, size in (("unsigned (render)", render_ms, len(unsigned)),
                            ("signing alone", sign_ms, None),
                            ("  (pyHanko's own signer)", plain_ms, None),
                            ("signed (render + sign)", both_ms, len(signed))):
        verdict = "" if size is None else ("  within target" if ms < TARGET_MS
                                           else "  OVER target")
        stored = "" if size is None else f"  {size / 1024:6.1f} KB stored"
        print(f"  {label:24} {ms:7.2f} ms{stored}{verdict}")


if __name__ == "__main__":
    main()
