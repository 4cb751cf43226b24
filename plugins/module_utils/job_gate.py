# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The job_gate module: checks resolved (presets expanded, each source's options validated with that
source's own argument spec), then one MultiGate over all of them, every round listing each source
concurrently, in one process, over one session per source for the whole wait."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.jobscope.cloud.plugins.module_utils.gate import (
    Condition,
    GateCheck,
    GateError,
    HAS_JMESPATH,
    JMESPATH_IMPORT_ERROR,
    MultiGate,
    reads_only,
    root_keys,
)
from ansible_collections.jobscope.cloud.plugins.module_utils.info import argument_spec as source_spec
from ansible_collections.jobscope.cloud.plugins.module_utils.listing import Plan
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError
from ansible_collections.jobscope.cloud.plugins.module_utils.presets import (
    PRESETS,
    resolve_check,
    variant_params,
)
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import (
    CloudError,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
)

# What a check's expressions may read for a poll to cost one page (on an endpoint that reports a total).
CHEAP_KEYS = ('total', 'complete')

CHECK_SPEC = dict(
    name=dict(type='str', required=True),
    # Checked against the endpoint table by resolve_check, so a new endpoint needs no edit here or in the docs.
    source=dict(type='str'),
    preset=dict(type='str', choices=sorted(PRESETS)),
    value=dict(type='str'),
    filters=dict(type='dict', default={}),
    until=dict(type='str'),
    fail_if=dict(type='str'),
    timeout=dict(type='int'),
    sleep=dict(type='float'),
    module_defaults=dict(type='dict', default={}),
)
# The keys a preset may also read its value from (the job_gate role's check keys).
CHECK_SPEC.update((param, dict(type='str')) for param in variant_params())

ARGUMENT_SPEC = dict(
    checks=dict(type='list', elements='dict', required=True, options=CHECK_SPEC),
    timeout=dict(type='int', default=300),
    sleep=dict(type='float', default=5),
    fail=dict(type='bool', default=True),
    cloud_defaults=dict(type='dict', default={}),
    results_fact=dict(type='str'),
)


def secret_names(spec):
    return [name for name, option in spec.items() if option.get('no_log')]


class SourceCheck(object):
    """One check, ready to poll: its Plan, whether a poll reads one page, and its GateCheck."""

    def __init__(self, index, check, cloud_defaults, secrets):
        label = 'checks[%d]' % index
        resolved = resolve_check(check, label)
        self.warnings = list(resolved.warnings)
        endpoint = self.endpoint = resolved.endpoint
        if 'wait' in resolved.filters:
            raise OptionError(
                label + '.filters', "check '%s': %s.filters must not set wait; the gate waits" % (resolved.name, label)
            )
        options = dict(check.get('module_defaults') or {})
        options.update(cloud_defaults.get(endpoint.cloud.name) or {})
        options.update(resolved.filters)
        spec = source_spec(endpoint)
        for name in secret_names(spec):
            if options.get(name):
                secrets.add(str(options[name]))
        validated = ArgumentSpecValidator(spec).validate(options)
        if validated.error_messages:
            # The validator names options, never their values.
            raise OptionError(
                label + '.filters',
                "check '%s' (%s): %s" % (resolved.name, resolved.source, '; '.join(validated.error_messages)),
            )
        try:
            self.plan = Plan(endpoint, validated.validated_parameters)
        except OptionError as exc:
            raise OptionError(
                '%s.filters.%s' % (label, exc.option),
                "check '%s' (%s): %s" % (resolved.name, resolved.source, exc.message),
            )
        condition = Condition(resolved.until, resolved.fail_if, label)
        condition.probe({endpoint.result_key: [], 'complete': True, 'total': 0})
        has_total = bool(endpoint.total) and self.plan.keep is None
        if not has_total and any('total' in (root_keys(expression) or ()) for expression in condition.expressions()):
            # null == `0` is false for ever: the gate would wait out its timeout on a typo-free expression.
            why = 'the API reports none' if not endpoint.total else 'filters applied on the controller'
            raise OptionError(
                label,
                "check '%s' (%s) reads total, which this listing does not have (%s); test "
                "length(%s) instead" % (resolved.name, resolved.source, why, endpoint.result_key),
            )
        # Decided from the parsed expressions: a check reading only the total reads one page a poll.
        self.first_page = has_total and reads_only(condition.expressions(), CHEAP_KEYS)
        self.gate_check = GateCheck(resolved.name, resolved.source, condition, summarize=self.summarize)
        self.timeout, self.sleep = check.get('timeout'), check.get('sleep')
        self.transport = None
        self.last_warnings = []

    def poll(self):
        if self.transport is None:
            self.transport = self.plan.transport()
        try:
            result, listing = self.plan.run(self.transport, first_page=self.first_page)
        except CloudError as exc:
            exc.message = "check '%s' (%s): %s" % (self.gate_check.name, self.gate_check.source, exc.message)
            raise
        self.last_warnings = listing.warnings
        if self.first_page:
            # The items of a one-item page are not the listing: keep them out of what is evaluated.
            del result[self.endpoint.result_key]
        return result

    def summarize(self, result):
        endpoint = self.endpoint
        summary = dict(
            total=result.get('total'), complete=result.get('complete'), pages_read='first' if self.first_page else 'all'
        )
        if self.first_page:
            summary['seen'] = 'total %s (one page a poll)' % result.get('total')
            return summary
        items = result.get(endpoint.result_key) or []
        summary['count'] = len(items)
        if endpoint.state:
            counts = Counter(str(item.get(endpoint.state)) if isinstance(item, dict) else '?' for item in items)
            summary['states'] = dict(counts)
            by_state = ', '.join('%s=%d' % pair for pair in sorted(counts.items()))
            summary['seen'] = '%d item(s)%s' % (
                len(items),
                ' (%s: %s)' % (endpoint.state, by_state) if by_state else '',
            )
        else:
            summary['seen'] = '%d item(s)' % len(items)
        if result.get('complete') is False:
            summary['seen'] += ', listing incomplete'
        return summary

    def close(self):
        if self.transport is not None:
            self.transport.close()


