"""Deterministic datasets for the five list APIs.

An item lives in memory as a small *core* dict: its id, the fields that filters and sorting look at,
and a private primary time ``_t`` (epoch milliseconds) plus its generation index ``_i``.  The full wire
object (a PAI-DLC job is a few kilobytes of nested JSON) is only *rendered* when a page is served, from
the core and from values derived deterministically from (seed, item id).  That is what lets a
100,000-item dataset build in about a second and keeps memory small.

Public fields stored in a core always win over rendered values (they are deep-merged over the rendered
object), which is how ``mix``, per-index ``overrides`` and ``/_emulator/changes`` "set" work uniformly.

Same spec (including a fixed ``now``) -> byte-identical items.  With ``now: null`` the anchor is the
wall clock at build time and all times shift with it; nothing else changes.
"""

import calendar
import copy
import hashlib
import itertools
import json
import os
import random
import threading
import time

COLLECTIONS = ("emr_ray_clusters", "emr_ray_jobs", "pai_dlc_jobs", "maxcompute_running_jobs", "octopus_queued_jobs")
# Collections whose items belong to a workspace (the path parameter of the EMR endpoints).
SCOPED = ("emr_ray_clusters", "emr_ray_jobs")

DEFAULT_CREDENTIALS = {
    "alibaba": {
        "access_key_id": "emuAccessKeyId",
        "access_key_secret": "emuAccessKeySecret",
        "sts_access_key_id": "STS.emuStsKeyId",
        "sts_access_key_secret": "emuStsKeySecret",
        "security_token": "emuSecurityToken",
        # The account user both key pairs act as; PAI-DLC ShowOwn=true keeps the jobs whose UserId is this.
        "user_id": "1557702098194904",
    },
    "huawei": {
        "access_key_id": "emuHwAk",
        "access_key_secret": "emuHwSk",
        "sts_access_key_id": "emuHwStsAk",
        "sts_access_key_secret": "emuHwStsSk",
        "security_token": "emuHwSecurityToken",
        "project_id": "0123456789abcdef0123456789abcdef",
        "auth_token": "emuIamToken",
    },
}

BUILTIN_SPECS = {
    "demo": {
        "seed": 7,
        "now": None,
        "emr_ray_clusters": {"w-demo": {
            "count": 230,
            "mix": {"state": {"Running": 150, "Starting": 40, "Stopped": 30, "Error": 10}},
            # A name an inventory must never template: rendered it would read "42".
            "overrides": [{"index": 7, "set": {"name": "{{ 6 * 7 }}"}}],
        }},
        "emr_ray_jobs": {"w-demo": {"count": 60}},
        "pai_dlc_jobs": {"count": 130, "mix": {"Status": {"Running": 65, "Succeeded": 40, "Failed": 25}}},
        "maxcompute_running_jobs": {"count": 45, "mix": {"quotaNickname": {"q-gold": 23, "q-silver": 22}}},
        "octopus_queued_jobs": {"count": 37, "mix": {"queue_type": {"USER": 37}}},
    },
    "empty": {
        "seed": 0,
        "now": None,
        "emr_ray_clusters": {"w-demo": {"count": 0}},
        "emr_ray_jobs": {"w-demo": {"count": 0}},
        "pai_dlc_jobs": {"count": 0},
        "maxcompute_running_jobs": {"count": 0},
        "octopus_queued_jobs": {"count": 0},
    },
}

_TOP_KEYS = set(COLLECTIONS) | {"seed", "now", "credentials", "latency_ms", "rate_limit", "page_caps"}
_COLLECTION_KEYS = {"count", "mix", "span_seconds", "overrides"}


class SpecError(ValueError):
    """An invalid dataset spec or change request (reported as HTTP 400 by the control API)."""


# --------------------------------------------------------------------------------------------------
# Spec loading
# --------------------------------------------------------------------------------------------------

def load_spec(dataset):
    """A builtin name, a path to a JSON file, or a dict -> validated spec dict (a deep copy)."""
    if dataset is None:
        dataset = "demo"
    if isinstance(dataset, str):
        if dataset in BUILTIN_SPECS:
            spec = copy.deepcopy(BUILTIN_SPECS[dataset])
        elif os.path.exists(dataset):
            with open(dataset, encoding="utf-8") as handle:
                spec = json.load(handle)
        else:
            raise SpecError("dataset %r is neither a builtin (%s) nor an existing file"
                            % (dataset, ", ".join(sorted(BUILTIN_SPECS))))
    elif isinstance(dataset, dict):
        spec = copy.deepcopy(dataset)
    else:
        raise SpecError("a dataset spec must be a JSON object")
    validate_spec(spec)
    return spec


def validate_spec(spec):
    if not isinstance(spec, dict):
        raise SpecError("a dataset spec must be a JSON object")
    unknown = set(spec) - _TOP_KEYS
    if unknown:
        raise SpecError("unknown dataset spec keys: %s" % ", ".join(sorted(unknown)))
    for name in COLLECTIONS:
        if name not in spec:
            continue
        if name in SCOPED:
            if not isinstance(spec[name], dict):
                raise SpecError("%s must map workspace ids to collection specs" % name)
            for workspace, cspec in spec[name].items():
                _validate_collection("%s[%s]" % (name, workspace), cspec)
        else:
            _validate_collection(name, spec[name])
    creds = spec.get("credentials", {})
    if not isinstance(creds, dict) or set(creds) - set(DEFAULT_CREDENTIALS):
        raise SpecError("credentials may only hold 'alibaba' and 'huawei' objects")
    for cloud, values in creds.items():
        unknown = set(values) - set(DEFAULT_CREDENTIALS[cloud])
        if unknown:
            raise SpecError("unknown %s credential keys: %s" % (cloud, ", ".join(sorted(unknown))))
    _parse_now(spec.get("now"))
    latency = spec.get("latency_ms", 0)
    if not isinstance(latency, int) or isinstance(latency, bool) or latency < 0:
        raise SpecError("latency_ms must be a non-negative integer")
    rate = spec.get("rate_limit")
    if rate is not None and not (isinstance(rate, dict) and set(rate) <= {"rps", "burst"}
                                 and isinstance(rate.get("rps"), (int, float)) and rate["rps"] > 0
                                 and isinstance(rate.get("burst", 1), int) and rate.get("burst", 1) >= 1):
        raise SpecError("rate_limit is null or {\"rps\": number > 0, \"burst\": integer >= 1}")
    validate_page_caps(spec.get("page_caps"))


_ENDPOINT_NAMES = ("ListRayCluster", "ListRayJob", "ListJobs", "GetRunningJobs", "QueryQueuedJobList")


def validate_page_caps(caps):
    """page_caps: null or {endpoint log name: integer >= 1}, the most items a page of it holds."""
    if caps is None:
        return
    if not isinstance(caps, dict) or set(caps) - set(_ENDPOINT_NAMES) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in caps.values()):
        raise SpecError("page_caps is null or {endpoint name (%s): integer >= 1}" % ", ".join(_ENDPOINT_NAMES))


