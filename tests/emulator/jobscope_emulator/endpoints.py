"""The five list endpoints as one table of declarations, and the engine that serves any of them.

A declaration says where the endpoint lives (path regex, x-acs-action/version), which collection it
lists, how it pages, which query parameters filter on which item fields, and how the response body is
wrapped.  Serving is the same for all five: validate paging, build filter predicates, filter (cached per
dataset version), sort, slice, render, wrap.  Adding an endpoint means adding a declaration here and a
collection in datasets.py; nothing in the server changes.
"""

import collections
import json
import re
import threading

from .datasets import iso, parse_iso


class ParamError(Exception):
    """A request parameter the service refuses (HTTP 400, or 403 for the project check)."""

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def parse_bool(name, value):
    # Booleans: the documented form is lower-case; the Alibaba SDK sends Python's True/False.
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise ParamError("InvalidParameter", "The parameter %s must be true or false, got %r." % (name, value))


def parse_int(name, value, code="InvalidParameter"):
    try:
        return int(value)
    except ValueError:
        raise ParamError(code, "The parameter %s must be an integer, got %r." % (name, value))


class Request:
    """What filters may look at besides the query: the dataset, the caller, the clock."""

    def __init__(self, dataset, collection, params, caller_user_id=None):
        self.dataset = dataset
        self.collection = collection
        self.params = params
        self.caller_user_id = caller_user_id

    def get(self, name):
        value = self.params.get(name)
        return None if value in (None, "") else value   # an empty value means "not given"

    def value(self, core, path):
        return self.dataset.value(self.collection, core, path)


# --------------------------------------------------------------------------------------------------
# Filters.  build(request) returns a list of (cache_key, predicate); raising ParamError refuses the call.
# --------------------------------------------------------------------------------------------------

class Filter:
    param = None
    required = False
    missing_code = "MissingParameter"

    def __init__(self, param, field=None, required=False, unless=None, yields_to=None):
        self.param = param
        self.field = field or param
        self.required = required
        self.unless = unless   # a boolean parameter that, when true, switches this filter off
        self.yields_to = yields_to   # a parameter that, when given, takes precedence (this filter is off)

    @property
    def params(self):
        return (self.param,)

    def build(self, req):
        raw = req.get(self.param)
        if raw is None:
            if self.required:
                raise ParamError(self.missing_code, "The parameter %s is required." % self.param)
            return []
        if self.unless and req.get(self.unless) is not None and parse_bool(self.unless, req.get(self.unless)):
            return []
        if self.yields_to and req.get(self.yields_to) is not None:
            return []
        return [((type(self).__name__, self.param, raw), self.predicate(req, raw))]

    def predicate(self, req, raw):
        raise NotImplementedError


class Exact(Filter):
    """Equality with the item field; cast converts the query text first (e.g. int for a Long)."""

    def __init__(self, param, field=None, cast=None, **kwargs):
        super().__init__(param, field, **kwargs)
        self.cast = cast

    def predicate(self, req, raw):
        want = raw
        if self.cast is int:
            want = parse_int(self.param, raw)
        return lambda core: req.value(core, self.field) == want


class Fuzzy(Filter):
    """Case-insensitive substring match (PAI-DLC's "fuzzy query", no wildcards)."""

    def predicate(self, req, raw):
        needle = raw.lower()
        return lambda core: needle in str(req.value(core, self.field) or "").lower()


class Caseless(Filter):
    """Case-insensitive equality (PAI-DLC JobId: no fuzzy match, case-insensitive)."""

    def predicate(self, req, raw):
        want = raw.lower()
        return lambda core: str(req.value(core, self.field) or "").lower() == want


class FullText(Filter):
    """PAI-DLC's full-text retrieval: every word of the query occurs (case-insensitively) in the text that
    ``text(item value)`` extracts from the field.  The real index tokenizes Chinese too; words split on
    whitespace are close enough for a test double."""

    def __init__(self, param, field, text=None, **kwargs):
        super().__init__(param, field, **kwargs)
        self.text = text or (lambda value: str(value or ""))

    def predicate(self, req, raw):
        words = [w.lower() for w in raw.split()]
        return lambda core: all(w in self.text(req.value(core, self.field)).lower() for w in words)


