# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Turns an endpoint declaration into a running info module: options, validation, listing, wait, result."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS
from ansible_collections.jobscope.cloud.plugins.module_utils.gate import Gate, GateError
from ansible_collections.jobscope.cloud.plugins.module_utils.listing import DEFAULT_CONCURRENCY, Plan, summarize
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError
from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import Scrubber
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import (
    CloudError,
    DEFAULT_DEADLINE,
    DEFAULT_MAX_BODY_SIZE,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
)

CONNECTION_SPEC = dict(
    validate_certs=dict(type='bool', default=True),
    timeout=dict(type='int', default=30),
    max_retries=dict(type='int', default=5),
    deadline=dict(type='float', default=DEFAULT_DEADLINE),
    max_body_size=dict(type='int', default=DEFAULT_MAX_BODY_SIZE),
)

LISTING_SPEC = dict(
    page_size=dict(type='int'),
    max_items=dict(type='int'),
    concurrency=dict(type='int', default=DEFAULT_CONCURRENCY),
    redact=dict(type='bool', default=True),
    fields=dict(type='list', elements='str'),
    wait=dict(
        type='dict',
        options=dict(
            until=dict(type='str'),
            fail_if=dict(type='str'),
            timeout=dict(type='int', default=300),
            sleep=dict(type='float', default=5),
        ),
    ),
)


def argument_spec(endpoint):
    spec = dict((param.option, param.spec()) for param in endpoint.params)
    for common in (endpoint.cloud.spec, CONNECTION_SPEC, LISTING_SPEC):
        spec.update(common)
    return spec


def run_info_module(name):
    endpoint = ENDPOINTS[name]
    module = AnsibleModule(argument_spec=argument_spec(endpoint), supports_check_mode=True)
    # Secrets inside options that are not no_log as a whole (a token in a URL) are masked like no_log values
    # in everything the module returns, its invocation included.
    module.no_log_values.update(endpoint.cloud.secret_values(module.params))
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))

    # Until the credentials are resolved, the ones given as options; then the Plan's, from any source.
    scrub = Scrubber(endpoint.cloud.secret_values(module.params))
    try:
        gate = Gate.from_options(module.params['wait'])
        if gate:
            gate.probe({endpoint.result_key: [], 'complete': True, 'total': 0, 'wait': {'attempts': 0, 'elapsed': 0.0}})
        plan = Plan(endpoint, module.params)
    except OptionError as exc:
        module.fail_json(msg=scrub(str(exc)), option=exc.option)
    scrub = plan.scrub

    warnings = []
    # One session, and its connections, for every poll of a wait.
    transport = plan.transport()

    def poll():
        result, listing = plan.run(transport)
        warnings[:] = listing.warnings  # only the last listing's warnings matter
        return result

    try:
        result = gate.run(poll, lambda last: summarize(endpoint, last)) if gate else poll()
    except CloudError as exc:
        module.fail_json(**scrub(exc.as_result()))
    except GateError as exc:
        # The result's items are already shaped (and redacted unless redact is false): only the message.
        module.fail_json(msg=scrub(exc.message), **exc.result)
    finally:
        transport.close()
    for warning in warnings:
        module.warn(scrub(warning))
    module.exit_json(changed=False, **result)