def _validate_collection(label, cspec):
    if not isinstance(cspec, dict):
        raise SpecError("%s must be an object" % label)
    unknown = set(cspec) - _COLLECTION_KEYS
    if unknown:
        raise SpecError("unknown keys in %s: %s" % (label, ", ".join(sorted(unknown))))
    mix = cspec.get("mix", {})
    total = None
    for field, counts in mix.items():
        if not isinstance(counts, dict) or not all(isinstance(c, int) and c >= 0 for c in counts.values()):
            raise SpecError("%s.mix.%s must map values to non-negative counts" % (label, field))
        total = sum(counts.values())
        count = cspec.get("count", total)
        if total > count:
            raise SpecError("%s.mix.%s assigns %d values but count is %d" % (label, field, total, count))
    count = cspec.get("count", total or 0)
    if not isinstance(count, int) or count < 0:
        raise SpecError("%s.count must be a non-negative integer" % label)
    for override in cspec.get("overrides", []):
        if not isinstance(override, dict) or not isinstance(override.get("index"), int) \
                or not isinstance(override.get("set"), dict):
            raise SpecError("%s.overrides entries look like {\"index\": 7, \"set\": {...}}" % label)


def _parse_now(value):
    """Spec 'now': null (wall clock), epoch seconds, or an ISO 8601 UTC string -> epoch seconds or None."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(parse_iso(value))
        except ValueError:
            pass
    raise SpecError("now must be null, epoch seconds or an ISO 8601 UTC time such as 2024-01-01T00:00:00Z")


def merged_credentials(spec):
    creds = copy.deepcopy(DEFAULT_CREDENTIALS)
    for cloud, values in spec.get("credentials", {}).items():
        creds[cloud].update(values)
    return creds


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------

_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _b36(rng, width):
    n = rng.getrandbits(6 * width)
    out = []
    for dummy in range(width):
        n, r = divmod(n, 36)
        out.append(_B36[r])
    return "".join(out)


def iso(epoch_seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch_seconds))


def iso_or_empty(epoch_seconds):
    """Unset PAI-DLC times are "" as in the API's examples."""
    return iso(epoch_seconds) if epoch_seconds else ""


def parse_iso(text):
    """ISO 8601 UTC ('2024-01-01T00:00:00Z', optional fraction, 'Z' or '+00:00') -> epoch seconds (int)."""
    value = text.strip()
    if value.endswith("Z") or value.endswith("z"):
        value = value[:-1]
    elif value.endswith("+00:00"):
        value = value[:-6]
    if "." in value:
        value = value.split(".", 1)[0]
    for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return calendar.timegm(time.strptime(value, fmt))
        except ValueError:
            continue
    raise ValueError("not an ISO 8601 UTC time: %r" % text)