class BoolField(Filter):
    """A true/false parameter matched against a boolean the item carries (``value(item value)``)."""

    def __init__(self, param, field, value, **kwargs):
        super().__init__(param, field, **kwargs)
        self.value = value

    def predicate(self, req, raw):
        want = parse_bool(self.param, raw)
        return lambda core: self.value(req.value(core, self.field)) == want


class NumericRange:
    """NumericRangeField names a numeric item field; NumericRangeMin/Max bound it, inclusive.  A bound without
    the field, a field without a bound, or a field that is not numeric is refused."""

    def __init__(self, field, low, high, fields):
        self.field, self.low, self.high, self.fields = field, low, high, fields

    @property
    def params(self):
        return (self.field, self.low, self.high)

    def build(self, req):
        name, lo, hi = req.get(self.field), req.get(self.low), req.get(self.high)
        if name is None and lo is None and hi is None:
            return []
        if name is None:
            raise ParamError("InvalidParameter", "The parameter %s is required with %s or %s."
                             % (self.field, self.low, self.high))
        if name not in self.fields:
            raise ParamError("InvalidParameter", "The parameter %s must be one of %s."
                             % (self.field, ", ".join(self.fields)))
        if lo is None and hi is None:
            raise ParamError("InvalidParameter", "The parameter %s needs %s or %s." % (self.field, self.low, self.high))
        lo = parse_int(self.low, lo) if lo is not None else None
        hi = parse_int(self.high, hi) if hi is not None else None

        def match(core):
            try:
                value = float(req.value(core, name))
            except (TypeError, ValueError):
                return False
            return (lo is None or value >= lo) and (hi is None or value <= hi)
        return [(("NumericRange", name, lo, hi), match)]


class AnyOf(Filter):
    """A comma-joined list of values; the item matches when its field equals any of them."""

    def predicate(self, req, raw):
        wanted = set(v for v in raw.split(",") if v != "")
        return lambda core: req.value(core, self.field) in wanted


class TagsSubset(Filter):
    """A compact JSON map; the item matches when every given tag is among its tags."""

    def predicate(self, req, raw):
        try:
            wanted = json.loads(raw)
        except ValueError:
            raise ParamError("InvalidParameter", "The parameter %s must be a JSON object." % self.param)
        if not isinstance(wanted, dict):
            raise ParamError("InvalidParameter", "The parameter %s must be a JSON object." % self.param)
        wanted = {str(k): str(v) for k, v in wanted.items()}

        def match(core):
            tags = req.value(core, self.field) or {}
            return all(k in tags and str(tags[k]) == v for k, v in wanted.items())
        return match


class OwnOnly(Filter):
    """A boolean; when true only the items whose field is the calling user's id remain."""

    def predicate(self, req, raw):
        if not parse_bool(self.param, raw):
            return lambda core: True
        me = req.caller_user_id
        return lambda core: req.value(core, self.field) == me


class Flag(Filter):
    """A boolean that only modifies other filters (see Filter.unless); validated, never filters."""

    def predicate(self, req, raw):
        parse_bool(self.param, raw)
        return lambda core: True


class Mapped(Filter):
    """Each accepted value stands for a conjunction of field equalities; other values are refused."""

    def __init__(self, param, choices, **kwargs):
        super().__init__(param, **kwargs)
        self.choices = choices

    def predicate(self, req, raw):
        if raw not in self.choices:
            raise ParamError("InvalidParameter", "The parameter %s must be one of %s."
                             % (self.param, ", ".join(sorted(self.choices))))
        conditions = self.choices[raw]
        return lambda core: all(req.value(core, f) == v for f, v in conditions.items())


class JsonMsRange(Filter):
    """One JSON object {"startTime": ms, "endTime": ms}, both optional, inclusive (EMR submitTime)."""

    def predicate(self, req, raw):
        try:
            window = json.loads(raw)
        except ValueError:
            window = None
        if not isinstance(window, dict) or not all(isinstance(window.get(k, 0), int) and not isinstance(
                window.get(k, 0), bool) for k in ("startTime", "endTime")):
            raise ParamError("InvalidParameter", "The parameter %s must be a JSON object like "
                             "{\"startTime\":ms,\"endTime\":ms}." % self.param)
        lo, hi = window.get("startTime"), window.get("endTime")
        return lambda core: (lo is None or req.value(core, self.field) >= lo) and \
            (hi is None or req.value(core, self.field) <= hi)


