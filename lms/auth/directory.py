"""Checking a NIP and password against the city's LDAP directory (ldap3): a bind as the
person, whose DN comes from LDAP_USER_DN_TEMPLATE or from a search made with a service
account (LDAP_BIND_DN, LDAP_SEARCH_BASE, LDAP_SEARCH_FILTER). StartTLS (LDAP_START_TLS)
or ldaps:// when configured, the server's certificate checked (LDAP_CA_FILE, else the
system's).

The verdict says how far the directory decides (decisions.md, "Directory first"):
ACCEPTED, the password is right; REJECTED, the person is in the directory and the
password is wrong (final); UNKNOWN, the directory does not know the person, or cannot
tell (a DN template's bind fails the same way for a wrong password and a missing
person); UNAVAILABLE, the directory did not answer. Melek then tries its own password.
"""

import logging
import re
import ssl
from dataclasses import dataclass
from enum import Enum

from ldap3 import NONE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

log = logging.getLogger(__name__)

# A NIP is digits (ASN) or a short internal identifier (non-ASN): anything else never
# reaches the directory, escaped or not.
NIP_PATTERN = re.compile(r"[0-9A-Za-z._-]{1,32}")


class Verdict(Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    UNKNOWN = "unknown"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Directory:
    url: str
    user_dn_template: str = ""
    bind_dn: str = ""
    bind_password: str = ""
    search_base: str = ""
    search_filter: str = "(uid={nip})"
    start_tls: bool = False
    ca_file: str = ""
    timeout: int = 5

    @classmethod
    def from_config(cls, config) -> "Directory | None":
        if not config.get("LDAP_URL"):
            return None
        return cls(config["LDAP_URL"], config.get("LDAP_USER_DN_TEMPLATE", ""),
                   config.get("LDAP_BIND_DN", ""), config.get("LDAP_BIND_PASSWORD", ""),
                   config.get("LDAP_SEARCH_BASE", ""),
                   config.get("LDAP_SEARCH_FILTER") or "(uid={nip})",
                   bool(config.get("LDAP_START_TLS")), config.get("LDAP_CA_FILE", ""),
                   int(config.get("LDAP_TIMEOUT") or 5))

    def _server(self) -> Server:
        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=self.ca_file or None)
        return Server(self.url, use_ssl=self.url.startswith("ldaps://"), tls=tls,
                      get_info=NONE, connect_timeout=self.timeout)

    def _bound(self, server: Server, dn: str, password: str) -> tuple[Connection, bool]:
        """A connection (opened, TLS started when configured) and whether `dn` bound."""
        connection = Connection(server, user=dn, password=password,
                                receive_timeout=self.timeout, raise_exceptions=False,
                                read_only=True)
        connection.open()
        if self.start_tls and not self.url.startswith("ldaps://") \
                and not connection.start_tls():
            raise LDAPException(f"StartTLS refused: {connection.result}")
        return connection, bool(connection.bind())

    def _find(self, server: Server, nip: str) -> str | None:
        """The person's DN through the service account's search; None when not exactly
        one entry matches. Raises LDAPException when the service account cannot search."""
        connection, bound = self._bound(server, self.bind_dn, self.bind_password)
        try:
            if not bound:
                raise LDAPException(f"service bind refused: {connection.result}")
            connection.search(self.search_base,
                              self.search_filter.format(nip=escape_filter_chars(nip)),
                              attributes=[], size_limit=2)
            entries = connection.response or []
            found = [e["dn"] for e in entries if e.get("type") == "searchResEntry"]
            if len(found) > 1:
                log.warning("LDAP: more than one entry for NIP %s; none used", nip)
            return found[0] if len(found) == 1 else None
        finally:
            connection.unbind()

    def check(self, nip: str, password: str) -> Verdict:
        if not NIP_PATTERN.fullmatch(nip):
            return Verdict.UNKNOWN
        if not password:
            # An empty password makes an unauthenticated bind, which servers accept.
            return Verdict.REJECTED if self.search_base else Verdict.UNKNOWN
        server = self._server()
        try:
            if self.user_dn_template:
                dn = self.user_dn_template.format(nip=escape_rdn(nip))
            else:
                dn = self._find(server, nip)
                if dn is None:
                    return Verdict.UNKNOWN
            connection, bound = self._bound(server, dn, password)
            connection.unbind()
        except (LDAPException, OSError) as exc:
            log.warning("LDAP at %s did not answer: %s", self.url, exc)
            return Verdict.UNAVAILABLE
        if bound:
            return Verdict.ACCEPTED
        # Found by a search: the directory knows the person, so the password is wrong.
        return Verdict.UNKNOWN if self.user_dn_template else Verdict.REJECTED
