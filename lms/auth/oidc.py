"""Signing in with the city's OpenID provider ("Masuk dengan akun Pemkot"): the
authorization code flow with PKCE (S256), state and nonce, through Authlib's client and
joserfc (the ID token's signature against the provider's keys, then its claims).

`begin` returns the provider's address and what the browser must bring back (`pending`:
state, nonce, PKCE verifier and when it began), which the view keeps in the signed session
cookie: nothing about a login in progress lives in process memory, so any worker or host
can finish it. `finish` checks what came back against `pending` and returns the NIP the
provider vouches for; deciding whether that NIP may come in is `signin.sign_in_verified`.

The provider's discovery document and keys are cached in memory for an hour (they are
the same for every login; the keys are fetched again at once when a token names a key
the cache does not hold)."""

import hmac
import threading
import time
from dataclasses import dataclass

import requests
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from lms.core import clock

FLOW_SECONDS = 600  # from the button to the provider's answer: ten minutes
TIMEOUT = 10  # seconds for each call to the provider
CACHE_SECONDS = 3600
LEEWAY = 120  # seconds of clock difference allowed between the provider and us


class OidcError(Exception):
    """The provider's answer could not be trusted or used; `reason` says why (audited)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    nip_claim: str
    scopes: str

    @classmethod
    def from_config(cls, config) -> "Provider | None":
        if not config.get("OIDC_ISSUER"):
            return None
        return cls(config["OIDC_ISSUER"].rstrip("/"), config["OIDC_CLIENT_ID"],
                   config["OIDC_CLIENT_SECRET"], config.get("OIDC_NIP_CLAIM") or "nip",
                   config.get("OIDC_SCOPES") or "openid")


@dataclass(frozen=True)
class Identity:
    nip: str
    subject: str


_cache: dict[str, tuple[float, dict]] = {}
_cache_lock = threading.Lock()


def _get_json(url: str) -> dict:
    response = requests.get(url, timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()


def metadata(provider: Provider, *, fresh: bool = False) -> dict:
    """The provider's discovery document (its endpoints), with its key set under "jwks".
    Raises OidcError("discovery") when the provider cannot be reached or is not itself."""
    with _cache_lock:
        hit = _cache.get(provider.issuer)
    if hit and not fresh and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    try:
        found = _get_json(provider.issuer + "/.well-known/openid-configuration")
        # OpenID Connect Discovery 4.3: the document must name the issuer asked for.
        if found.get("issuer", "").rstrip("/") != provider.issuer:
            raise OidcError("discovery")
        found["jwks"] = _get_json(found["jwks_uri"])
    except (requests.RequestException, ValueError, KeyError) as exc:
        raise OidcError("discovery") from exc
    with _cache_lock:
        _cache[provider.issuer] = (time.monotonic(), found)
    return found


def _client(provider: Provider, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(provider.client_id, provider.client_secret, scope=provider.scopes,
                         redirect_uri=redirect_uri, code_challenge_method="S256")


def begin(provider: Provider, redirect_uri: str, locale: str | None = None
          ) -> tuple[str, dict]:
    """The provider's authorization address to send the browser to, and `pending`, to
    keep in the session cookie until the browser comes back."""
    found = metadata(provider)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    extra = {"ui_locales": locale} if locale else {}
    with _client(provider, redirect_uri) as client:
        url, _ = client.create_authorization_url(found["authorization_endpoint"],
                                                 state=state, nonce=nonce,
                                                 code_verifier=verifier, **extra)
    return url, {"state": state, "nonce": nonce, "verifier": verifier,
                 "at": int(clock.now().timestamp())}


def finish(provider: Provider, pending: dict | None, answer: dict,
           redirect_uri: str) -> Identity:
    """Check the provider's answer (the callback's query: code and state, or an error)
    against `pending` from `begin`; exchange the code (with the PKCE verifier) and check
    the ID token. Raises OidcError; `pending` must be dropped whatever the outcome."""
    if not pending or not isinstance(pending, dict):
        raise OidcError("no_login_started")
    if answer.get("error"):
        raise OidcError("provider_refused")
    state = str(answer.get("state") or "")
    if not hmac.compare_digest(state.encode(), str(pending.get("state", "")).encode()):
        raise OidcError("state")
    if clock.now().timestamp() - pending.get("at", 0) > FLOW_SECONDS:
        raise OidcError("too_slow")
    code = answer.get("code")
    if not code:
        raise OidcError("no_code")
    found = metadata(provider)
    with _client(provider, redirect_uri) as client:
        try:
            token = client.fetch_token(found["token_endpoint"], code=code,
                                       code_verifier=pending["verifier"], timeout=TIMEOUT)
        except (OAuthError, requests.RequestException, ValueError) as exc:
            raise OidcError("code") from exc
        claims = _id_token_claims(provider, found, token, pending["nonce"])
        nip = claims.get(provider.nip_claim)
        if nip is None and found.get("userinfo_endpoint"):
            nip = _from_userinfo(client, found["userinfo_endpoint"], claims["sub"],
                                 provider.nip_claim)
    if not isinstance(nip, str | int) or isinstance(nip, bool) or not str(nip).strip():
        raise OidcError("no_nip")
    return Identity(nip="".join(str(nip).split()), subject=claims["sub"])


def _decode(raw: str, keys: dict, algorithms):
    return jwt.decode(raw, key=KeySet.import_key_set(keys),
                      registry=JWSRegistry(algorithms=algorithms))


def _id_token_claims(provider: Provider, found: dict, token: dict, nonce: str) -> dict:
    raw = token.get("id_token")
    if not raw:
        raise OidcError("id_token")
    algorithms = found.get("id_token_signing_alg_values_supported") or ["RS256"]
    try:
        try:
            decoded = _decode(raw, found["jwks"], algorithms)
        except InvalidKeyIdError:  # the provider rolled its keys: fetch them again
            decoded = _decode(raw, metadata(provider, fresh=True)["jwks"], algorithms)
        claims = CodeIDToken(decoded.claims, decoded.header, {
            "iss": {"essential": True, "values": [found["issuer"]]},
            "aud": {"essential": True, "values": [provider.client_id]},
        }, {"nonce": nonce, "client_id": provider.client_id,
            "access_token": token.get("access_token")})
        claims.validate(now=int(clock.now().timestamp()), leeway=LEEWAY)
    except JoseError as exc:
        reason = "nonce" if "nonce" in str(exc) else "id_token"
        raise OidcError(reason) from exc
    except ValueError as exc:  # not a JWT at all
        raise OidcError("id_token") from exc
    return dict(claims)


def _from_userinfo(client: OAuth2Session, url: str, subject: str, claim: str):
    """Some providers put extra claims (the NIP) only in the userinfo answer."""
    try:
        response = client.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        info = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OidcError("userinfo") from exc
    if info.get("sub") != subject:  # OpenID Connect Core 5.3.2
        raise OidcError("userinfo")
    return info.get(claim)


def logout_url(provider: Provider, after: str) -> str | None:
    """The provider's logout address (RP-initiated logout), when it has one: signing out
    of Melek leaves the city account signed in until the person chooses this too."""
    try:
        endpoint = metadata(provider).get("end_session_endpoint")
    except OidcError:
        return None
    if not endpoint:
        return None
    return add_params_to_uri(endpoint, {"client_id": provider.client_id,
                                        "post_logout_redirect_uri": after})