class Window:
    """A time window given as two parameters, inclusive on both ends, on one item field.

    kind 'iso': ISO 8601 UTC strings compared against an ISO field (same format, so text order is
    time order); each bound may default relative to the dataset clock (PAI-DLC: start = now - 7 days,
    end = now).  kind 'epoch': integer epoch seconds, both required (MaxCompute from/to).
    """

    def __init__(self, start, end, field, kind, default_start=None, required=False, field_param=None,
                 fields=()):
        self.start, self.end, self.field, self.kind = start, end, field, kind
        self.default_start = default_start   # seconds before now
        self.required = required
        self.field_param = field_param       # a parameter naming another time field to filter on (PAI-DLC
        self.fields = fields                 # TimeRangeField), one of fields; field is the default

    @property
    def params(self):
        return (self.start, self.end) + ((self.field_param,) if self.field_param else ())

    def _field(self, req):
        name = req.get(self.field_param) if self.field_param else None
        if name is None:
            return self.field
        if name not in self.fields:
            raise ParamError("InvalidParameter", "The parameter %s must be one of %s."
                             % (self.field_param, ", ".join(self.fields)))
        return name

    def _bound(self, req, name):
        raw = req.get(name)
        if raw is None:
            if self.required:
                raise ParamError("MissingParameter", "The parameter %s is required." % name)
            return None
        if self.kind == "epoch":
            return parse_int(name, raw)
        try:
            return iso(parse_iso(raw))
        except ValueError:
            raise ParamError("InvalidParameter", "The parameter %s must be an ISO 8601 UTC time such as "
                             "2024-01-01T00:00:00Z, got %r." % (name, raw))

    def build(self, req):
        field = self._field(req)
        lo, hi = self._bound(req, self.start), self._bound(req, self.end)
        if self.kind == "iso" and self.default_start is not None:
            now = req.dataset.now_ms() // 1000
            lo = lo if lo is not None else iso(now - self.default_start)
            hi = hi if hi is not None else iso(now)
        if lo is None and hi is None:
            return []

        def match(core):
            value = req.value(core, field)
            if value in (None, ""):   # a time the job has not reached (not finished yet) is outside any range
                return False
            return (lo is None or value >= lo) and (hi is None or value <= hi)
        return [(("Window", field, lo, hi), match)]


class RequiredWhen:
    """A parameter that must be given when another has a given value (Octopus cluster_id)."""

    def __init__(self, param, when, value, code):
        self.param, self.when, self.value, self.code = param, when, value, code

    @property
    def params(self):
        return ()   # a rule about parameters other filters declare

    def build(self, req):
        if req.get(self.when) == self.value and req.get(self.param) is None:
            raise ParamError(self.code, "The parameter %s is required when %s is %s."
                             % (self.param, self.when, self.value))
        return []


# --------------------------------------------------------------------------------------------------
# Paging and sorting
# --------------------------------------------------------------------------------------------------

class PageNumber:
    """pageNumber/pageSize style: 1-based page number.

    maximum: the largest size the API reference documents (larger is refused), or None where the reference
    states none (any size >= 1 is accepted).  cap: a smaller size the server silently serves instead of the
    one asked for (a control setting, see State.page_caps); the page number counts pages of the capped size.
    """

    def __init__(self, number, size, default, maximum=None):
        self.number, self.size, self.default, self.maximum = number, size, default, maximum

    def parse(self, req, code, cap=None):
        number = parse_int(self.number, req.get(self.number), code) if req.get(self.number) else 1
        size = parse_int(self.size, req.get(self.size), code) if req.get(self.size) else self.default
        if number < 1:
            raise ParamError(code, "The parameter %s must be at least 1." % self.number)
        _check_size(self.size, size, self.maximum, code)
        size = min(size, cap) if cap else size
        return (number - 1) * size, size, {"number": number, "size": size}


