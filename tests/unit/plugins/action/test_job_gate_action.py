# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The job_gate action's module_defaults per source, through whichever ansible-core API this version has
(get_action_args_with_defaults before 2.19, _apply_action_arg_defaults from 2.19), and its secret scrub."""

from __future__ import annotations

from types import SimpleNamespace

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.jobscope.cloud.plugins.action import job_gate as action

try:  # ansible-core 2.19+: only templates from trusted sources (a playbook) are rendered
    from ansible.template import trust_as_template
except ImportError:  # earlier: every string is a template
    def trust_as_template(value):
        return value


def action_with(module_defaults):
    groups = {'jobscope.cloud.pai_dlc_job_info': ['jobscope.cloud.alibaba'],
              'jobscope.cloud.emr_ray_cluster_info': ['jobscope.cloud.alibaba'],
              'jobscope.cloud.octopus_queued_job_info': ['jobscope.cloud.huawei']}
    plugin = action.ActionModule.__new__(action.ActionModule)
    plugin._task = SimpleNamespace(module_defaults=module_defaults,
                                   _parent=SimpleNamespace(_play=SimpleNamespace(_action_groups=groups)))
    plugin._templar = Templar(loader=DataLoader(), variables={'region_var': 'cn-shanghai'})
    return plugin


def test_group_and_module_defaults_apply_per_source_as_ansible_core_applies_them():
    plugin = action_with([
        {'group/jobscope.cloud.alibaba': {'region': trust_as_template('{{ region_var }}'), 'endpoint': 'http://group'},
         'group/jobscope.cloud.huawei': {'project_id': 'p', 'endpoint': 'http://huawei'}},
        {'jobscope.cloud.pai_dlc_job_info': {'endpoint': 'http://dlc'}},
    ])
    assert plugin._source_defaults('pai_dlc_job_info') == {'region': 'cn-shanghai', 'endpoint': 'http://dlc'}
    assert plugin._source_defaults('emr_ray_cluster_info') == {'region': 'cn-shanghai', 'endpoint': 'http://group'}
    assert plugin._source_defaults('octopus_queued_job_info') == {'project_id': 'p', 'endpoint': 'http://huawei'}
    assert plugin._source_defaults('maxcompute_running_job_info') == {}  # not in the groups given here


def test_secret_options_of_every_source_are_found_at_any_depth():
    found = set()
    action._secrets_in({'alibaba': {'access_key_secret': 's1', 'region': 'r'},
                        'huawei': {'auth_token': 't1', 'security_token': 's2', 'access_key_id': 'id'}}, found)
    assert found == {'s1', 't1', 's2'}
    assert {'access_key_secret', 'security_token', 'auth_token'} <= action.SECRET_OPTIONS
    assert 'access_key_id' not in action.SECRET_OPTIONS
