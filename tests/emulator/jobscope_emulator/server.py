"""The HTTP server: authentication, faults, throttling, the request log and the control API.

One request to a list endpoint goes through these steps, in this order, for every endpoint:

1. route the decoded path through endpoints.ENDPOINTS (unknown path or method -> 404);
2. verify the signature or token (pure: the result is logged even when a fault answers instead);
3. pick injected faults; sleep the global latency plus any fault delay (outside every lock, so
   concurrent requests really overlap);
4. answer with the fault, or the rate limiter's throttling error, or the authentication error;
5. consume the ACS3 nonce (a replay inside the window -> SignatureNonceUsed);
6. apply due /_emulator/changes, list the page, answer (a "truncated" fault cuts this body in half).

Faults and throttling come before the nonce is consumed, like a gateway in front of the service, so a
request that a fault swallowed can be retried with the same signature.
"""

import argparse
import http.server
import ipaddress
import json
import os
import signal
import socket
import sys
import threading
import time
import traceback
import uuid
from urllib.parse import unquote

from . import datasets
from .endpoints import ENDPOINTS, ENDPOINTS_BY_NAME, ListingCache, ParamError, list_page, route
from .signing import AlibabaVerifier, AuthError, HuaweiVerifier, NonceCache, split_query

FAULT_KINDS = ("latency", "throttle", "error", "drop", "truncated", "malformed", "html")
LOG_LIMIT = 200000

_HTML_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1>"
             b"</center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n")
_GARBAGE = b"\x00\x1f<<upstream sent garbage>> {\"Jobs\": [ {unterminated"


class ControlError(Exception):
    """A bad control API request (HTTP 400)."""


# --------------------------------------------------------------------------------------------------
# Faults, rate limiting, changes, request log
# --------------------------------------------------------------------------------------------------

class FaultRule:
    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ControlError("each fault is an object")
        unknown = set(spec) - {"endpoint", "kind", "count", "skip", "delay_ms", "status", "code", "retry_after",
                               "message"}
        if unknown:
            raise ControlError("unknown fault keys: %s" % ", ".join(sorted(unknown)))
        self.endpoint = spec.get("endpoint")
        if self.endpoint is not None and self.endpoint not in ENDPOINTS_BY_NAME:
            raise ControlError("unknown endpoint %r; one of %s or null" % (self.endpoint, ", ".join(ENDPOINTS_BY_NAME)))
        self.kind = spec.get("kind")
        if self.kind not in FAULT_KINDS:
            raise ControlError("fault kind must be one of %s" % ", ".join(FAULT_KINDS))
        self.count = spec.get("count", 1)
        self.skip = spec.get("skip", 0)
        self.delay_ms = spec.get("delay_ms", 0)
        for name in ("skip", "delay_ms"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 0:
                raise ControlError("%s must be a non-negative integer" % name)
        if self.count is not None and (not isinstance(self.count, int) or self.count < 0):
            raise ControlError("count must be a non-negative integer or null (persistent)")
        if self.kind == "latency" and not self.delay_ms:
            raise ControlError("a latency fault needs delay_ms")
        self.status = spec.get("status")
        self.code = spec.get("code")
        self.message = spec.get("message")
        self.retry_after = spec.get("retry_after")
        self.fired = 0

    def to_dict(self):
        return {"endpoint": self.endpoint, "kind": self.kind, "count": self.count, "skip": self.skip,
                "delay_ms": self.delay_ms, "status": self.status, "code": self.code, "retry_after": self.retry_after,
                "message": self.message, "fired": self.fired}


class FaultBook:
    """Ordered fault rules.  Each rule counts the matching requests it sees: the first `skip` pass,
    the next `count` (or all, when count is null) get the fault.  Delays of all firing rules add up;
    of the non-latency rules only the first firing one answers the request (the others keep their count).
    """

    def __init__(self):
        self.rules = []
        self.lock = threading.Lock()

    def add(self, specs):
        rules = [FaultRule(s) for s in specs]
        with self.lock:
            self.rules.extend(rules)

    def clear(self):
        with self.lock:
            self.rules = []

    def pick(self, endpoint):
        delay, action = 0, None
        with self.lock:
            for rule in self.rules:
                if rule.endpoint not in (None, endpoint):
                    continue
                if rule.count is not None and rule.count <= 0:
                    continue
                if rule.skip > 0:
                    rule.skip -= 1
                    continue
                if rule.kind != "latency" and action is not None:
                    continue
                delay += rule.delay_ms
                if rule.kind != "latency":
                    action = rule
                if rule.count is not None:
                    rule.count -= 1
                rule.fired += 1
            self.rules = [r for r in self.rules if r.count is None or r.count > 0]
        return delay, action

    def to_list(self):
        with self.lock:
            return [r.to_dict() for r in self.rules]


class TokenBucket:
    """rps tokens per second, at most burst stored; one token per API request."""

    def __init__(self, rps, burst, clock=time.monotonic):
        if not (isinstance(rps, (int, float)) and rps > 0 and isinstance(burst, int) and burst >= 1):
            raise ControlError("rate_limit needs rps > 0 and an integer burst >= 1")
        self.rps, self.burst, self.clock = float(rps), burst, clock
        self.tokens = float(burst)
        self.stamp = clock()
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rps)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False

    def to_dict(self):
        return {"rps": self.rps, "burst": self.burst}