class OffsetLimit:
    """offset/limit style: 0-based offset; limit as PageNumber's size (maximum, cap)."""

    def __init__(self, offset, limit, default, maximum=None):
        self.offset, self.limit, self.default, self.maximum = offset, limit, default, maximum

    def parse(self, req, code, cap=None):
        offset = parse_int(self.offset, req.get(self.offset), code) if req.get(self.offset) else 0
        limit = parse_int(self.limit, req.get(self.limit), code) if req.get(self.limit) else self.default
        if offset < 0:
            raise ParamError(code, "The parameter %s must not be negative." % self.offset)
        _check_size(self.limit, limit, self.maximum, code)
        limit = min(limit, cap) if cap else limit
        return offset, limit, {"offset": offset, "limit": limit}


def _check_size(name, size, maximum, code):
    if size < 1:
        raise ParamError(code, "The parameter %s must be at least 1, got %d." % (name, size))
    if maximum is not None and size > maximum:
        raise ParamError(code, "The parameter %s must be between 1 and %d, got %d." % (name, maximum, size))


class Sort:
    """SortBy/Order: sort on one of the allowed fields, ties keep the listing order."""

    def __init__(self, by, order, fields, default_field, default_order="desc"):
        self.by, self.order, self.fields = by, order, fields
        self.default_field, self.default_order = default_field, default_order

    def parse(self, req):
        field = req.get(self.by) or self.default_field
        if field not in self.fields:
            raise ParamError("InvalidParameter", "The parameter %s must be one of %s."
                             % (self.by, ", ".join(self.fields)))
        order = (req.get(self.order) or self.default_order).lower()
        if order not in ("asc", "desc"):
            raise ParamError("InvalidParameter", "The parameter %s must be asc or desc." % self.order)
        return field, order

    @staticmethod
    def apply(req, cores, field, order):
        # Python's sort is stable even with reverse=True, so ties keep the listing order.  Unset values
        # (None) sort before set ones ascending; "" already sorts first among strings.
        def key(core):
            value = req.value(core, field)
            return (value is not None, value if value is not None else 0)
        return sorted(cores, key=key, reverse=(order == "desc"))


# --------------------------------------------------------------------------------------------------
# The declarations
# --------------------------------------------------------------------------------------------------

class Endpoint:
    def __init__(self, name, cloud, path, collection, paging, envelope, action=None, version=None, product=None,
                 scope=None, project=None, filters=(), sort=None, errors="acs"):
        self.name = name
        self.cloud = cloud             # "alibaba" (ACS3 signature) or "huawei" (APIG signature/token)
        self.product = product         # Alibaba product code, used in the error body's Recommend link
        self.path = re.compile("^%s$" % path)
        self.action, self.version = action, version
        self.collection = collection
        self.scope = scope             # path parameter that selects the item scope (EMR workspace)
        self.project = project         # path parameter that must equal the configured project id
        self.paging = paging
        self.filters = filters
        self.sort = sort
        self.envelope = envelope       # (page, request) -> body
        self.errors = errors           # style of service errors: "acs", "maxcompute" or "octopus"

    @property
    def param_error_code(self):
        return "octopus.400001" if self.errors == "octopus" else "InvalidParameter"

    def describe(self):
        """The declaration as JSON (GET /_emulator/endpoints)."""
        paging = self.paging
        if isinstance(paging, OffsetLimit):
            page = {"style": "offset", "offset": paging.offset, "limit": paging.limit}
        else:
            page = {"style": "page_number", "number": paging.number, "size": paging.size}
        page.update(default=paging.default, maximum=paging.maximum)
        return {"name": self.name, "cloud": self.cloud, "method": "GET", "path": self.path.pattern,
                "action": self.action, "version": self.version, "collection": self.collection, "paging": page,
                "filters": [p for f in self.filters for p in f.params],
                "sort": [self.sort.by, self.sort.order, list(self.sort.fields)] if self.sort else None}


class Page:
    def __init__(self, items, total, info, request_id, now_ms):
        self.items, self.total, self.info, self.request_id, self.now_ms = items, total, info, request_id, now_ms


_DLC_TIME_FIELDS = ("GmtCreateTime", "GmtSubmittedTime", "GmtRunningTime", "GmtFinishTime", "GmtModifiedTime",
                    "GmtSuccessedTime", "GmtStoppedTime", "GmtFailedTime")