def deep_merge(base, extra):
    """Merge extra into base in place: dicts merge recursively, anything else replaces."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            deep_merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def set_path(target, path, value):
    """Set a dotted wire path ('Settings.Caller') in a core, creating intermediate objects."""
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def public(core):
    return {k: v for k, v in core.items() if not k.startswith("_")}


def interleave(counts, total):
    """Spread the mix counts evenly over total positions (smooth weighted round robin).

    Positions not covered by the counts get None (= the generator's own varied value).  Deterministic:
    ties resolve by the order of the values in the spec.
    """
    buckets = [(value, count) for value, count in counts.items() if count > 0]
    rest = total - sum(count for value, count in buckets)
    if rest > 0:
        buckets.append((None, rest))
    current = [0] * len(buckets)
    out = []
    for dummy in range(total):
        best = 0
        for j, (value, weight) in enumerate(buckets):
            current[j] += weight
            if current[j] > current[best]:
                best = j
        current[best] -= total
        out.append(buckets[best][0])
    return out


class Ctx:
    """What generators may depend on: the seed, the anchor time, the credentials."""

    def __init__(self, seed, anchor_ms, credentials):
        self.seed = seed
        self.anchor_ms = anchor_ms
        self.credentials = credentials
        self.seed_int = int(hashlib.sha256(str(seed).encode()).hexdigest()[:8], 16)

    def secret(self, kind, item_id, n=24):
        """A distinctive, deterministic per-item secret body (tests grep for the prefixes)."""
        return hashlib.sha256(("%s|%s|%s" % (self.seed, kind, item_id)).encode("utf-8")).hexdigest()[:n]

    def item_rng(self, collection, item_id):
        return random.Random("%s|%s|%s" % (self.seed, collection, item_id))

    def spread(self, i, salt, modulo):
        """A cheap deterministic pseudo-random integer in [0, modulo) for item i.

        An integer hash (murmur3's finaliser) of (seed, i, salt), so that different salts give
        uncorrelated columns: filters combining two fields then still find matches.
        """
        x = (i * 0x9E3779B1 + (salt + 1) * 0x85EBCA77 + self.seed_int) & 0xFFFFFFFF
        x ^= x >> 16
        x = (x * 0x85EBCA6B) & 0xFFFFFFFF
        x ^= x >> 13
        x = (x * 0xC2B2AE35) & 0xFFFFFFFF
        x ^= x >> 16
        return x % modulo


def _pick(pool, i, salt, ctx):
    return pool[ctx.spread(i, salt, len(pool))]


# --------------------------------------------------------------------------------------------------
# The five collections
# --------------------------------------------------------------------------------------------------

class CollectionType:
    """How one collection's items are made, rendered and read.

    id_key      the wire field that identifies an item (used by /_emulator/changes)
    order       'desc' (newest first) or 'asc' (oldest first: the Octopus queue) for the stored listing order
    span        default seconds over which the primary times ``_t`` are spread back from the anchor
    """

    name = None
    id_key = None
    order = "desc"
    span = 3 * 86400
    hidden = ()  # core keys that filters use but the API does not return
    # The valid values of enumerated fields.  A mix names some of them; items the mix does not cover
    # get one of the others, so a mix count is the exact number of items with that value.
    choices = {}

    def make(self, ctx, i, t_ms, rng, fixed):
        raise NotImplementedError

    def render(self, ctx, core):
        raise NotImplementedError

    def derived(self, ctx, core, name):
        """Value of a field that is not stored in the core (only used for sorting/filtering)."""
        return self.render(ctx, core).get(name)

    def value(self, ctx, core, path):
        """Read a (dotted) wire field for filters and sorting: stored value first, derived otherwise."""
        head, dummy, rest = path.partition(".")
        value = core[head] if head in core else self.derived(ctx, core, head)
        for part in rest.split(".") if rest else ():
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def wire(self, ctx, core):
        return deep_merge(self.render(ctx, core), public(core))


_PEOPLE = (("202077646755123991", "Alice"), ("203344556677889900", "Bob"), ("204455667788990011", "Chen Wei"),
           ("205566778899001122", "Élodie"), ("206677889900112233", "Farid"))
_RELEASES = ("ray-1.0.0 (Ray 2.47.1, Python 3.12)", "ray-1.1.0 (Ray 2.50.0, Python 3.12)",
             "err-1.2.0 (Ray 2.55.1, Python 3.12)")
_QUEUES = ("root_queue", "dev_queue", "prod_queue")
_GPUS = ("", "", "ecs.gn6i-c4g1.xlarge", "ecs.gn7i-c8g1.2xlarge")
_CPU_MEM = (("2", "8Gi"), ("4", "16Gi"), ("8", "32Gi"), ("16", "64Gi"))


def _name(i, ctx, plain):
    """Mostly plain names; a few with spaces and a few non-ASCII, deterministically placed."""
    k = ctx.spread(i, 99, 20)
    if k == 3:
        return "team a %s %d" % (plain, i)
    if k == 11:
        return "训练-%s-%d" % (plain, i)
    if k == 17:
        return "Ünïcode %s %d" % (plain, i)
    return "%s-%d" % (plain, i)


class RayClusters(CollectionType):
    name = "emr_ray_clusters"
    id_key = "clusterId"
    span = 30 * 86400
    _STATES = ("Running", "Running", "Running", "Starting", "Stopping", "Stopped", "Stopped", "Error")
    choices = {"state": ("Starting", "Running", "Stopping", "Stopped", "Error")}

    def make(self, ctx, i, t_ms, rng, fixed):
        return {
            "clusterId": "ray-" + _b36(rng, 16),
            "name": fixed.get("name") or _name(i, ctx, _pick(("ray-dev", "ray-etl", "ray-serve", "ray-train"), i, 1,
                                                             ctx)),
            "state": fixed.get("state") or _pick(self._STATES, i, 2, ctx),
            "_t": t_ms,
        }

    def render(self, ctx, core):
        r = ctx.item_rng(self.name, core["clusterId"])
        i = core["_i"]
        state = core.get("state", "Running")
        uid, person = _pick(_PEOPLE, i, 3, ctx)
        muid, modifier = _pick(_PEOPLE, i, 4, ctx)
        cpu, mem = _pick(_CPU_MEM, i, 5, ctx)
        wcpu, wmem = _pick(_CPU_MEM, i, 6, ctx)
        autoscale = r.random() < 0.5
        workers = []
        for g in range(1 + ctx.spread(i, 7, 2)):
            lo = 1 if autoscale else 2
            workers.append({
                "groupName": "Group%d" % (g + 1),
                "workerType": "GPU" if g == 1 else "CPU",
                "replica": lo + g,
                "queueName": _pick(_QUEUES, i, 8, ctx),
                "cpu": wcpu,
                "memory": wmem,
                "minReplica": lo,
                "maxReplica": 10 * (g + 1),
                "gpuSpec": "ecs.gn6i-c4g1.xlarge" if g == 1 else "",
            })
        created = core["_t"]
        return {
            "clusterId": core["clusterId"],
            "name": core.get("name"),
            "displayReleaseVersion": _pick(_RELEASES, i, 9, ctx),
            "description": "Ray cluster %d for %s." % (i, _pick(("dev", "batch ETL", "model serving"), i, 10, ctx)),
            "networkServiceName": _pick(("vpc", "vpc", "public"), i, 11, ctx),
            "headSpec": {
                "queueName": _pick(_QUEUES, i, 8, ctx),
                "cpu": cpu,
                "memory": mem,
                "enableAutoScaling": autoscale,
                "idleTimeoutSeconds": _pick((60, 300, 600), i, 12, ctx),
                "replica": 1,
                "gpuSpec": _pick(_GPUS, i, 13, ctx),
            },
            "workerSpec": workers,
            "state": state,
            "createTime": created,
            "modifiedTime": created + 1000 * ctx.spread(i, 14, 86400),
            "creator": uid,
            "creatorName": person,
            "modifier": muid,
            "modifierName": modifier,
            "userId": "1234567890",
            "dashboardUrl": "https://emr-spark-ray-gateway-cn-hangzhou.aliyuncs.com?token=dashtok-%s"
                            % ctx.secret("dashboard", core["clusterId"]),
            "modified": ctx.spread(i, 15, 4) == 0,
            "message": "Head pod failed: ImagePullBackOff" if state == "Error" else "ok",
            "instanceId": "%s-%s" % (core["clusterId"], _b36(r, 7)),
            "startTime": created + 1000 * (20 + ctx.spread(i, 16, 300)),
            "grpcEndpoint": "ray://emr-spark-ray-gateway-cn-hangzhou-internal.emr.aliyuncs.com:80",
        }

    def derived(self, ctx, core, name):
        if name == "createTime":
            return core["_t"]
        return super().derived(ctx, core, name)


class RayJobs(CollectionType):
    name = "emr_ray_jobs"
    id_key = "submissionId"
    span = 3 * 86400
    hidden = ("taskBizId",)
    _STATUSES = ("Running", "Running", "Succeeded", "Succeeded", "Succeeded", "Failed", "Submitted", "Pending",
                 "Cancelling", "Cancelled", "Timeout")
    _NOT_STARTED = ("Submitted", "Pending")
    choices = {"status": ("Submitted", "Pending", "Running", "Succeeded", "Failed", "Cancelling", "Cancelled",
                          "Timeout")}
    _FINISHED = ("Succeeded", "Failed", "Cancelled", "Timeout")

    def make(self, ctx, i, t_ms, rng, fixed):
        core = {
            "submissionId": "rj-" + _b36(rng, 16),
            "name": fixed.get("name") or _name(i, ctx, _pick(("etl-daily", "train", "eval", "score"), i, 1, ctx)),
            "status": fixed.get("status") or _pick(self._STATUSES, i, 2, ctx),
            "_t": t_ms,
        }
        # Data Studio task id: only jobs started from a Data Studio task have one; the API never returns it.
        core["_taskBizId"] = ("TSK-" + ctx.secret("task", i // 3, 32)) if ctx.spread(i, 3, 2) == 0 else ""
        return core

    def _times(self, ctx, core):
        i, status, submitted = core["_i"], core.get("status"), core["_t"]
        start = 0 if status in self._NOT_STARTED else submitted + 1000 * (5 + ctx.spread(i, 4, 120))
        run = 60 + ctx.spread(i, 5, 7200)
        end = start + 1000 * run if (start and status in self._FINISHED) else 0
        duration = run if end else (max(0, (ctx.anchor_ms - start) // 1000) if start else 0)
        return start, end, duration

    def render(self, ctx, core):
        i = core["_i"]
        status = core.get("status")
        start, end, duration = self._times(ctx, core)
        # The SDK's values: Deleted, Submitted, Pending, Running (there is no Stopped).
        cluster_state = "Running" if status in ("Running", "Cancelling") else \
            status if status in ("Submitted", "Pending") else _pick(("Running", "Deleted"), i, 6, ctx)
        return {
            "submissionId": core["submissionId"],
            "name": core.get("name"),
            "status": status,
            "resourceQueue": _pick(_RELEASES, i, 7, ctx),
            "submitTime": core["_t"],
            "startTime": start,
            "endTime": end,
            "duration": duration,
            "creatorName": _pick(_PEOPLE, i, 8, ctx)[1],
            "dashboardUrl": "https://emr-ray-gateway.aliyuncs.com?token=dashtok-%s"
                            % ctx.secret("dashboard", core["submissionId"]),
            "cuHours": round(duration / 3600.0 * (1 + ctx.spread(i, 9, 16)), 2),
            "clusterState": cluster_state,
        }

    def derived(self, ctx, core, name):
        if name == "submitTime":
            return core["_t"]
        if name == "taskBizId":
            return core.get("_taskBizId", "")
        return super().derived(ctx, core, name)


_DLC_TYPES = ("TFJob", "PyTorchJob", "PyTorchJob", "MPIJob", "XGBoostJob", "ElasticBatchJob", "RayJob")
_DLC_STATUSES = ("Running", "Running", "Succeeded", "Succeeded", "Failed", "Stopped", "Queuing", "Creating",
                 "EnvPreparing", "Stopping", "Restarting")
_DLC_STARTED = ("Running", "Succeeded", "Failed", "Stopped", "Stopping", "Restarting", "SucceededReserving",
                "FailedReserving")
_DLC_FINISHED = ("Succeeded", "Failed", "Stopped")
_DLC_WORKSPACES = (("268", "dlc-workspace"), ("1024", "ml-team"), ("40213", "推荐-空间"))
_DLC_RESOURCES = (("quotaa1b2c3d4e5f", "gpu-quota-a"), ("quotaf6e5d4c3b2a", "cpu-quota-b"),
                  ("quota9z8y7x6w5v4", "shared quota c"))
_DLC_OTHER_USERS = (("2033040498123456", "alice"), ("2100099912345678", "bob@example"),
                    ("2200011122233344", "数据科学家"))
_DLC_TAGS = ({"env": "prod", "team": "ml"}, {"env": "dev", "team": "ml a"}, {"env": "prod", "team": "search"},
             {"project": "llm", "env": "staging"}, {})
_DLC_NAMES = ("tf-mnist-test", "pytorch-bert-finetune", "llm eval", "xgb-ctr", "训练任务", "Resnet50-Train")
_OVERSOLD = ("ForbiddenQuotaOverSold", "AcceptQuotaOverSold", "ForceQuotaOverSold")


class DlcJobs(CollectionType):
    name = "pai_dlc_jobs"
    id_key = "JobId"
    # Filterable with ListJobs but not returned by it (the SDK's JobItem has no such fields).
    hidden = ("PaymentType", "Description")
    span = 6 * 86400   # inside the API's default seven-day window
    choices = {"Status": ("Creating", "Queuing", "Bidding", "EnvPreparing", "SanityChecking", "Running",
                          "Restarting", "Stopping", "SucceededReserving", "FailedReserving", "Succeeded", "Failed",
                          "Stopped"),
               "JobType": ("TFJob", "PyTorchJob", "MPIJob", "XGBoostJob", "OneFlowJob", "ElasticBatchJob",
                           "SlurmJob", "RayJob", "DataJuicerJob"),
               "Accessibility": ("PRIVATE", "PUBLIC"),
               "UseOversoldResource": (False, True)}

    def make(self, ctx, i, t_ms, rng, fixed):
        if ctx.spread(i, 1, 3) == 0:
            user_id, username = ctx.credentials["alibaba"]["user_id"], "emu-owner"
        else:
            user_id, username = _pick(_DLC_OTHER_USERS, i, 2, ctx)
        ws_id = _pick(_DLC_WORKSPACES, i, 3, ctx)[0]
        res_id, quota = _pick(_DLC_RESOURCES, i, 4, ctx)
        oversold = _pick(_OVERSOLD, i, 5, ctx)
        name = _DLC_NAMES[ctx.spread(i, 6, len(_DLC_NAMES))]
        return {
            "JobId": "dlc-%s-%s" % (time.strftime("%Y%m%d%H%M%S", time.gmtime(t_ms // 1000)), _b36(rng, 13)),
            "JobType": fixed.get("JobType") or _pick(_DLC_TYPES, i, 7, ctx),
            "DisplayName": fixed.get("DisplayName") or ("%s %d" % (name, i) if " " in name else "%s-%d" % (name, i)),
            "UserId": user_id,
            "Username": username,
            "Status": fixed.get("Status") or _pick(_DLC_STATUSES, i, 8, ctx),
            "WorkspaceId": ws_id,
            "ResourceId": res_id,
            "ResourceQuotaName": quota,
            "UseOversoldResource": oversold != "ForbiddenQuotaOverSold" and ctx.spread(i, 9, 2) == 0,
            "Accessibility": _pick(("PRIVATE", "PUBLIC"), i, 10, ctx),
            "Settings": {
                "BusinessUserId": _pick(("166924", "170001", "188888"), i, 11, ctx),
                "Caller": _pick(("SilkFlow", "local", "sdk", "console"), i, 12, ctx),
                "Tags": dict(_pick(_DLC_TAGS, i, 13, ctx)),
                "PipelineId": _pick(("flow-a1b2c3", "flow-d4e5f6", ""), i, 14, ctx),
                "OversoldType": oversold,
            },
            "_PaymentType": _pick(("PrePaid", "PrePaid", "Spot", "PostPaid"), i, 15, ctx),
            "_Description": _pick(("nightly retrain", "ablation: lr sweep", "", "数据清洗 pipeline"), i, 16, ctx),
            "_t": t_ms,
        }

    def _times(self, ctx, core):
        """(create, submitted, running, finish, duration) as epoch seconds or None."""
        i, status = core["_i"], core.get("Status")
        create = core["_t"] // 1000
        running = create + 10 + ctx.spread(i, 20, 600) if status in _DLC_STARTED else None
        finish = running + 60 + ctx.spread(i, 21, 20000) if (running and status in _DLC_FINISHED) else None
        if finish:
            duration = finish - running
        elif running:
            duration = max(0, ctx.anchor_ms // 1000 - running)
        else:
            duration = 0
        return create, create + 1, running, finish, duration

    def derived(self, ctx, core, name):
        if name in self.hidden:
            return core.get("_" + name, "")
        create, submitted, running, finish, duration = self._times(ctx, core)
        simple = {"GmtCreateTime": iso(create), "GmtSubmittedTime": iso(submitted),
                  "GmtRunningTime": iso(running) if running else "", "GmtFinishTime": iso(finish) if finish else "",
                  "Duration": duration}
        if name in simple:
            return simple[name]
        return super().derived(ctx, core, name)

    def render(self, ctx, core):
        i, job_id, status = core["_i"], core["JobId"], core.get("Status")
        r = ctx.item_rng(self.name, job_id)
        create, submitted, running, finish, duration = self._times(ctx, core)
        ws_id = core.get("WorkspaceId")
        ws_name = dict(_DLC_WORKSPACES).get(ws_id, "workspace-%s" % ws_id)
        gpu = _pick(("0", "1", "8"), i, 30, ctx)
        pod_count = 1 + ctx.spread(i, 31, 2)
        payment = core.get("_PaymentType", "PrePaid")
        template = _pick((("", ""), ("tpl-%s" % ctx.secret("template", i % 3, 12), "llm-sft-template")), i, 37, ctx)
        assigned = ctx.spread(i, 38, 4) == 0
        # Realistic secrets where users put them: a command line with a token in a git URL and API keys in
        # flags and exports (distinct prefixes, listed in the README, so a search finds any leak).
        command = ("export AWS_SECRET_ACCESS_KEY=awssecret-%s && git clone https://oauth2:glpat-emu%s@codeup.aliyun.com/"
                   "ml/train.git /root/code && python /root/code/train.py --epochs %d --wandb-key wandbkey-%s"
                   % (ctx.secret("aws", job_id, 20), ctx.secret("gitlab", job_id, 20), 1 + i % 20,
                      ctx.secret("wandb", job_id, 20)))
        image = _pick(("registry.cn-hangzhou.aliyuncs.com/pai-dlc/tensorflow-training:2.11-gpu-py39",
                       "registry.cn-hangzhou.aliyuncs.com/pai-dlc/pytorch-training:2.1-gpu-py310",
                       "dsw-registry.cn-hangzhou.cr.aliyuncs.com/private/llm:v3"), i, 32, ctx)
        container = {
            "Name": "data-init",
            "Image": "registry.cn-hangzhou.aliyuncs.com/pai-dlc/curl:v1.0.0",
            "Command": ["sh", "-c", "curl -sf https://example.com/ready"],
            "Args": [""],
            "WorkingDir": "/root",
            "Env": [{"Name": "ENABLE_DEBUG", "Value": "true"}],
            "Resources": {"Limits": {"cpu": "1", "memory": "1Gi"}, "Requests": {"cpu": "500m", "memory": "512Mi"}},
            "SecurityContext": {"RunAsUser": 0, "RunAsGroup": 0, "Privileged": False,
                                "Capabilities": {"Add": ["NET_ADMIN"], "Drop": ["ALL"]},
                                "SeccompProfile": {"Type": "RuntimeDefault", "LocalhostProfile": ""}},
        }
        history = []
        for st, start, end in (("Creating", create, submitted), ("Queuing", submitted, running or 0),
                               ("Running", running or 0, finish or 0), (status, finish or 0, 0)):
            if not start:
                break
            history.append({"Status": st, "StartTime": iso_or_empty(start), "EndTime": iso_or_empty(end),
                            "ReasonCode": "JobStoppedByUser" if st == "Stopped" else "",
                            "ReasonMessage": "Job is stopped by user." if st == "Stopped" else ""})
            if st == status:
                break
        pods = []
        for p in range(pod_count if running else 0):
            pod_id = "%s-worker-%d" % (job_id, p)
            pod = {
                "Status": status if finish else "Running",
                "GmtFinishTime": iso_or_empty(finish),
                "HistoryPods": [],
                "Type": "Worker",
                "GmtStartTime": iso_or_empty(running),
                "PodUid": "%s-%s-%s-%s-%s" % tuple(ctx.secret("pod", pod_id, 32)[a:b]
                                                   for a, b in ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32))),
                "NodeName": "cn-hangzhou.10.0.%d.%d" % (i % 250, p + 2),
                "Ip": "10.0.%d.%d" % (i % 250, p + 10),
                "PodId": pod_id,
                "SubStatus": "",
                "GmtCreateTime": iso_or_empty(create + 30),
                "PodIp": "10.0.%d.%d" % (i % 250, p + 10),
                "PodIps": [{"InterfaceName": "eth0", "Ip": "10.0.%d.%d" % (i % 250, p + 10)},
                           {"InterfaceName": "eth1", "Ip": "192.168.%d.%d" % (i % 250, p + 10)}],
                "supportedProfilingTypes": "PyTorchProfiler,NsightSystems" if gpu != "0" else "",
            }
            if status == "Restarting":
                pod["HistoryPods"].append(dict(pod, Status="Failed", HistoryPods=[]))
            pods.append(pod)
        settings = {
            "BusinessUserId": "",
            "Caller": "",
            "Tags": {},
            "PipelineId": "",
            "EnableTideResource": False,
            "EnableErrorMonitoringInAIMaster": r.random() < 0.3,
            "ErrorMonitoringArgs": "--enable-log-hang-detection true",
            "EnableRDMA": gpu == "8",
            "EnableOssAppend": True,
            "OversoldType": "ForbiddenQuotaOverSold",
            "AdvancedSettings": {"ReleaseResourcePolicy": "AfterJobCompleted", "test2": 1, "EnableJobMonitor": True,
                                 # A user's webhook: a URL whose query holds a token.
                                 "AlertWebhook": "https://oapi.dingtalk.com/robot/send?access_token=dingtok-%s"
                                                 % ctx.secret("dingtalk", job_id)},
            "Driver": "535.54.03",
            "EnableSanityCheck": False,
            "SanityCheckArgs": "--sanity-check-timing=AfterJobFaultTolerant",
            "JobReservedMinutes": 30,
            "JobReservedPolicy": "Never",
            "EnableCPUAffinity": False,
            "DisableEcsStockCheck": False,
            "AllocateAllRDMADevices": gpu == "8",
            "AllowUnschedulableNodes": False,
            "ElasticSpotJobMaxRestartTimes": 3 if payment == "Spot" else 0,
            "EnableDSWDev": False,
            "Shell": "/bin/bash",
            "TerminationGracePeriodSeconds": 30,
            "ModelConfig": {"ModelName": "Qwen2.5-7B-Instruct",
                            "ModelTemplate": {"ModelName": "Qwen2.5-7B-Instruct", "Provider": "ModelScope",
                                              "Collections": "qwen2.5"}},
            "DataJuicerConfig": ({"CommandType": "config", "ExecutionMode": "distributed",
                                  "EnableResourceEstimation": True,
                                  "ResourceLimit": {"CPU": "32", "GPU": "0", "Memory": "128Gi"}}
                                 if core.get("JobType") == "DataJuicerJob" else {}),
        }
        return {
            "JobId": job_id,
            "CredentialConfig": {
                "EnableCredentialInject": True,
                "AliyunEnvRoleKey": "0",
                "CredentialConfigItems": [{
                    "Key": "oss-reader",
                    "Type": "Role",
                    "Roles": [{
                        "RoleArn": "acs:ram::1557702098194904:role/pai-dlc-oss-reader",
                        "RoleType": "service",
                        "AssumeRoleFor": "job",
                        "Policy": "",
                        "AssumeUserInfo": {
                            "SecurityToken": "stssecret-%s" % ctx.secret("sts-token", job_id, 32),
                            "AccessKeyId": "STS.emu-%s" % ctx.secret("sts-ak", job_id, 16),
                            "Type": "Role",
                            "Id": "30%s" % ctx.spread(i, 33, 10 ** 14),
                        },
                    }],
                }],
            },
            "JobType": core.get("JobType"),
            "DisplayName": core.get("DisplayName"),
            # The seed page shows a string ("vpc-1"), but the official SDK's JobItem.UserVpc is an object
            # and its from_map crashes on a non-empty string, so the service must send an object.
            "UserVpc": {"VpcId": "vpc-bp1emu%d" % (i % 3), "SwitchId": "vsw-bp1emu%d" % (i % 5),
                        "SecurityGroupId": "sg-bp1emu", "ExtendedCidrs": [], "DefaultRoute": "eth0"},
            "UserId": core.get("UserId"),
            "Username": core.get("Username"),
            "Status": status,
            "WorkspaceId": ws_id,
            "WorkspaceName": ws_name,
            "ResourceId": core.get("ResourceId"),
            "ResourceLevel": _pick(("L0", "L1"), i, 35, ctx),
            "ReasonCode": "JobStoppedByUser" if status == "Stopped" else ("JobFailed" if status == "Failed" else ""),
            "ReasonMessage": "Job is stopped by user." if status == "Stopped" else
                             ("Worker exited with code 1." if status == "Failed" else ""),
            "JobSpecs": [{
                "Type": "Worker",
                "Image": image,
                "ImageConfig": {
                    "DockerRegistry": image.split("/", 1)[0],
                    "Username": "reguser-%d" % (i % 7),
                    "Password": "regpass-%s" % ctx.secret("registry-password", job_id),
                    "Auth": "regauth-%s" % ctx.secret("registry-auth", job_id),
                },
                "PodCount": pod_count,
                "EcsSpec": "ecs.gn6v-c8g1.2xlarge" if gpu != "0" else "ecs.c6.large",
                "ExtraPodSpec": {
                    "InitContainers": [container],
                    "PodAnnotations": {"Sidecar.Istio.io/Inject": "false", "emu.jobscope/Owner": core.get("Username")},
                    "SideCarContainers": [dict(container, Name="log-shipper")],
                    "Lifecycle": {"PreStop": {"Exec": {"Command": ["sh", "-c", "sleep 5"]}},
                                  "PostStart": {"Exec": {"Command": ["sh", "-c", "echo started"]}}},
                    "MainContainerSecurityContext": {
                        "RunAsUser": 1000, "RunAsGroup": 1000, "Privileged": False,
                        "Capabilities": {"Add": ["SYS_PTRACE"], "Drop": ["NET_RAW"]},
                        "SeccompProfile": {"Type": "Unconfined", "LocalhostProfile": "my-profiles/profile-allow.json"},
                    },
                    "SharedVolumeMountPaths": ["/root/share/"],
                    "PodLabels": {"app.kubernetes.io/Name": "dlc", "Team_Label": "ml"},
                },
                "ResourceConfig": {"CPU": "8", "GPU": gpu, "Memory": "32Gi", "SharedMemory": "8Gi",
                                   "GPUType": "Tesla-V100-16G" if gpu != "0" else ""},
                "UseSpotInstance": payment == "Spot",
                "SpotSpec": {"SpotStrategy": "SpotWithPriceLimit" if payment == "Spot" else "",
                             "SpotDiscountLimit": 0.5 if payment == "Spot" else 0, "SpotPriceLimit": 0},
                "ElasticSpotSpecs": ([{"InstanceType": "ecs.gn7i-c8g1.2xlarge", "SpotStrategy": "SpotWithPriceLimit",
                                       "SpotDiscountLimit": 0.5, "SpotPriceLimit": 3.2}] if payment == "Spot" else []),
                "AssignNodeSpec": {"EnableAssignNode": assigned,
                                   "NodeNames": "lingjun-node-1,lingjun-node-2" if assigned else "",
                                   "AntiAffinityNodeNames": "",
                                   "HyperNodes": [{"HyperNodeName": "hn-emu-1", "NodeNames": "lingjun-node-1"}]
                                   if assigned else [],
                                   "AntiAffinityHyperNodes": [{"HyperNodeName": "hn-emu-9", "NodeNames": ""}]
                                   if assigned else []},
                "AutoScalingSpec": {"MinReplicas": 1, "MaxReplicas": 4, "ScalingStrategy": "Default",
                                    "PodsToDelete": [],
                                    "AutoscalingMetricSpec": {"MetricName": "gpu_util", "TargetValue": 80,
                                                              "Tolerance": "0.1", "StabilizationWindowSeconds": 300}},
                "ConsiderInSuccessPolicy": True,
                "Driver": "535.54.03" if gpu != "0" else "",
                "IsChief": True,
                "IsCheif": True,
                "LocalMountSpecs": [{"LocalPath": "/mnt/nvme0", "MountPath": "/root/cache", "MountMode": "ReadWrite"}],
                "OversoldType": core.get("Settings", {}).get("OversoldType", "ForbiddenQuotaOverSold"),
                "QuotaId": core.get("ResourceId"),
                "RestartPolicy": "OnFailure",
                "ServiceSpec": {"ServiceMode": "Headless", "DefaultPort": 23456, "ExtraPorts": [8265, 6379]},
                "StartupDependencies": [{"Type": "Master", "OnPhase": "Running", "MinReplicas": "1"}],
                "SystemDisk": {"Category": "cloud_essd", "PerformanceLevel": "PL1", "Size": 120},
                "UserCommand": command,
                "HyperNodeSchedulingConfig": {"MinAvailable": pod_count, "QualityPolicy": "BestEffort"},
            }],
            "JobReplicaStatuses": [{
                "Type": "Worker",
                "Active": pod_count if status == "Running" else 0,
                "Queuing": pod_count if status == "Queuing" else 0,
                "Dequeued": 0 if status in ("Queuing", "Creating") else pod_count,
                "CurrentSpotInstanceType": "ecs.gn7i-c8g1.2xlarge" if payment == "Spot" else "",
                "EstimatedPodCount": pod_count,
                "EstimatedResourceConfig": {"CPU": "8", "GPU": gpu, "Memory": "32Gi", "SharedMemory": "8Gi",
                                            "GPUType": "Tesla-V100-16G" if gpu != "0" else ""},
                "EstimatedAutoScalingSpec": {"MinReplicas": 1, "MaxReplicas": 4, "ScalingStrategy": "Default",
                                             "PodsToDelete": [], "AutoscalingMetricSpec": {
                                                 "MetricName": "gpu_util", "TargetValue": 80, "Tolerance": "0.1",
                                                 "StabilizationWindowSeconds": 300}},
            }],
            "UserCommand": command,
            "DataSources": [{"DataSourceId": "data-%s" % ctx.secret("data", i % 11, 12), "MountPath": "/mnt/data"}],
            "CodeSource": {"CodeSourceId": "code-%s" % ctx.secret("code", i % 5, 12), "Branch": "master",
                           "Commit": ctx.secret("commit", i % 5, 40), "MountPath": "/root/code"},
            "ThirdpartyLibs": ["numpy==1.26.4"],
            "NodeNames": [],
            "ThirdpartyLibDir": "/root/code/",
            "Envs": {"MY_ENV_Key": "value-%d" % i, "camelCaseVar": "x", "lower_key": "y", "HTTP_PROXY": "",
                     # What users really put in environment variables: tokens, passwords, URLs with both.
                     "HF_TOKEN": "hf_emu%s" % ctx.secret("hf", job_id, 30),
                     "WANDB_API_KEY": "wandbkey-%s" % ctx.secret("wandb", job_id, 20),
                     "DB_PASSWORD": "dbpass-%s" % ctx.secret("db", job_id, 16),
                     "MLFLOW_TRACKING_URI": "https://mlflow:mlflowpass-%s@mlflow.internal.example.com:5000"
                                            % ctx.secret("mlflow", job_id, 16),
                     "CKPT_URL": "https://ml-ckpt.oss-cn-hangzhou.aliyuncs.com/ckpt/latest.tar?Expires=1768467600"
                                 "&OSSAccessKeyId=LTAI5tEmuOssKey&Signature=osssig-%s" % ctx.secret("oss", job_id, 28)},
            "SystemEnvs": {"PAI_DLC_JOB_ID": job_id, "NCCL_Debug": "INFO"},
            "GmtCreateTime": iso_or_empty(create),
            "GmtSubmittedTime": iso_or_empty(submitted),
            "GmtRunningTime": iso_or_empty(running),
            "GmtSuccessedTime": iso_or_empty(finish if status == "Succeeded" else None),
            "GmtStoppedTime": iso_or_empty(finish if status == "Stopped" else None),
            "GmtFailedTime": iso_or_empty(finish if status == "Failed" else None),
            "GmtFinishTime": iso_or_empty(finish),
            "GmtModifiedTime": iso_or_empty(finish or running or submitted),
            "Duration": duration,
            "JobMaxRunningTimeMinutes": _pick((0, 720, 1440), i, 39, ctx),
            "RetryCount": 1 if status == "Restarting" else 0,
            "SchedulingStrategy": _pick(("", "GangScheduling", "BinPack"), i, 40, ctx),
            "TemplateId": template[0],
            "TemplateName": template[1],
            "supportedProfilingTypes": "PyTorchProfiler,NsightSystems" if gpu != "0" else "",
            "Settings": settings,
            "EnabledDebugger": False,
            "IsDeleted": False,
            "EnablePreemptibleJob": False,
            "ResourceName": core.get("ResourceQuotaName"),
            "WorkingDir": "/root/code",
            "UserScript": "",
            "RestartTimes": "1" if status == "Restarting" else "0",
            "RequestCPU": 8 * pod_count,
            "RequestMemory": "%dGi" % (32 * pod_count),
            "ResourceQuotaName": core.get("ResourceQuotaName"),
            "RequestGPU": str(int(gpu) * pod_count),
            "NodeCount": str(pod_count),
            "Priority": 1 + ctx.spread(i, 36, 9),
            "SubStatus": "Restarting" if status == "Restarting" else "",
            "UseOversoldResource": core.get("UseOversoldResource"),
            "ResourceType": "Lingjun" if gpu == "8" else "ECS",
            "Accessibility": core.get("Accessibility"),
            "ClusterId": "",
            "TenantId": "",
            "StatusHistory": history,
            "ElasticSpec": {
                "EnableElasticTraining": False, "MinParallelism": 1, "MaxParallelism": 8, "AIMasterType": "",
                "AIMasterDockerImage": "", "EnablePsJobElasticWorker": False, "EnableAIMaster": False,
                "EnablePsResourceEstimate": False, "EnablePsJobElasticPS": False, "PSMinParallelism": 0,
                "PSMaxParallelism": 0, "ElasticStrategy": "", "EnableEDP": False, "EDPMaxParallelism": 0,
                "EDPMinParallelism": 0,
            },
            "Pods": pods,
        }


_MC_OWNERS = ("ALIYUN$alice@test.aliyunid.com", "RAM$dev-team:bob", "RAM$etl:svc-pipeline",
              "ALIYUN$chen.wei@test.aliyunid.com")
_MC_PROJECTS = ("project_20221021123044_981b", "sales_dw", "ml_features", "ods_logs")
_MC_QUOTAS = ("os_PayAsYouGoQuota", "q-gold", "q-silver", "my quota")


class MaxComputeJobs(CollectionType):
    name = "maxcompute_running_jobs"
    id_key = "instanceId"
    span = 3000  # all inside the last hour
    choices = {"quotaNickname": _MC_QUOTAS, "jobOwner": _MC_OWNERS, "project": _MC_PROJECTS}

    def make(self, ctx, i, t_ms, rng, fixed):
        return {
            "instanceId": time.strftime("%Y%m%d%H%M%S", time.gmtime(t_ms // 1000)) + "%02d" % (i % 100)
            + _b36(rng, 12),
            "jobOwner": fixed.get("jobOwner") or _pick(_MC_OWNERS, i, 1, ctx),
            "project": fixed.get("project") or _pick(_MC_PROJECTS, i, 2, ctx),
            "quotaNickname": fixed.get("quotaNickname") or _pick(_MC_QUOTAS, i, 3, ctx),
            "_t": t_ms,
        }

    def render(self, ctx, core):
        i = core["_i"]
        submitted = core["_t"] // 1000
        return {
            "instanceId": core["instanceId"],
            "jobOwner": core.get("jobOwner"),
            "project": core.get("project"),
            "quotaNickname": core.get("quotaNickname"),
            "cuSnapshot": ctx.spread(i, 4, 1600) / 100.0,
            "memorySnapshot": ctx.spread(i, 5, 6400) / 100.0,
            "submittedAtTime": submitted,
            "runningAtTime": submitted + ctx.spread(i, 6, 60),
            "progress": ctx.spread(i, 7, 100),
        }

    def derived(self, ctx, core, name):
        if name == "submittedAtTime":
            return core["_t"] // 1000
        return super().derived(ctx, core, name)


_OCT_JOB_TYPES = ("SCENARIO_AUTO_MINING", "DATA_AUTO_LABEL", "DATA_CLEANING", "MODEL_EVALUATION")
_OCT_PROCESSORS = ("auto-label", "scene mining", "算子 一", "x/y+z*~'()", "lane-detect")
_OCT_OUTPUTS = ("DATASET", "SCENARIO", "REPORT")
_OCT_QUEUES = ("USER", "USER", "PROCESSOR", "INTERNAL")


class OctopusJobs(CollectionType):
    name = "octopus_queued_jobs"
    id_key = "id"
    order = "asc"   # a queue: head (oldest rank_stamp) first
    choices = {"queue_type": ("USER", "PROCESSOR", "INTERNAL"), "job_type": _OCT_JOB_TYPES,
               "output_type": _OCT_OUTPUTS, "cluster_type": ("CCE", "MODELARTS")}
    span = 2 * 86400

    def make(self, ctx, i, t_ms, rng, fixed):
        queue = fixed.get("queue_type") or _pick(_OCT_QUEUES, i, 1, ctx)
        core = {
            "id": 1 + i,
            "job_id": 100000 + 3 * i + ctx.spread(i, 2, 3),
            "job_type": fixed.get("job_type") or _pick(_OCT_JOB_TYPES, i, 3, ctx),
            "data_id": "DPK%07d" % (1 + ctx.spread(i, 4, 5000)),
            "queue_type": queue,
            "_t": t_ms,
        }
        if queue != "INTERNAL":   # internal queue entries carry no processor or output (seed page)
            core["processor_name"] = fixed.get("processor_name") or _pick(_OCT_PROCESSORS, i, 5, ctx)
            core["output_type"] = fixed.get("output_type") or _pick(_OCT_OUTPUTS, i, 6, ctx)
        if queue == "PROCESSOR":
            core["cluster_type"] = fixed.get("cluster_type") or _pick(("CCE", "MODELARTS"), i, 7, ctx)
            core["cluster_id"] = fixed.get("cluster_id") or ctx.secret("cluster", core["cluster_type"] + str(i % 3), 32)
        return core

    def render(self, ctx, core):
        i = core["_i"]
        out = {"id": core["id"], "job_id": core["job_id"]}
        if "processor_name" in core:
            out["processor_id"] = 2000 + ctx.spread(i, 8, 500)
            out["source"] = _pick(("MARKETPLACE", "CUSTOM"), i, 9, ctx)
            out["processor_name"] = core["processor_name"]
        out["job_type"] = core.get("job_type")
        out["data_id"] = core.get("data_id")
        if "output_type" in core:
            out["output_type"] = core["output_type"]
        out.update({
            "rank_stamp": core["_t"],
            "project_id": ctx.credentials["huawei"]["project_id"],
            "resource_spec": _pick(("1Core_4GiB", "4Core_16GiB", "8Core_32GiB_1GPU"), i, 10, ctx),
            "priority": ctx.spread(i, 11, 4),
            "queue_type": core.get("queue_type"),
            "workspace_id": _pick(("0", "ws-3f2a9c", "ws-77b1d0"), i, 12, ctx),
        })
        if "cluster_type" in core:
            out["cluster_type"] = core["cluster_type"]
            out["cluster_id"] = core["cluster_id"]
        return out

    def derived(self, ctx, core, name):
        if name == "rank_stamp":
            return core["_t"]
        if name in ("processor_name", "output_type", "cluster_type", "cluster_id"):
            return None   # absent from this item, so it matches no filter value
        return super().derived(ctx, core, name)


_SERIAL = itertools.count(1)

TYPES = {t.name: t for t in (RayClusters(), RayJobs(), DlcJobs(), MaxComputeJobs(), OctopusJobs())}


# --------------------------------------------------------------------------------------------------
# A built dataset
# --------------------------------------------------------------------------------------------------

class Dataset:
    """All items of one spec, plus the mutations /_emulator/changes applies to them.

    data[collection][scope] is a list of cores in listing order; scope is the workspace id for the
    EMR collections and None for the others.  Callers hold ``lock`` around reads and mutations.
    """

    def __init__(self, spec, wall=time.time):
        self.spec = spec
        self.wall = wall
        self.credentials = merged_credentials(spec)
        now = _parse_now(spec.get("now"))
        self.built_at = wall()
        anchor = int(now if now is not None else self.built_at)
        self.ctx = Ctx(spec.get("seed", 0), anchor * 1000, self.credentials)
        self.lock = threading.RLock()
        self.serial = next(_SERIAL)   # tells listing caches apart across resets
        self.version = 0
        self.data = {}
        self._next_index = {}
        for name in COLLECTIONS:
            self.data[name] = {}
            raw = spec.get(name)
            if raw is None:
                raw = {} if name in SCOPED else {"count": 0}
            scopes = raw.items() if name in SCOPED else ((None, raw),)
            for scope, cspec in scopes:
                self.data[name][scope] = self._build(TYPES[name], scope, cspec)

    def now_ms(self):
        """The dataset clock: the anchor plus the wall time elapsed since the build."""
        return self.ctx.anchor_ms + int((self.wall() - self.built_at) * 1000)

    def _rng(self, ctype, scope):
        return random.Random("%s|%s|%s" % (self.ctx.seed, ctype.name, scope))

    def _build(self, ctype, scope, cspec):
        mix = cspec.get("mix", {})
        count = cspec.get("count", sum(next(iter(mix.values()), {}).values()) if mix else 0)
        span_ms = int(1000 * cspec.get("span_seconds", ctype.span))
        rng = self._rng(ctype, scope)
        columns = {field: interleave(counts, count) for field, counts in mix.items()}
        for field, column in columns.items():
            if field in ctype.choices and None in column:
                others = [v for v in ctype.choices[field] if v not in mix[field]]
                if not others:
                    raise SpecError("%s: the mix covers every value of %s, so count must equal its total"
                                    % (ctype.name, field))
                columns[field] = [others[self.ctx.spread(i, 77, len(others))] if v is None else v
                                  for i, v in enumerate(column)]
        anchor = self.ctx.anchor_ms
        items = []
        for i in range(count):
            offset = 60000 + span_ms * i // max(count, 1)
            if ctype.order == "asc":
                offset = 60000 + span_ms * (count - 1 - i) // max(count, 1)
            fixed = {field: col[i] for field, col in columns.items() if col[i] is not None}
            core = ctype.make(self.ctx, i, anchor - offset, rng, fixed)
            core["_i"] = i
            for field, value in fixed.items():   # the mix wins even over fields the generator derives
                set_path(core, field, value)
            for field, column in columns.items():
                # A free-form field (a name) outside the mix must not happen to equal a mixed value.
                if column[i] is None and ctype.value(self.ctx, core, field) in mix[field]:
                    set_path(core, field, "%s-%d" % (ctype.value(self.ctx, core, field), i))
            items.append(core)
        for override in cspec.get("overrides", []):
            if 0 <= override["index"] < count:
                deep_merge(items[override["index"]], override["set"])
        self._next_index[(ctype.name, scope)] = count
        return items

    # ---- reading -------------------------------------------------------------------------------

    def items(self, collection, scope=None):
        return self.data[collection].get(scope, [])

    def scopes(self, collection):
        return list(self.data[collection])

    def wire(self, collection, core):
        return TYPES[collection].wire(self.ctx, core)

    def value(self, collection, core, path):
        return TYPES[collection].value(self.ctx, core, path)

    def hidden(self, collection, core):
        return {name: TYPES[collection].value(self.ctx, core, name) for name in TYPES[collection].hidden}

    def find(self, collection, item_id):
        id_key = TYPES[collection].id_key
        for scope, items in self.data[collection].items():
            for core in items:
                if core.get(id_key) == item_id or str(core.get(id_key)) == str(item_id):
                    return scope, core
        return None, None

    # ---- mutations (all bump the version, which invalidates listing caches) -----------------------

    def set_fields(self, collection, item_id, values):
        core = self.find(collection, item_id)[1]
        if core is None:
            raise SpecError("%s has no item with %s=%r" % (collection, TYPES[collection].id_key, item_id))
        deep_merge(core, values)
        self.version += 1

    def _scope_for(self, collection, scope):
        if collection not in SCOPED:
            return None
        if scope is None:
            scopes = self.scopes(collection)
            if not scopes:
                raise SpecError("%s has no workspace; give 'workspace'" % collection)
            return scopes[0]
        return scope

    def add(self, collection, count, scope=None, where="start"):
        """Insert count new items at the start or end of the listing, timed to sort where they are put."""
        ctype = TYPES[collection]
        scope = self._scope_for(collection, scope)
        items = self.data[collection].setdefault(scope, [])
        rng = random.Random("%s|%s|%s|added|%d" % (self.ctx.seed, collection, scope, self.version))
        newer = (where == "start") == (ctype.order == "desc")
        for dummy in range(count):
            i = self._next_index.get((collection, scope), len(items))
            self._next_index[(collection, scope)] = i + 1
            if items:
                edge = items[0] if where == "start" else items[-1]
                t_ms = edge["_t"] + (1000 if newer else -1000)
            else:
                t_ms = self.now_ms() - 1000
            core = ctype.make(self.ctx, i, t_ms, rng, {})
            core["_i"] = i
            if where == "start":
                items.insert(0, core)
            else:
                items.append(core)
        self.version += 1

    def remove(self, collection, count, scope=None, where="start"):
        scope = self._scope_for(collection, scope)
        items = self.data[collection].get(scope, [])
        if where == "start":
            del items[:count]
        else:
            del items[max(0, len(items) - count):]
        self.version += 1
