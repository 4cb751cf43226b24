# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gate's presets, as data, and the one function that turns a check into a source, filters and
expressions. Shared by the job_gate module, its action plugin (which needs the source to find its
module_defaults) and so by the job_gate role.

A preset names, for each source (an info module) it applies to, a ``Variant``:

- ``param``: the check key that may carry the value instead of ``value`` (the role's historical names);
- ``filter``: the source option that receives the value (None: the listing is not filtered by it), as a
  one-element list when ``as_list``;
- ``filters``: further source options the preset sets (the check's own ``filters`` win);
- ``until`` / ``fail_if``: JMESPath, ``@VALUE@`` standing for the value as a JMESPath literal (the
  check's own ``until`` / ``fail_if`` win);
- ``states``: the API states the expressions rely on, for the documentation.
"""

from __future__ import annotations

import json

from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError

# Sources are the info modules: <endpoint name>_info, for every endpoint of the table.
SOURCES = dict((endpoint.name + '_info', endpoint) for endpoint in ENDPOINTS.values())


class Variant(object):
    def __init__(
        self, param, until=None, fail_if=None, filter=None, as_list=False, filters=None, states='', deprecated=None
    ):
        self.param, self.filter, self.as_list = param, filter, as_list
        self.filters = filters or {}
        self.until, self.fail_if = until, fail_if
        self.states = states
        self.deprecated = deprecated


# DLC lists only the last 7 days without StartTime; a job gate must find older jobs too.
DLC_LOOKBACK = '-365d'

PRESETS = {
    'cluster_running': {
        'emr_ray_cluster_info': Variant(
            param='cluster_name',
            until="clusters[?name == @VALUE@].state | [0] == 'Running'",
            fail_if="contains(['Error', 'Stopped', 'Stopping'], clusters[?name == @VALUE@].state | [0])",
            states='holds on Running; fails on Error, Stopped and Stopping; waits on Starting or a cluster '
            'not (yet) listed',
        ),
    },
    'no_running_jobs': {
        'maxcompute_running_job_info': Variant(
            param='quota',
            filter='quota_nickname_list',
            as_list=True,
            filters={'from_time': '-7d', 'to_time': 'now'},
            until='total == `0`',
            states='holds when GetRunningJobs reports a totalCount of 0 for the quota (jobs submitted in the '
            'last 7 days unless filters give from_time / to_time); one request a poll',
        ),
        # The historical name of the Octopus preset; it tests the queue, so it is no_queued_jobs now.
        'octopus_queued_job_info': Variant(
            param='queue_type',
            filter='queue_type',
            until='total == `0`',
            states='holds when QueryQueuedJobList reports a total of 0 for the queue; one request a poll',
            deprecated='preset no_running_jobs on octopus_queued_job_info tests queued jobs, not running '
            'ones; use preset no_queued_jobs',
        ),
    },
    'no_queued_jobs': {
        'octopus_queued_job_info': Variant(
            param='queue_type',
            filter='queue_type',
            until='total == `0`',
            states='holds when QueryQueuedJobList reports a total of 0 for the queue; one request a poll',
        ),
    },
    'job_succeeded': {
        'emr_ray_job_info': Variant(
            param='job_id',
            filter='submission_id',
            until="jobs[?submission_id == @VALUE@].status | [0] == 'Succeeded'",
            fail_if="contains(['Failed', 'Cancelled', 'Timeout'], jobs[?submission_id == @VALUE@].status | [0])",
            states='holds on Succeeded; fails on Failed, Cancelled and Timeout; waits on Submitted, Pending, '
            'Running and Cancelling',
        ),
        'pai_dlc_job_info': Variant(
            param='job_id',
            filter='job_id',
            filters={'start_time': DLC_LOOKBACK},
            until="contains(['Succeeded', 'SucceededReserving'], jobs[?job_id == @VALUE@].status | [0])",
            fail_if="contains(['Failed', 'FailedReserving', 'Stopped'], jobs[?job_id == @VALUE@].status | [0])",
            states='holds on Succeeded and SucceededReserving; fails on Failed, FailedReserving and Stopped; '
            'lists jobs created in the last 365 days (the API alone lists 7) unless filters give '
            'start_time',
        ),
    },
}


def literal(value):
    """A value as a JMESPath JSON literal: any text is safe in it (quotes, backslashes, backticks)."""
    return '`%s`' % json.dumps(value, ensure_ascii=False).replace('`', '\\`')


class Resolved(object):
    """A check ready to poll: its source and endpoint, the source's options, the expressions."""

    def __init__(self, name, source, filters, until, fail_if, warnings):
        self.name, self.source, self.endpoint = name, source, SOURCES[source]
        self.filters, self.until, self.fail_if = filters, until, fail_if
        self.warnings = warnings


def variant_params():
    """Every check key a preset may read its value from (cluster_name, quota, queue_type, job_id)."""
    return sorted(set(variant.param for variants in PRESETS.values() for variant in variants.values()))


def _value(check, variant):
    value = check.get('value')
    if value in (None, ''):
        value = check.get(variant.param)
    return None if value in (None, '') else value


def resolve_check(check, label):
    """Expand a check's preset: returns a Resolved, or raises OptionError naming ``label`` (checks[i])."""
    name = check.get('name')
    if not isinstance(name, str) or not name.strip():
        raise OptionError(label + '.name', '%s.name is required' % label)
    source = check.get('source') or None
    preset = check.get('preset') or None
    warnings = []
    filters, until, fail_if = {}, None, None
    if source is not None and source not in SOURCES:
        raise OptionError(
            label + '.source',
            "%s.source must be one of %s, got %r (check '%s')" % (label, ', '.join(sorted(SOURCES)), source, name),
        )
    if preset is not None:
        if preset not in PRESETS:
            raise OptionError(
                label + '.preset',
                "%s.preset must be one of %s, got %r (check '%s')" % (label, ', '.join(sorted(PRESETS)), preset, name),
            )
        variants = PRESETS[preset]
        if source is None:
            # The source is the one whose own value key the check gives, or the preset's only current one.
            given = [
                candidate
                for candidate, variant in sorted(variants.items())
                if check.get(variant.param) not in (None, '')
            ]
            # A deprecated variant (a former name) is only ever picked by its own value key.
            current = [candidate for candidate, variant in sorted(variants.items()) if not variant.deprecated]
            if len(given) == 1:
                source = given[0]
            elif len(current) == 1:
                source = current[0]
            else:
                raise OptionError(
                    label + '.source',
                    "check '%s': preset %s needs source, one of %s" % (name, preset, ', '.join(sorted(variants))),
                )
        if source not in variants:
            raise OptionError(
                label + '.preset',
                "check '%s': preset %s does not apply to source %s (it applies "
                "to %s)" % (name, preset, source, ', '.join(sorted(variants))),
            )
        variant = variants[source]
        value = _value(check, variant)
        if value is None:
            raise OptionError(
                label + '.value',
                "check '%s': preset %s with source %s needs value (or %s)" % (name, preset, source, variant.param),
            )
        if variant.deprecated:
            warnings.append("check '%s': %s" % (name, variant.deprecated))
        filters = dict(variant.filters)
        if variant.filter:
            filters[variant.filter] = [value] if variant.as_list else value
        text = literal(value)
        until = variant.until.replace('@VALUE@', text) if variant.until else None
        fail_if = variant.fail_if.replace('@VALUE@', text) if variant.fail_if else None
    elif source is None:
        raise OptionError(label + '.source', "check '%s' needs a source or a preset" % name)
    filters.update(check.get('filters') or {})
    until = check.get('until') or until
    fail_if = check.get('fail_if') or fail_if
    if until is None and fail_if is None:
        raise OptionError(label, "check '%s' needs until, fail_if or a preset" % name)
    return Resolved(name, source, filters, until, fail_if, warnings)
