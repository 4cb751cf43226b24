# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: pai_dlc_jobs
short_description: Alibaba Cloud PAI-DLC training jobs as hosts
version_added: 1.0.0
description:
  - One host per training job of each region in O(regions), listed with the PAI-DLC C(ListJobs) API
    (2020-12-03), every page, with the API's filters.
  - Without O(start_time) and O(end_time) the API itself only lists jobs created in the last seven days.
  - Hostnames are the job's display name; jobs that share a name are named C(<display_name>_<job_id>).
  - Host variables are the job's fields as the module M(jobscope.cloud.pai_dlc_job_info) returns them, each
    prefixed with O(hostvar_prefix) - C(jobscope_job_id), C(jobscope_display_name), C(jobscope_status),
    C(jobscope_workspace_id), C(jobscope_settings) (its C(tags) with the user's keys as they are) and so on - plus,
    when known, C(jobscope_region). Registry passwords and credential role keys are redacted.
  - Default groups - C(pai_dlc_jobs), C(pai_dlc_jobs_<status>) (for example C(pai_dlc_jobs_running)) and
    C(pai_dlc_jobs_workspace_<workspace_id>).
  - The file must be named C(pai_dlc_jobs.yml) or end in C(.pai_dlc_jobs.yml) (or C(.yaml)).
author:
  - Jobscope Maintainers (@jobscope)
options:
  plugin:
    description:
      - The name of this plugin, which makes a file a source of it.
    type: str
    required: true
    choices: [jobscope.cloud.pai_dlc_jobs]
  hostnames:
    default: [display_name, job_id]
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.inventory
  - jobscope.cloud.inventory.alibaba_connection
  - jobscope.cloud.filters.pai_dlc_job
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
'''

EXAMPLES = r'''
---
# training.pai_dlc_jobs.yml - the jobs of the last thirty days in two regions
plugin: jobscope.cloud.pai_dlc_jobs
regions: [cn-hangzhou, cn-shanghai]
start_time: -30d
end_time: now

---
# PyTorch jobs of one workspace, grouped by their team tag and resource quota
plugin: jobscope.cloud.pai_dlc_jobs
regions: [cn-hangzhou]
workspace_id: "268"
job_type: PyTorchJob
keyed_groups:
  - key: jobscope_settings.tags.team | default('none')
    prefix: team
  - key: jobscope_resource_quota_name
    prefix: quota
'''

from ansible_collections.jobscope.cloud.plugins.plugin_utils.inventory import JobscopeInventory


class InventoryModule(JobscopeInventory):
    NAME = 'jobscope.cloud.pai_dlc_jobs'
    ENDPOINT = 'pai_dlc_job'
    SOURCES = ('regions',)
    HOSTNAMES = ('display_name', 'job_id')
    GROUP_BY = (('', 'status'), ('workspace', 'workspace_id'))
