"""Real sign-in servers started by the tests: an OpenID provider (the certified
`oidc-provider` from npm, run with Node, tests/oidc/) and Debian's slapd with a temporary
configuration. Missing locally, the tests skip saying what to install; in CI (CI=true)
they fail, so the servers are never silently untested. .ci/run installs both."""

import os
import re
import shutil
import socket
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from lms.core import clock

OIDC_DIR = Path(__file__).parents[1] / "oidc"
SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
SCHEMAS = Path("/etc/ldap/schema")
LDAP_BASE = "dc=tangsel,dc=go,dc=id"
LDAP_SERVICE_DN = f"cn=melek,ou=services,{LDAP_BASE}"
LDAP_SERVICE_PASSWORD = "layanan-melek-uji"
CALLBACK = "http://localhost/masuk/pemkot/kembali"  # PUBLIC_BASE_URL is http://localhost
AFTER_LOGOUT = "http://localhost/masuk"
CLIENT_ID, CLIENT_SECRET = "melek", "melek-rahasia-uji"


def missing(what: str, how: str):
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: .ci/run must install it ({how})")
    pytest.skip(f"{what} is missing ({how}); .ci/run installs it")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped: {process.stdout.read() if process.stdout else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port}")


def _stop(process: subprocess.Popen):
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- OpenID Connect ----------------------------------------------------------------------