_DLC_NUMERIC_FIELDS = ("Priority", "Duration", "RequestCPU", "RetryCount", "JobMaxRunningTimeMinutes")
_DLC_SORT_FIELDS = ("GmtCreateTime", "DisplayName", "Status", "GmtFinishTime", "GmtRunningTime", "Duration",
                    "GmtSubmittedTime", "GmtModifiedTime", "JobId", "JobType", "Priority")

ENDPOINTS = (
    Endpoint(
        name="ListRayCluster", cloud="alibaba", action="ListRayCluster", version="2023-08-08",
        product="emr-serverless-spark",
        path=r"/api/v1/workspaces/(?P<workspaceId>[^/]+)/rayCluster",
        collection="emr_ray_clusters", scope="workspaceId",
        paging=PageNumber("pageNum", "pageSize", default=20, maximum=100),   # documented: 1 to 100
        # No totalCount: clients must stop at the first page shorter than pageSize.
        envelope=lambda p: {"requestId": p.request_id, "rayClusters": p.items},
    ),
    Endpoint(
        name="ListRayJob", cloud="alibaba", action="ListRayJob", version="2023-08-08",
        product="emr-serverless-spark",
        path=r"/api/v1/workspaces/(?P<workspaceId>[^/]+)/rayJob",
        collection="emr_ray_jobs", scope="workspaceId",
        paging=PageNumber("pageNum", "pageSize", default=20),   # no documented maximum
        filters=(Exact("submissionId"), Exact("name"), Exact("taskBizId"), JsonMsRange("submitTime")),
        envelope=lambda p: {"requestId": p.request_id, "totalCount": p.total, "rayJobs": p.items},
    ),
    Endpoint(
        name="ListJobs", cloud="alibaba", action="ListJobs", version="2020-12-03", product="pai-dlc",
        path=r"/api/v1/jobs",
        collection="pai_dlc_jobs",
        paging=PageNumber("PageNumber", "PageSize", default=10),   # no documented maximum
        filters=(
            Fuzzy("DisplayName"), Exact("JobType"), Exact("Status"),
            Window("StartTime", "EndTime", field="GmtCreateTime", kind="iso", default_start=7 * 86400,
                   field_param="TimeRangeField", fields=_DLC_TIME_FIELDS),
            OwnOnly("ShowOwn", field="UserId"),
            Flag("FromAllWorkspaces"),
            Exact("WorkspaceId", unless="FromAllWorkspaces"),
            Exact("ResourceId"), AnyOf("ResourceIds", field="ResourceId"),
            Exact("BusinessUserId", field="Settings.BusinessUserId"),
            Exact("Caller", field="Settings.Caller"),
            TagsSubset("Tags", field="Settings.Tags"),
            Exact("PipelineId", field="Settings.PipelineId"),
            Caseless("JobId"), AnyOf("JobIds", field="JobId", yields_to="JobId"),
            Exact("PaymentType"), Exact("TemplateId"), Fuzzy("Description"),
            BoolField("EnableAssignNode", field="JobSpecs", value=lambda specs: any(
                ((spec or {}).get("AssignNodeSpec") or {}).get("EnableAssignNode") is True for spec in specs or ())),
            FullText("ImageSearch", field="JobSpecs",
                     text=lambda specs: " ".join(str((spec or {}).get("Image") or "") for spec in specs or ())),
            FullText("ReasonSearch", field="ReasonMessage"),
            FullText("UserCommandSearch", field="UserCommand"),
            NumericRange("NumericRangeField", "NumericRangeMin", "NumericRangeMax", fields=_DLC_NUMERIC_FIELDS),
            Exact("UserIdForFilter", field="UserId"),
            Fuzzy("Username"), Fuzzy("ResourceQuotaName"), Exact("Accessibility"),
            Mapped("OversoldInfo", {
                "ForbiddenQuotaOverSold": {"Settings.OversoldType": "ForbiddenQuotaOverSold"},
                "ForceQuotaOverSold": {"Settings.OversoldType": "ForceQuotaOverSold"},
                "AcceptQuotaOverSold-true": {"Settings.OversoldType": "AcceptQuotaOverSold",
                                             "UseOversoldResource": True},
                "AcceptQuotaOverSold-false": {"Settings.OversoldType": "AcceptQuotaOverSold",
                                              "UseOversoldResource": False},
            }),
        ),
        sort=Sort("SortBy", "Order", _DLC_SORT_FIELDS, default_field="GmtCreateTime"),
        envelope=lambda p: {"RequestId": p.request_id, "TotalCount": p.total, "Jobs": p.items},
    ),
    Endpoint(
        name="GetRunningJobs", cloud="alibaba", action="GetRunningJobs", version="2022-01-04",
        product="MaxCompute",
        path=r"/api/v1/jobs/runningJobs",
        collection="maxcompute_running_jobs", errors="maxcompute",
        paging=PageNumber("pageNumber", "pageSize", default=10, maximum=20),   # documented: at most 20
        filters=(
            Window("from", "to", field="submittedAtTime", kind="epoch", required=True),
            AnyOf("jobOwnerList", field="jobOwner"),
            AnyOf("quotaNicknameList", field="quotaNickname"),
        ),
        envelope=lambda p: {
            "requestId": p.request_id, "httpCode": 200, "errorCode": "success", "errorMsg": "",
            "data": {"runningJobInfoList": p.items, "totalCount": p.total,
                     "pageNumber": p.info["number"], "pageSize": p.info["size"]},
        },
    ),
    Endpoint(
        name="QueryQueuedJobList", cloud="huawei",
        path=r"/v1\.0/(?P<project_id>[^/]+)/data/queuing-jobs",
        collection="octopus_queued_jobs", project="project_id", errors="octopus",
        paging=OffsetLimit("offset", "limit", default=10),   # no documented maximum
        filters=(
            Exact("queue_type", required=True),
            Exact("job_id", cast=int), Exact("output_type"), Exact("job_type"), Exact("data_id"),
            Exact("processor_name"), Exact("cluster_type"), Exact("cluster_id"),
            RequiredWhen("cluster_id", when="cluster_type", value="MODELARTS", code="octopus.400001"),
        ),
        envelope=lambda p: {
            "meta_info": {"current_time": iso(p.now_ms // 1000)},
            "payload": {"list": p.items, "page_info": {"offset": p.info["offset"], "limit": p.info["limit"],
                                                       "total": p.total}},
        },
    ),
)

ENDPOINTS_BY_NAME = {ep.name: ep for ep in ENDPOINTS}


def route(path):
    """Decoded path -> (endpoint, path parameters) or (None, None)."""
    for ep in ENDPOINTS:
        match = ep.path.match(path)
        if match:
            return ep, match.groupdict()
    return None, None


class ListingCache:
    """Filtered and sorted listings keyed by (dataset version, endpoint, scope, filters, sort).

    Paging through 100,000 items 100 at a time would otherwise filter the whole collection a thousand
    times.  Any data change bumps the dataset version, so a cached listing is never stale.
    """

    def __init__(self, size=64):
        self.size = size
        self._entries = collections.OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key, build):
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = build()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value


def list_page(ep, dataset, path_params, params, request_id, caller_user_id=None, cache=None, cap=None):
    """Serve one page (at most ``cap`` items when set).  The caller holds dataset.lock.  Raises ParamError."""
    req = Request(dataset, ep.collection, params, caller_user_id)
    code = ep.param_error_code
    if ep.project and path_params[ep.project] != dataset.credentials[ep.cloud]["project_id"]:
        raise ParamError("octopus.403001", "Permission denied: project %s is not accessible with these "
                         "credentials." % path_params[ep.project], status=403)
    predicates = []
    for flt in ep.filters:
        try:
            predicates.extend(flt.build(req))
        except ParamError as err:
            if ep.errors == "octopus":
                err.code = code
            raise
    offset, limit, info = ep.paging.parse(req, code, cap)
    sort = ep.sort.parse(req) if ep.sort else None
    scope = path_params.get(ep.scope) if ep.scope else None

    def build():
        cores = dataset.items(ep.collection, scope)
        for dummy, predicate in predicates:
            cores = [c for c in cores if predicate(c)]
        if sort:
            cores = Sort.apply(req, cores, *sort)
        return cores

    key = (dataset.serial, dataset.version, ep.name, scope, caller_user_id, tuple(k for k, dummy in predicates), sort)
    cores = cache.get_or_build(key, build) if cache is not None else build()
    items = [dataset.wire(ep.collection, c) for c in cores[offset:offset + limit]]
    return Page(items, len(cores), info, request_id, dataset.now_ms())
