# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The action of jobscope.cloud.job_gate: give each check the module_defaults of its source (the groups
group/jobscope.cloud.alibaba and group/jobscope.cloud.huawei, and the source module's own), exactly as
ansible-core gives them to that info module, then run the job_gate module once, where the task runs."""

from __future__ import annotations

from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase

from ansible_collections.jobscope.cloud.plugins.module_utils.info import argument_spec
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError
from ansible_collections.jobscope.cloud.plugins.module_utils.presets import SOURCES, resolve_check

try:  # ansible-core 2.19 and later
    from ansible.executor.module_common import _apply_action_arg_defaults

    get_action_args_with_defaults = None
except ImportError:  # ansible-core 2.16 to 2.18
    _apply_action_arg_defaults = None
    from ansible.executor.module_common import get_action_args_with_defaults  # type: ignore[no-redef]

COLLECTION = 'jobscope.cloud'
# Every option of any source that is a secret (access_key_secret, security_token, auth_token, ...).
SECRET_OPTIONS = frozenset(
    name for endpoint in SOURCES.values() for name, spec in argument_spec(endpoint).items() if spec.get('no_log')
)


def _secrets_in(options, found):
    if isinstance(options, dict):
        for key, value in options.items():
            if key in SECRET_OPTIONS and isinstance(value, str) and value:
                found.add(value)
            elif isinstance(value, dict):
                _secrets_in(value, found)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def _source_defaults(self, source):
        """The module_defaults that apply to jobscope.cloud.<source>, templated, as that module gets them."""
        action = '%s.%s' % (COLLECTION, source)
        if _apply_action_arg_defaults is not None:
            return self._templar.template(_apply_action_arg_defaults(action, self._task, {}, self._templar))
        return get_action_args_with_defaults(
            action, {}, self._task.module_defaults, self._templar, action_groups=self._task._parent._play._action_groups
        )

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        args = dict(self._task.args)
        secrets = set()
        checks = args.get('checks')
        if isinstance(checks, list):
            resolved_checks = []
            for index, check in enumerate(checks):
                if isinstance(check, dict):
                    check = dict(check)
                    try:
                        source = resolve_check(check, 'checks[%d]' % index).source
                    except OptionError:
                        source = None  # the module reports the problem, naming the option
                    if source is not None:
                        check['module_defaults'] = self._source_defaults(source)
                    for key in ('filters', 'module_defaults'):
                        _secrets_in(check.get(key), secrets)
                resolved_checks.append(check)
            args['checks'] = resolved_checks
        _secrets_in(args.get('cloud_defaults'), secrets)
        result.update(
            self._execute_module(module_name='%s.job_gate' % COLLECTION, module_args=args, task_vars=task_vars)
        )
        # The module hides what it validated; this also covers a failure before its own validation.
        return remove_values(result, secrets) if secrets else result