def start_oidc_provider(callback: str = CALLBACK, after_logout: str = AFTER_LOGOUT):
    """Start tests/oidc/provider.mjs on a free port, its one client sending browsers back
    to `callback`; returns the process and its issuer URL."""
    node = shutil.which("node")
    if node is None:
        missing("node", "apt-get install nodejs")
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        missing("oidc-provider", "npm ci in tests/oidc")
    port = free_port()
    env = {**os.environ, "PORT": str(port), "REDIRECT_URI": callback,
           "POST_LOGOUT_URI": after_logout,
           # The provider's clock agrees with the suite's (MELEK_TEST_NOW moves it).
           "CLOCK_AT": str(clock.now().timestamp())}
    process = subprocess.Popen([node, "provider.mjs"], cwd=OIDC_DIR, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _wait_for_port(port, process, "oidc-provider")
    return process, f"http://127.0.0.1:{port}"


FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*method="post"', re.I)


def through_provider(url: str, account: str, browser: requests.Session | None = None) -> str:
    """Play the person at the provider: open `url` (Melek's redirect), sign in as
    `account`, agree, and return the address the provider sends the browser back to."""
    browser = browser or requests.Session()
    issuer = "/".join(url.split("/", 3)[:3])
    response = browser.get(url, allow_redirects=False, timeout=10)
    for _ in range(12):
        while response.is_redirect:
            target = urljoin(response.url, response.headers["Location"])
            if not target.startswith(issuer + "/"):
                return target  # leaving the provider: back to Melek
            response = browser.get(target, allow_redirects=False, timeout=10)
        action = FORM.search(response.text)
        assert action, response.text[:500]
        if 'name="login"' in response.text:
            data = {"prompt": "login", "login": account, "password": "apa saja"}
        else:
            data = {"prompt": "consent"}
        response = browser.post(urljoin(response.url, unescape(action.group(1))), data=data,
                                allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")


def configure_oidc(app, monkeypatch, issuer: str, **extra):
    for key, value in {"OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": CLIENT_ID,
                       "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_NIP_CLAIM": "nip",
                       "OIDC_SCOPES": "openid profile", **extra}.items():
        monkeypatch.setitem(app.config, key, value)


# --- LDAP --------------------------------------------------------------------------------

LDAP_PEOPLE = {  # uid (the NIP) -> (name, password)
    "198609262015051001": ("Rina Sari", "sandi-kota-rina"),
    "198701012010011002": ("Budi Santoso", "sandi-kota-budi"),
    "199912312020121999": ("Orang Luar", "sandi-kota-luar"),
}


def _ldif() -> str:
    entries = [f"dn: {LDAP_BASE}\nobjectClass: dcObject\nobjectClass: organization\n"
               f"dc: tangsel\no: Pemerintah Kota Tangerang Selatan\n",
               f"dn: ou=people,{LDAP_BASE}\nobjectClass: organizationalUnit\nou: people\n",
               f"dn: ou=services,{LDAP_BASE}\nobjectClass: organizationalUnit\nou: services\n",
               f"dn: {LDAP_SERVICE_DN}\nobjectClass: simpleSecurityObject\n"
               f"objectClass: organizationalRole\ncn: melek\n"
               f"userPassword: {LDAP_SERVICE_PASSWORD}\n"]
    for nip, (name, password) in LDAP_PEOPLE.items():
        entries.append(f"dn: uid={nip},ou=people,{LDAP_BASE}\nobjectClass: inetOrgPerson\n"
                       f"uid: {nip}\ncn: {name}\nsn: {name.split()[-1]}\n"
                       f"employeeNumber: {nip}\nuserPassword: {password}\n")
    return "\n".join(entries)


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the CA file Melek is told to trust)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=365 * 30))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "ldap.crt", folder / "ldap.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def start_slapd(folder: Path):
    """slapd with a temporary configuration, a few people and a service account, on a
    free port for ldap:// (StartTLS offered) and another for ldaps://. Returns the process
    and a dict of what the tests need."""
    if not (os.path.exists(SLAPD) and os.path.exists(SLAPADD)):
        missing("slapd", "apt-get install slapd ldap-utils")
    data = folder / "data"
    data.mkdir()
    cert_file, key_file = _certificate(folder)
    schemas = "\n".join(f"include {SCHEMAS / name}.schema"
                        for name in ("core", "cosine", "inetorgperson", "nis"))
    conf = folder / "slapd.conf"
    conf.write_text(f"""{schemas}
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder / 'slapd.pid'}
TLSCertificateFile {cert_file}
TLSCertificateKeyFile {key_file}
database mdb
maxsize 10485760
suffix "{LDAP_BASE}"
rootdn "cn=admin,{LDAP_BASE}"
rootpw admin-uji
directory {data}
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="{LDAP_SERVICE_DN}" read by * none
""")
    ldif = folder / "people.ldif"
    ldif.write_text(_ldif())
    subprocess.run([SLAPADD, "-f", str(conf), "-l", str(ldif)], check=True,
                   capture_output=True)
    port, tls_port = free_port(), free_port()
    process = subprocess.Popen(
        [SLAPD, "-f", str(conf), "-d", "0",
         "-h", f"ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{tls_port}/"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _wait_for_port(port, process, "slapd")
    _wait_for_port(tls_port, process, "slapd (ldaps)")
    return process, {"url": f"ldap://127.0.0.1:{port}",
                     "ldaps_url": f"ldaps://127.0.0.1:{tls_port}", "ca_file": str(cert_file)}


def configure_ldap(app, monkeypatch, url: str, mode: str = "template", **extra):
    """mode "template": a DN built from the NIP; "search": found by the service account."""
    settings = {"LDAP_URL": url, "LDAP_USER_DN_TEMPLATE": "", "LDAP_BIND_DN": "",
                "LDAP_BIND_PASSWORD": "", "LDAP_SEARCH_BASE": "",
                "LDAP_SEARCH_FILTER": "(uid={nip})", "LDAP_START_TLS": False,
                "LDAP_CA_FILE": "", "LDAP_TIMEOUT": 5}
    if mode == "template":
        settings["LDAP_USER_DN_TEMPLATE"] = f"uid={{nip}},ou=people,{LDAP_BASE}"
    else:
        settings.update(LDAP_BIND_DN=LDAP_SERVICE_DN, LDAP_BIND_PASSWORD=LDAP_SERVICE_PASSWORD,
                        LDAP_SEARCH_BASE=f"ou=people,{LDAP_BASE}",
                        LDAP_SEARCH_FILTER="(&(objectClass=inetOrgPerson)(employeeNumber={nip}))")
    settings.update(extra)
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)


__all__ = ["AFTER_LOGOUT", "CALLBACK", "LDAP_PEOPLE", "configure_ldap", "configure_oidc",
           "start_oidc_provider", "start_slapd", "through_provider", "_stop"]
