"""A PDF signature that PDF readers recognise, when a key is configured
(CERTIFICATE_SIGNING_P12 and CERTIFICATE_SIGNING_PASSWORD). Without one, the QR code and
its verification page are the proof."""

import io
from functools import cache
from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

FIELD = "Melek"


@cache
def _signer(path: str, mtime: float, password: str | None):
    # Cached per file and modification time: a replaced key is read again.
    return signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode()
                                            if password else None)


def signer_from(config):
    path = config.get("CERTIFICATE_SIGNING_P12") or ""
    if not path or not Path(path).is_file():
        return None
    signer = _signer(path, Path(path).stat().st_mtime,
                     config.get("CERTIFICATE_SIGNING_PASSWORD") or None)
    if signer is None:
        raise ValueError(f"CERTIFICATE_SIGNING_P12 {path}: key or password not accepted")
    return signer


def sign(pdf: bytes, signer, reason: str) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name=FIELD, reason=reason,
                                        location="Tangerang Selatan")
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def make_demo_key(path: Path, now) -> None:
    """A self-signed key for the demo and tests (never for production: nobody trusts it),
    so the signed path runs wherever Melek does."""
    from datetime import timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Melek (demo, not trusted)"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Melek demo")])
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True,
                          key_encipherment=False, data_encipherment=False,
                          key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(usage, critical=True).sign(key, hashes.SHA256()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"melek-demo", key, cert, None, serialization.NoEncryption()))
