"""Server-side verification of the two request-signing schemes.

Written from the wire description in shared/reference/wire-protocols.md (sections 2 and 3), not from
any client code, so that the emulator is an independent check of the collection's signers.  Both
verifiers are pure apart from the clock, which is injectable so that the vendors' known-answer vectors
(signed in 2024) can be verified with a fixed "now".

A verifier never records nonces itself: it returns the nonce and the caller consumes it only when the
request is actually served.  That keeps a request that an injected fault swallowed from burning its
nonce, and keeps a forged request (bad signature) from burning someone else's.
"""

import calendar
import hashlib
import hmac
import re
import threading
import time
from urllib.parse import quote, unquote, unquote_plus

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
MAX_SKEW_SECONDS = 15 * 60

ACS3_ALGORITHM = "ACS3-HMAC-SHA256"
HW_ALGORITHM = "SDK-HMAC-SHA256"

# Headers every ACS3 request must carry and sign (section 2).
ACS3_REQUIRED_HEADERS = ("host", "x-acs-action", "x-acs-version", "x-acs-date",
                         "x-acs-signature-nonce", "x-acs-content-sha256")


class AuthError(Exception):
    """A request the cloud would refuse; carries the HTTP status and the vendor's error code."""

    def __init__(self, status, code, message, string_to_sign=None, canonical_request=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.string_to_sign = string_to_sign
        self.canonical_request = canonical_request


class AuthOutcome:
    """What a successful verification learnt about the caller."""

    def __init__(self, access_key_id, nonce=None, canonical_request=None, string_to_sign=None, kind="signature",
                 principal=None):
        self.access_key_id = access_key_id
        self.nonce = nonce
        self.canonical_request = canonical_request
        self.string_to_sign = string_to_sign
        self.kind = kind            # "signature" or "token"
        self.principal = principal  # the credential record that matched


def rfc3986(value):
    """Percent-encode everything but the RFC 3986 unreserved set (space -> %20, '*' -> %2A, '/' -> %2F)."""
    return quote(value, safe="~", encoding="utf-8")


def split_query(raw_query, plus_is_space=True):
    """Decode a raw query string into (key, value) pairs, keeping order and duplicates.

    value is None for a bare key without '='.  '+' decodes to a space because the Alibaba SDK puts
    form-encoded query strings on the wire (urlencode) while it signs the RFC 3986 form.
    """
    decode = unquote_plus if plus_is_space else unquote
    pairs = []
    for part in raw_query.split("&") if raw_query else ():
        if not part:
            continue
        if "=" in part:
            key, value = part.split("=", 1)
            pairs.append((decode(key), decode(value)))
        else:
            pairs.append((decode(part), None))
    return pairs


def header_value(headers, name):
    """All values of one header (lower-case name) as the signers canonicalise them."""
    values = headers.get(name)
    if values is None:
        return None
    # http.server decodes header bytes as ISO-8859-1; signers hash the UTF-8 text.
    fixed = []
    for v in values:
        try:
            v = v.encode("iso-8859-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
        fixed.append(v.strip())
    return fixed


def _hmac_hex(secret, text):
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def _sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------------
# Alibaba Cloud ACS3-HMAC-SHA256
# --------------------------------------------------------------------------------------------------

_ACS3_AUTH_RE = re.compile(
    r"^ACS3-HMAC-SHA256 Credential=(?P<ak>[^,\s]+),SignedHeaders=(?P<signed>[^,\s]*),Signature=(?P<sig>[0-9a-fA-F]+)$")


def acs3_canonical_query(pairs, keep_empty=False):
    """Sorted key=RFC3986(value) pairs; bare keys dropped, empty values dropped unless keep_empty.

    wire-protocols.md says parameters with no value are dropped; the official SDK however signs an
    empty string as "key=" (and sends "key=").  The verifier tries the documented form first and the
    SDK's form second, so both signers are accepted (see README, "findings").
    """
    kept = []
    for key, value in pairs:
        if value is None or (value == "" and not keep_empty):
            continue
        kept.append((key, value))
    kept.sort(key=lambda kv: kv[0])
    return "&".join("%s=%s" % (rfc3986(k), rfc3986(v)) for k, v in kept)


def acs3_string_to_sign(method, raw_path, pairs, headers, signed_names, payload_hash, keep_empty=False):
    """Return (canonical_request, string_to_sign) for one request as the server sees it."""
    canonical_headers = ""
    for name in signed_names:
        values = header_value(headers, name) or [""]
        canonical_headers += "%s:%s\n" % (name, ",".join(sorted(values)))
    canonical_request = "\n".join((
        method.upper(),
        raw_path or "/",
        acs3_canonical_query(pairs, keep_empty=keep_empty),
        canonical_headers,
        ";".join(signed_names),
        payload_hash,
    ))
    return canonical_request, "%s\n%s" % (ACS3_ALGORITHM, _sha256_hex(canonical_request))


def acs3_sign(secret, string_to_sign):
    return _hmac_hex(secret, string_to_sign)


def parse_acs3_date(value):
    """x-acs-date is UTC '%Y-%m-%dT%H:%M:%SZ'; returns epoch seconds or raises ValueError."""
    return calendar.timegm(time.strptime(value, "%Y-%m-%dT%H:%M:%SZ"))


class AlibabaVerifier:
    """Checks an ACS3-HMAC-SHA256 request the way the Alibaba Cloud API gateway does.

    keys: dict access_key_id -> {"secret": ..., "security_token": ... or None}
    now:  callable returning epoch seconds (injectable for the 2024 vectors)
    """

    def __init__(self, keys, now=time.time, max_skew=MAX_SKEW_SECONDS):
        self.keys = keys
        self.now = now
        self.max_skew = max_skew

    def verify(self, method, raw_path, raw_query, headers, body=b"", action=None, version=None):
        """headers: dict lower-case name -> list of values.  Raises AuthError or returns AuthOutcome."""
        auth = header_value(headers, "authorization")
        if not auth:
            raise AuthError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards: "
                            "the Authorization header is missing.")
        match = _ACS3_AUTH_RE.match(auth[0])
        if not match:
            raise AuthError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards: "
                            "expected 'ACS3-HMAC-SHA256 Credential=<ak>,SignedHeaders=<a;b>,Signature=<hex>'.")
        ak, signature = match.group("ak"), match.group("sig").lower()
        signed_names = match.group("signed").split(";") if match.group("signed") else []
        if signed_names != sorted(set(signed_names)) or any(n != n.lower() for n in signed_names):
            raise AuthError(400, "IncompleteSignature", "SignedHeaders must be lower-case, sorted and unique.")

        key = self.keys.get(ak)
        if key is None:
            raise AuthError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")

        for name in ACS3_REQUIRED_HEADERS:
            if not header_value(headers, name):
                raise AuthError(400, "IncompleteSignature", "The required header %s is missing." % name)
            if name not in signed_names:
                raise AuthError(400, "IncompleteSignature", "The header %s must be signed." % name)
        for name in signed_names:
            if header_value(headers, name) is None:
                raise AuthError(400, "IncompleteSignature", "Signed header %s is not in the request." % name)

        if action is not None and header_value(headers, "x-acs-action")[0] != action:
            raise AuthError(400, "InvalidAction.NotFound",
                            "Specified api is not found, please check your url and method. x-acs-action %r does not "
                            "match this path (expected %r)." % (header_value(headers, "x-acs-action")[0], action))
        if version is not None and header_value(headers, "x-acs-version")[0] != version:
            raise AuthError(400, "InvalidVersion", "Specified parameter Version is not valid: %r (expected %r)."
                            % (header_value(headers, "x-acs-version")[0], version))

        date = header_value(headers, "x-acs-date")[0]
        try:
            signed_at = parse_acs3_date(date)
        except ValueError:
            raise AuthError(400, "InvalidTimeStamp.Format", "Specified time stamp %r is not in the format "
                            "yyyy-MM-ddTHH:mm:ssZ." % date)
        if abs(self.now() - signed_at) > self.max_skew:
            raise AuthError(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired: %s "
                            "is more than 15 minutes away from the server time." % date)

        token = key.get("security_token")
        if token is not None:
            sent = header_value(headers, "x-acs-security-token")
            if not sent or sent[0] != token:
                raise AuthError(400, "InvalidSecurityToken.MismatchWithAccessKey",
                                "The security token does not match the access key (or is missing).")
            if "x-acs-security-token" not in signed_names:
                raise AuthError(400, "IncompleteSignature", "The header x-acs-security-token must be signed.")

        pairs = split_query(raw_query)
        payload_hash = hashlib.sha256(body or b"").hexdigest()
        canonical_request, string_to_sign = acs3_string_to_sign(method, raw_path, pairs, headers, signed_names,
                                                                payload_hash)
        if not hmac.compare_digest(acs3_sign(key["secret"], string_to_sign), signature):
            # Second chance: the SDK's way of signing empty values ("key="), see acs3_canonical_query.
            if any(v == "" for k, v in pairs):
                alt_request, alt_sts = acs3_string_to_sign(method, raw_path, pairs, headers, signed_names,
                                                           payload_hash, keep_empty=True)
                if hmac.compare_digest(acs3_sign(key["secret"], alt_sts), signature):
                    return AuthOutcome(ak, header_value(headers, "x-acs-signature-nonce")[0], alt_request, alt_sts,
                                       principal=key)
            raise AuthError(400, "SignatureDoesNotMatch",
                            "Specified signature does not match our calculation. server string to sign is:%s"
                            % string_to_sign, string_to_sign=string_to_sign, canonical_request=canonical_request)
        return AuthOutcome(ak, header_value(headers, "x-acs-signature-nonce")[0], canonical_request, string_to_sign,
                           principal=key)