class ChangeBook:
    """Scheduled data changes: 'set' fields on one item, 'add' or 'remove' N items.

    A change is due after_seconds (wall clock) and/or after_requests further API requests after it was
    registered; due changes are applied before the next API request (or items read) is served.
    """

    def __init__(self):
        self.pending = []
        self.lock = threading.Lock()

    @staticmethod
    def validate(spec, dataset):
        if not isinstance(spec, dict):
            raise ControlError("each change is an object")
        unknown = set(spec) - {"collection", "id", "set", "add", "remove", "where", "workspace", "after_seconds",
                               "after_requests"}
        if unknown:
            raise ControlError("unknown change keys: %s" % ", ".join(sorted(unknown)))
        if spec.get("collection") not in datasets.COLLECTIONS:
            raise ControlError("collection must be one of %s" % ", ".join(datasets.COLLECTIONS))
        ops = [k for k in ("set", "add", "remove") if k in spec]
        if len(ops) != 1:
            raise ControlError("a change has exactly one of set, add, remove")
        if "set" in spec:
            if not isinstance(spec["set"], dict) or "id" not in spec:
                raise ControlError("set needs an id and an object of wire fields")
            if dataset.find(spec["collection"], spec["id"])[1] is None:
                raise ControlError("%s has no item with id %r" % (spec["collection"], spec["id"]))
        else:
            n = spec[ops[0]]
            if not isinstance(n, int) or n < 0:
                raise ControlError("%s must be a non-negative integer" % ops[0])
        if spec.get("where", "start") not in ("start", "end"):
            raise ControlError("where must be start or end")
        for name in ("after_seconds", "after_requests"):
            value = spec.get(name, 0)
            if not isinstance(value, (int, float)) or value < 0:
                raise ControlError("%s must be a non-negative number" % name)

    def add(self, specs, dataset, wall, request_count):
        for spec in specs:
            self.validate(spec, dataset)
        with self.lock:
            for spec in specs:
                self.pending.append({"spec": spec, "due_time": wall + spec.get("after_seconds", 0),
                                     "due_request": request_count + spec.get("after_requests", 0)})

    def apply_due(self, dataset, wall, served_requests):
        """served_requests: API requests that arrived before the one about to be served."""
        with self.lock:
            due = [c for c in self.pending if c["due_time"] <= wall and c["due_request"] <= served_requests]
            self.pending = [c for c in self.pending if c not in due]
        for change in due:
            spec = change["spec"]
            name = spec["collection"]
            if "set" in spec:
                dataset.set_fields(name, spec["id"], spec["set"])
            elif "add" in spec:
                dataset.add(name, spec["add"], spec.get("workspace"), spec.get("where", "start"))
            else:
                dataset.remove(name, spec["remove"], spec.get("workspace"), spec.get("where", "start"))
        return len(due)

    def clear(self):
        with self.lock:
            self.pending = []

    def to_list(self):
        with self.lock:
            return [dict(c["spec"], due_time=c["due_time"], due_request=c["due_request"]) for c in self.pending]