def run_job_gate_module():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
    if not HAS_JMESPATH:
        module.fail_json(msg=missing_required_lib('jmespath'), exception=str(JMESPATH_IMPORT_ERROR))
    params = module.params
    secrets = set()
    sources = []
    try:
        cloud_defaults = params['cloud_defaults']
        errors = []
        for index, check in enumerate(params['checks']):
            try:
                sources.append(SourceCheck(index, check, cloud_defaults, secrets))
            except OptionError as exc:
                errors.append(exc)
        if errors:
            # Every check that cannot run, at once: one fix-and-retry cycle, not one per check.
            raise OptionError(
                errors[0].option,
                'job_gate: %d of %d check(s) cannot run, nothing was polled: %s'
                % (len(errors), len(params['checks']), '; '.join(str(exc) for exc in errors)),
            )
        # The role's per-check timeout and sleep: the gate waits for the longest and polls at the shortest.
        timeout = max([params['timeout']] + [source.timeout for source in sources if source.timeout is not None])
        sleep = min([params['sleep']] + [source.sleep for source in sources if source.sleep is not None])
        gate = MultiGate([source.gate_check for source in sources], timeout=timeout, sleep=sleep)
    except OptionError as exc:
        module.no_log_values.update(secrets)
        module.fail_json(msg=str(exc), option=exc.option)
    module.no_log_values.update(secrets)
    for source in sources:
        for warning in source.warnings:
            module.warn(warning)

    pool = ThreadPoolExecutor(max_workers=len(sources))

    def poll_round():
        # Every source listed at once: a round is as close to one instant as the APIs allow.
        futures = [pool.submit(source.poll) for source in sources]
        return [future.result() for future in futures]

    failure = None
    try:
        result = gate.run(poll_round)
    except GateError as exc:
        result, failure = exc.result, exc.message
    except CloudError as exc:
        module.fail_json(**exc.as_result())
    finally:
        pool.shutdown(wait=True)
        for source in sources:
            source.close()
    for source in sources:
        for warning in source.last_warnings:
            module.warn("check '%s': %s" % (source.gate_check.name, warning))
    for entry in result['checks']:
        # The shape the job_gate role documented for job_gate_results.
        entry['wait'] = dict(
            until=entry['until'],
            fail_if=entry['fail_if'],
            timeout=timeout,
            sleep=sleep,
            attempts=entry['attempts'],
            elapsed=result['elapsed'],
        )
    result.update(timeout=timeout, sleep=sleep)
    if failure is not None and params['fail']:
        module.fail_json(**result)
    if params['results_fact']:
        result['ansible_facts'] = {params['results_fact']: result['checks']}
    module.exit_json(changed=False, **result)
