"""A PDF signature that PDF readers recognise, when a key is configured
(CERTIFICATE_SIGNING_P12 and CERTIFICATE_SIGNING_PASSWORD). Without one, the QR code and
its verification page are the proof."""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from functools import cache, cached_property
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash

FIELD = "Melek"


class _KeptKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner decodes (and checks) its private key for every signature,
    twice per PDF (a dry run sizes the signature): some 30 ms each for RSA-2048, most of
    the time signing takes (bench/certificate_pdf.py). This one decodes it once. Other
    mechanisms than RSA PKCS#1 v1.5 and ECDSA take pyHanko's own path."""

    reserved: int | None = None  # bytes for the signature in the PDF, once known

    @cached_property
    def _key(self):
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            mechanism = self.get_signature_mechanism_for_digest(
                digest_algorithm).signature_algo
        except ValueError:
            mechanism = None
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15":
            return self._key.sign(data, PKCS1v15(), digest)
        if mechanism == "ecdsa":
            return self._key.sign(data, ECDSA(digest))
        return super().sign_raw(data, digest_algorithm)


@cache
def _signer(path: str, mtime: float, password: str | None):
    # Cached per file and modification time: a replaced key is read again.
    loaded = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode()
                                              if password else None)
    if loaded is None:
        return None
    return _KeptKeySigner(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                          cert_registry=loaded.cert_registry,
                          signature_mechanism=loaded.signature_mechanism,
                          prefer_pss=loaded.prefer_pss)


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
    # pyHanko sizes the space for the signature with a dry-run signature each time; with
    # one key and no timestamp server the size never changes, so the first one's
    # (pyHanko's estimate with its 50% margin) is kept for the next.
    reserved = getattr(signer, "reserved", None)
    signed = _outside_any_event_loop(lambda: signers.sign_pdf(
        writer, meta, signer=signer, bytes_reserved=reserved)).getvalue()
    if reserved is None and isinstance(signer, _KeptKeySigner):
        signer.reserved = _reserved_in(signed)
    return signed


def _outside_any_event_loop(work):
    """pyHanko's sign_pdf runs asyncio.run(), which refuses to start inside a running
    event loop (an async server, or a Playwright session in the tests): then it runs in a
    thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def _reserved_in(signed: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader
    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    return 2 * len(signature.sig_object.raw_get("/Contents"))  # hex digits


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