class RequestLog:
    def __init__(self, limit=LOG_LIMIT):
        self.limit = limit
        self.entries = []
        self.dropped = 0
        self.seq = 0
        self.lock = threading.Lock()

    def append(self, entry):
        with self.lock:
            self.seq += 1
            entry["seq"] = self.seq
            self.entries.append(entry)
            if len(self.entries) > self.limit:
                cut = len(self.entries) - self.limit
                del self.entries[:cut]
                self.dropped += cut

    def clear(self):
        with self.lock:
            self.entries = []
            self.dropped = 0

    def snapshot(self, endpoint=None, since=0):
        with self.lock:
            entries = [e for e in self.entries if e["seq"] > since and (endpoint is None or e["endpoint"] == endpoint)]
            return {"count": len(entries), "dropped": self.dropped, "requests": entries}


# --------------------------------------------------------------------------------------------------
# Shared state
# --------------------------------------------------------------------------------------------------

class State:
    def __init__(self, spec, clock=time.time, latency_ms=None, verbose=False, page_caps=None):
        self.clock = clock
        self.verbose = verbose
        self.cli_latency_ms = latency_ms
        self.cli_page_caps = dict(page_caps or {})
        self.faults = FaultBook()
        self.changes = ChangeBook()
        self.log = RequestLog()
        self.cache = ListingCache()
        self.nonces = NonceCache(now=clock)
        self.counter_lock = threading.Lock()
        self.api_requests = 0
        self.reset(spec)

    def reset(self, spec):
        """Rebuild the data from spec; clear faults, changes and the request log."""
        dataset = datasets.Dataset(spec, wall=self.clock)
        creds = dataset.credentials
        ali, hw = creds["alibaba"], creds["huawei"]
        alibaba = AlibabaVerifier({
            ali["access_key_id"]: {"secret": ali["access_key_secret"], "security_token": None,
                                   "user_id": ali["user_id"]},
            ali["sts_access_key_id"]: {"secret": ali["sts_access_key_secret"], "security_token": ali["security_token"],
                                       "user_id": ali["user_id"]},
        }, now=self.clock)
        huawei = HuaweiVerifier({
            hw["access_key_id"]: {"secret": hw["access_key_secret"], "security_token": None},
            hw["sts_access_key_id"]: {"secret": hw["sts_access_key_secret"], "security_token": hw["security_token"]},
        }, tokens=[hw["auth_token"]], now=self.clock)
        latency = spec.get("latency_ms", 0) if self.cli_latency_ms is None else self.cli_latency_ms
        rate = spec.get("rate_limit")
        bucket = TokenBucket(rate["rps"], rate.get("burst", 1)) if rate else None
        # Swap everything in one go so a concurrent request sees either the old or the new world.
        self.dataset, self.alibaba, self.huawei = dataset, alibaba, huawei
        self.latency_ms, self.bucket = latency, bucket
        self.page_caps = dict(spec.get("page_caps") or {}, **self.cli_page_caps)
        self.faults.clear()
        self.changes.clear()
        self.log.clear()

    def count_request(self):
        with self.counter_lock:
            self.api_requests += 1
            return self.api_requests

    def configure(self, body):
        if "latency_ms" in body:
            if not isinstance(body["latency_ms"], int) or body["latency_ms"] < 0:
                raise ControlError("latency_ms must be a non-negative integer")
            self.latency_ms = body["latency_ms"]
        if "rate_limit" in body:
            rate = body["rate_limit"]
            self.bucket = TokenBucket(rate.get("rps"), rate.get("burst", 1)) if rate else None
        if "page_caps" in body:
            try:
                datasets.validate_page_caps(body["page_caps"])
            except datasets.SpecError as err:
                raise ControlError(str(err))
            self.page_caps = dict(body["page_caps"] or {})

    def describe(self):
        ds = self.dataset
        counts = {}
        for name in datasets.COLLECTIONS:
            if name in datasets.SCOPED:
                counts[name] = {scope: len(items) for scope, items in ds.data[name].items()}
            else:
                counts[name] = len(ds.items(name))
        return {"spec": ds.spec, "credentials": ds.credentials, "latency_ms": self.latency_ms,
                "rate_limit": self.bucket.to_dict() if self.bucket else None, "now_ms": ds.now_ms(),
                "page_caps": dict(self.page_caps),
                "counts": counts, "api_requests": self.api_requests}