# --------------------------------------------------------------------------------------------------
# Huawei Cloud SDK-HMAC-SHA256 (APIG AK/SK) and IAM tokens
# --------------------------------------------------------------------------------------------------

_HW_AUTH_RE = re.compile(
    r"^SDK-HMAC-SHA256\s+Access=(?P<ak>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]*),\s*Signature=(?P<sig>[0-9a-fA-F]+)$")


def hw_canonical_uri(raw_path):
    """Each decoded segment RFC 3986-encoded, joined by '/', always ending with '/'."""
    uri = "/".join(rfc3986(segment) for segment in unquote(raw_path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def hw_canonical_query(pairs):
    """Pairs sorted by key then value, both RFC 3986-encoded; a bare key signs as 'key='."""
    items = sorted((k, "" if v is None else v) for k, v in pairs)
    return "&".join("%s=%s" % (rfc3986(k), rfc3986(v)) for k, v in items)


def hw_string_to_sign(method, raw_path, pairs, headers, signed_names, sdk_date, payload_hash):
    """Return (canonical_request, string_to_sign)."""
    canonical_headers = ""
    for name in signed_names:
        values = header_value(headers, name) or [""]
        canonical_headers += "%s:%s\n" % (name, values[0])
    canonical_request = "\n".join((
        method.upper(),
        hw_canonical_uri(raw_path),
        hw_canonical_query(pairs),
        canonical_headers,
        ";".join(signed_names),
        payload_hash,
    ))
    return canonical_request, "%s\n%s\n%s" % (HW_ALGORITHM, sdk_date, _sha256_hex(canonical_request))


def hw_sign(secret, string_to_sign):
    return _hmac_hex(secret, string_to_sign)


def parse_hw_date(value):
    return calendar.timegm(time.strptime(value, "%Y%m%dT%H%M%SZ"))


def _apig_0301(detail):
    return AuthError(401, "APIG.0301", "Incorrect IAM authentication information: %s" % detail)


class HuaweiVerifier:
    """Checks SDK-HMAC-SHA256 signatures and X-Auth-Token the way Huawei Cloud APIG does.

    keys:   dict AK -> {"secret": ..., "security_token": ... or None}
    tokens: set of accepted IAM tokens
    """

    def __init__(self, keys, tokens=(), now=time.time, max_skew=MAX_SKEW_SECONDS):
        self.keys = keys
        self.tokens = set(tokens)
        self.now = now
        self.max_skew = max_skew

    def verify(self, method, raw_path, raw_query, headers, body=b""):
        auth = header_value(headers, "authorization")
        if not auth:
            token = header_value(headers, "x-auth-token")
            if token:
                if token[0] in self.tokens:
                    return AuthOutcome(None, kind="token")
                raise _apig_0301("the token is invalid or expired")
            raise _apig_0301("no Authorization or X-Auth-Token header")
        match = _HW_AUTH_RE.match(auth[0])
        if not match:
            raise _apig_0301("Authorization is not 'SDK-HMAC-SHA256 Access=<ak>, SignedHeaders=<a;b>, Signature=<hex>'")
        ak, signature = match.group("ak"), match.group("sig").lower()
        signed_names = match.group("signed").split(";") if match.group("signed") else []
        key = self.keys.get(ak)
        if key is None:
            raise _apig_0301("the access key %s does not exist" % ak)

        sdk_date = header_value(headers, "x-sdk-date")
        if not sdk_date:
            raise _apig_0301("the X-Sdk-Date header is missing")
        sdk_date = sdk_date[0]
        try:
            signed_at = parse_hw_date(sdk_date)
        except ValueError:
            raise _apig_0301("X-Sdk-Date %r is not in the format yyyyMMddTHHmmssZ" % sdk_date)
        if abs(self.now() - signed_at) > self.max_skew:
            raise _apig_0301("X-Sdk-Date %s is more than 15 minutes away from the server time" % sdk_date)
        for name in ("host", "x-sdk-date"):
            if name not in signed_names:
                raise _apig_0301("the %s header must be signed" % name)
        for name in signed_names:
            if header_value(headers, name) is None:
                raise _apig_0301("signed header %s is not in the request" % name)

        token = key.get("security_token")
        if token is not None:
            sent = header_value(headers, "x-security-token")
            if not sent or sent[0] != token or "x-security-token" not in signed_names:
                raise _apig_0301("the security token is missing, wrong or not signed")

        content_sha = header_value(headers, "x-sdk-content-sha256")
        if content_sha and content_sha[0] == "UNSIGNED-PAYLOAD":
            payload_hash = "UNSIGNED-PAYLOAD"
        else:
            payload_hash = hashlib.sha256(body or b"").hexdigest()
        pairs = split_query(raw_query)
        canonical_request, string_to_sign = hw_string_to_sign(method, raw_path, pairs, headers, signed_names,
                                                              sdk_date, payload_hash)
        if not hmac.compare_digest(hw_sign(key["secret"], string_to_sign), signature):
            err = _apig_0301("verify aksk signature fail")
            err.string_to_sign, err.canonical_request = string_to_sign, canonical_request
            raise err
        return AuthOutcome(ak, None, canonical_request, string_to_sign, principal=key)


class NonceCache:
    """Remembers ACS3 nonces for twice the allowed skew so a replay inside the window is refused."""

    def __init__(self, ttl=2 * MAX_SKEW_SECONDS, now=time.time):
        self.ttl = ttl
        self.now = now
        self._seen = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def consume(self, nonce):
        """True when the nonce is fresh (and now recorded), False when it was used before."""
        now = self.now()
        with self._lock:
            if now >= self._next_prune:
                self._seen = {n: t for n, t in self._seen.items() if t > now}
                self._next_prune = now + 60
            if nonce in self._seen and self._seen[nonce] > now:
                return False
            self._seen[nonce] = now + self.ttl
            return True
