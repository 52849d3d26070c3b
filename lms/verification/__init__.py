"""Checking a certificate or JP transcript (/verifikasi): public, for anyone holding the
paper or its QR code; no login, nothing shown beyond what the document itself says."""

from flask import Blueprint

bp = Blueprint("verification", __name__, url_prefix="/verifikasi")