# --------------------------------------------------------------------------------------------------
# Vendor error bodies
# --------------------------------------------------------------------------------------------------

def alibaba_error(ep, status, code, message, request_id, host, service=False):
    """Gateway errors: the POP body (MaxCompute's also carries its own keys).  MaxCompute service
    (parameter) errors: MaxCompute's body only."""
    mc = {"requestId": request_id, "httpCode": status, "errorCode": code, "errorMsg": message}
    if service and ep is not None and ep.errors == "maxcompute":
        return mc
    body = {"RequestId": request_id, "HostId": host or "", "Code": code, "Message": message,
            "Recommend": "https://api.aliyun.com/troubleshoot?q=%s&product=%s"
                         % (code, ep.product if ep else "unknown")}
    if ep is not None and ep.errors == "maxcompute":
        body.update(mc)
    return body


def huawei_error(code, message, request_id, gateway=True):
    body = {"error_code": code, "error_msg": message}
    if gateway:
        body["request_id"] = request_id
    return body


# --------------------------------------------------------------------------------------------------
# The handler
# --------------------------------------------------------------------------------------------------

class Reply:
    def __init__(self, status, body, content_type="application/json;charset=utf-8", headers=None, mode="full"):
        self.status = status
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})
        self.mode = mode   # "full", "truncated" or "drop"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"     # keep-alive, as the SDKs' connection pools expect
    # Headers and body go out in two writes; without TCP_NODELAY each response waits ~40 ms on loopback for
    # the client's delayed ACK, which no real cloud adds and which would distort every timing.
    disable_nagle_algorithm = True
    server_version = "jobscope-emulator"
    sys_version = ""

    def log_message(self, fmt, *args):
        if self.server.state.verbose:
            sys.stderr.write("emulator: %s\n" % (fmt % args))

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def do_PUT(self):
        self._dispatch("PUT")

    def _dispatch(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        raw_path, dummy, raw_query = self.path.partition("?")
        try:
            if raw_path.startswith("/_emulator/") or raw_path == "/_emulator":
                reply = self._control(method, raw_path[len("/_emulator"):], raw_query, body)
            else:
                reply = self._api(method, raw_path, raw_query, body)
        except Exception as err:  # pylint: disable=broad-except
            # A bug in the emulator must not look like a network fault to the client under test.
            traceback.print_exc(file=sys.stderr)
            reply = Reply(500, {"ok": False, "error": "emulator internal error: %r" % err})
        self._send(reply)

    def _send(self, reply):
        if reply.mode == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.mode == "truncated":
            self.send_header("Connection", "close")
        self.end_headers()
        if reply.mode == "truncated":
            self.wfile.write(reply.body[:len(reply.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.wfile.write(reply.body)

    # ---- the list APIs ---------------------------------------------------------------------------

    def _headers(self):
        headers = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        return headers

    def _api(self, method, raw_path, raw_query, body):
        st = self.server.state
        arrived = time.time()
        headers = self._headers()
        host = (headers.get("host") or [""])[0]
        params = {}
        for key, value in split_query(raw_query):
            params.setdefault(key, "" if value is None else value)
        ep, path_params = route(unquote(raw_path))
        huawei = ep.cloud == "huawei" if ep else raw_path.startswith("/v1")
        request_id = uuid.uuid4().hex if huawei else str(uuid.uuid4()).upper()
        if ep is not None and ep.errors == "maxcompute":
            request_id = uuid.uuid4().hex[:30]
        id_header = {"X-Request-Id": request_id} if huawei else {"x-acs-request-id": request_id}
        entry = {"time": arrived, "method": method, "path": raw_path, "query": raw_query, "params": params,
                 "headers": {k: ", ".join(v) for k, v in headers.items()}, "endpoint": ep.name if ep else None,
                 "request_id": request_id, "auth": None, "access_key_id": None, "fault": None, "status": None,
                 "code": None, "canonical_request": None}

        def done(reply, code=None):
            entry["status"] = None if reply.mode == "drop" else reply.status
            entry["code"] = code
            st.log.append(entry)
            return reply

        def error(status, code, message, service=False):
            if huawei:
                return Reply(status, huawei_error(code, message, request_id, gateway=not service), headers=id_header)
            return Reply(status, alibaba_error(ep, status, code, message, request_id, host, service=service),
                         headers=id_header)

        if ep is None or method != "GET":
            code = "APIG.0101" if huawei else "InvalidAction.NotFound"
            return done(error(404, code, "The API does not exist or has not been published: %s %s"
                              % (method, raw_path)), code)
        served_before = st.count_request() - 1

        # 2. authentication (pure)
        auth_error, outcome = None, None
        try:
            if ep.cloud == "alibaba":
                outcome = st.alibaba.verify(method, raw_path, raw_query, headers, body, ep.action, ep.version)
            else:
                outcome = st.huawei.verify(method, raw_path, raw_query, headers, body)
            entry["auth"] = "ok"
            entry["access_key_id"] = outcome.access_key_id
            entry["canonical_request"] = outcome.canonical_request
        except AuthError as err:
            auth_error = err
            entry["auth"] = err.code
            entry["canonical_request"] = err.canonical_request

        # 3. faults and latency
        delay_ms, fault = st.faults.pick(ep.name)
        delay_ms += st.latency_ms
        if delay_ms:
            time.sleep(delay_ms / 1000.0)

        # 4. gateway answers
        if fault is not None and fault.kind != "truncated":
            entry["fault"] = fault.kind
            return done(*self._fault_reply(fault, huawei, error, id_header))
        if st.bucket is not None and not st.bucket.take():
            entry["fault"] = "rate_limit"
            if huawei:
                reply = error(429, "APIG.0308", "The request is throttled.")
                reply.headers["Retry-After"] = "1"
                return done(reply, "APIG.0308")
            return done(error(400, "Throttling.User", "Request was denied due to user flow control."),
                        "Throttling.User")
        if auth_error is not None:
            return done(error(auth_error.status, auth_error.code, auth_error.message), auth_error.code)

        # 5. replay protection
        if outcome.nonce is not None and not st.nonces.consume(outcome.nonce):
            entry["auth"] = "SignatureNonceUsed"
            return done(error(400, "SignatureNonceUsed", "Specified signature nonce was used already."),
                        "SignatureNonceUsed")

        # 6. the service
        ds = st.dataset
        caller = outcome.principal.get("user_id") if outcome.principal else None
        try:
            with ds.lock:
                st.changes.apply_due(ds, time.time(), served_before)
                page = list_page(ep, ds, path_params, params, request_id, caller_user_id=caller, cache=st.cache,
                                 cap=st.page_caps.get(ep.name))
        except ParamError as err:
            return done(error(err.status, err.code, err.message, service=True), err.code)
        reply = Reply(200, ep.envelope(page), headers=id_header)
        if fault is not None:   # truncated: the service answered, the connection broke half-way
            entry["fault"] = fault.kind
            reply.mode = "truncated"
        return done(reply)

    @staticmethod
    def _fault_reply(fault, huawei, error, id_header):
        if fault.kind == "drop":
            return Reply(0, b"", mode="drop"), None
        if fault.kind == "malformed":
            return Reply(fault.status or 200, _GARBAGE, headers=id_header), None
        if fault.kind == "html":
            return Reply(fault.status or 502, _HTML_502, content_type="text/html", headers=id_header), None
        if fault.kind == "throttle":
            if huawei:
                status, code = fault.status or 429, fault.code or "APIG.0308"
                reply = error(status, code, fault.message or "The request is throttled.")
                reply.headers["Retry-After"] = str(1 if fault.retry_after is None else fault.retry_after)
            else:
                status, code = fault.status or 400, fault.code or "Throttling.User"
                reply = error(status, code, fault.message or "Request was denied due to user flow control.")
                if fault.retry_after is not None:
                    reply.headers["x-acs-retry-after"] = str(fault.retry_after)
            return reply, code
        # "error"
        status = fault.status or 503
        code = fault.code or ("APIG.0201" if huawei else "ServiceUnavailable")
        reply = error(status, code, fault.message or "The request has failed due to a temporary failure of the "
                      "server.")
        if fault.retry_after is not None:
            reply.headers["Retry-After" if huawei else "x-acs-retry-after"] = str(fault.retry_after)
        return reply, code

    # ---- the control API -----------------------------------------------------------------------

    def _control(self, method, path, raw_query, body):
        st = self.server.state
        query = dict((k, v or "") for k, v in split_query(raw_query))
        try:
            payload = json.loads(body.decode("utf-8")) if body.strip() else {}
        except ValueError:
            return Reply(400, {"ok": False, "error": "the body must be JSON"})
        if not isinstance(payload, dict):
            return Reply(400, {"ok": False, "error": "the body must be a JSON object"})
        try:
            result = self._control_route(st, method, path.rstrip("/"), query, payload)
        except (ControlError, datasets.SpecError) as err:
            return Reply(400, {"ok": False, "error": str(err)})
        if result is None:
            return Reply(404, {"ok": False, "error": "no control route %s %s" % (method, path)})
        return Reply(200, result)

    @staticmethod
    def _control_route(st, method, path, query, payload):
        if (method, path) == ("GET", "/health"):
            return {"ok": True}
        if (method, path) == ("POST", "/reset"):
            spec = datasets.load_spec(payload) if payload else st.dataset.spec
            st.reset(spec)
            return dict(st.describe(), ok=True)
        if (method, path) == ("GET", "/config"):
            return st.describe()
        if (method, path) == ("POST", "/config"):
            st.configure(payload)
            return dict(st.describe(), ok=True)
        if (method, path) == ("GET", "/endpoints"):
            return {"endpoints": [ep.describe() for ep in ENDPOINTS]}
        if (method, path) == ("GET", "/requests"):
            since = int(query.get("since") or 0)
            return st.log.snapshot(query.get("endpoint") or None, since)
        if (method, path) == ("DELETE", "/requests"):
            st.log.clear()
            return {"ok": True}
        if (method, path) == ("GET", "/faults"):
            return {"faults": st.faults.to_list()}
        if (method, path) == ("POST", "/faults"):
            faults = payload.get("faults")
            if not isinstance(faults, list):
                raise ControlError("the body is {\"faults\": [...]}")
            st.faults.add(faults)
            return {"ok": True, "faults": st.faults.to_list()}
        if (method, path) == ("DELETE", "/faults"):
            st.faults.clear()
            return {"ok": True}
        if (method, path) == ("GET", "/changes"):
            return {"changes": st.changes.to_list()}
        if (method, path) == ("POST", "/changes"):
            changes = payload.get("changes")
            if not isinstance(changes, list):
                raise ControlError("the body is {\"changes\": [...]}")
            ds = st.dataset
            with ds.lock:
                st.changes.add(changes, ds, time.time(), st.api_requests)
                applied = st.changes.apply_due(ds, time.time(), st.api_requests)
            return {"ok": True, "applied": applied, "pending": st.changes.to_list()}
        if (method, path) == ("DELETE", "/changes"):
            st.changes.clear()
            return {"ok": True}
        if method == "GET" and path.startswith("/items/"):
            return items_snapshot(st, path[len("/items/"):], query)
        return None


def items_snapshot(st, collection, query):
    if collection not in datasets.COLLECTIONS:
        raise ControlError("collection must be one of %s" % ", ".join(datasets.COLLECTIONS))
    ds = st.dataset
    with ds.lock:
        st.changes.apply_due(ds, time.time(), st.api_requests)
        workspace = query.get("workspace") or None
        if collection in datasets.SCOPED and workspace is not None:
            cores = list(ds.items(collection, workspace))
        else:
            cores = [c for scope in ds.scopes(collection) for c in ds.items(collection, scope)]
        offset = int(query.get("offset") or 0)
        limit = int(query.get("limit") or len(cores))
        cores = cores[offset:offset + limit]
        items = [ds.wire(collection, c) for c in cores]
        hidden = {}
        if datasets.TYPES[collection].hidden:
            id_key = datasets.TYPES[collection].id_key
            hidden = {str(c[id_key]): ds.hidden(collection, c) for c in cores}
    return {"collection": collection, "count": len(items), "items": items, "hidden": hidden}


# --------------------------------------------------------------------------------------------------
# Running it
# --------------------------------------------------------------------------------------------------

def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True            # a hung client never keeps the process alive
    allow_reuse_address = True
    request_queue_size = 128         # benchmarks open many connections at once


class _Server6(_Server):
    address_family = socket.AF_INET6


class Emulator:
    """The emulator in this process, for pytest fixtures.

        with Emulator("demo").start() as emu:
            emu.url  # http://127.0.0.1:PORT
    """

    def __init__(self, dataset="demo", host="127.0.0.1", port=0, latency_ms=None, clock=time.time, verbose=False,
                 page_caps=None):
        if not _is_loopback(host):
            raise ValueError("the emulator binds to loopback only, not %r" % host)
        datasets.validate_page_caps(page_caps)
        self.state = State(datasets.load_spec(dataset), clock=clock, latency_ms=latency_ms, verbose=verbose,
                           page_caps=page_caps)
        self.host = host
        self._requested_port = port
        self._httpd = None
        self._thread = None

    def start(self):
        cls = _Server6 if ":" in self.host else _Server
        self._httpd = cls((self.host, self._requested_port), Handler)
        self._httpd.state = self.state
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="jobscope-emulator", daemon=True)
        self._thread.start()
        return self

    @property
    def port(self):
        return self._httpd.server_address[1]

    @property
    def url(self):
        host = "[%s]" % self.host if ":" in self.host else self.host
        return "http://%s:%d" % (host, self.port)

    def stop(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = None

    def __enter__(self):
        if self._httpd is None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # In-process equivalents of the control API (same validation, no HTTP round trip).
    def reset(self, dataset=None):
        self.state.reset(datasets.load_spec(dataset) if dataset is not None else self.state.dataset.spec)

    def add_faults(self, faults):
        self.state.faults.add(faults)

    def clear_faults(self):
        self.state.faults.clear()

    def add_changes(self, changes):
        ds = self.state.dataset
        with ds.lock:
            self.state.changes.add(changes, ds, time.time(), self.state.api_requests)
            self.state.changes.apply_due(ds, time.time(), self.state.api_requests)

    def configure(self, **settings):
        self.state.configure(settings)

    def requests(self, endpoint=None):
        return self.state.log.snapshot(endpoint)["requests"]

    def clear_requests(self):
        self.state.log.clear()

    def snapshot(self, collection, workspace=None):
        """Same as GET /_emulator/items/<collection>: {"collection", "count", "items", "hidden"}."""
        return items_snapshot(self.state, collection, {"workspace": workspace} if workspace else {})

    def items(self, collection, workspace=None):
        return self.snapshot(collection, workspace)["items"]

    @property
    def credentials(self):
        return self.state.dataset.credentials


def main(argv=None):
    parser = argparse.ArgumentParser(description="Local emulator of the five jobscope.cloud list APIs.")
    parser.add_argument("--port", type=int, default=0, help="TCP port; 0 picks a free one (default)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--dataset", default="demo", help="builtin name (demo, empty) or path to a JSON spec")
    parser.add_argument("--port-file", help="write the bound port number to this file")
    parser.add_argument("--latency-ms", type=int, default=None, help="sleep this long before every API answer")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    parser.add_argument("--page-cap", action="append", default=[], metavar="ENDPOINT=N",
                        help="serve at most N items per page of ENDPOINT (e.g. ListJobs=50) whatever is asked; "
                             "repeatable")
    args = parser.parse_args(argv)
    try:
        caps = {}
        for cap in args.page_cap:
            name, sep, size = cap.partition("=")
            if not sep or not size.strip().isdigit():
                raise ValueError("--page-cap takes ENDPOINT=N, got %r" % cap)
            caps[name.strip()] = int(size)
        emu = Emulator(args.dataset, host=args.host, port=args.port, latency_ms=args.latency_ms,
                       verbose=args.verbose, page_caps=caps)
    except (ValueError, datasets.SpecError) as err:
        parser.error(str(err))
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *args: stop.set())
    emu.start()
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="ascii") as handle:
            handle.write("%d\n" % emu.port)
        os.replace(tmp, args.port_file)
    sys.stdout.write("emulator listening on %s\n" % emu.url)
    sys.stdout.flush()
    while not stop.wait(0.5):
        pass
    emu.stop()
    return 0
