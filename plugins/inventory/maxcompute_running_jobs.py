# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: maxcompute_running_jobs
short_description: Running jobs of Alibaba Cloud MaxCompute as hosts
version_added: 1.0.0
description:
  - One host per running job submitted between O(from_time) and O(to_time) in each region of O(regions),
    listed with the MaxCompute C(GetRunningJobs) API (2022-01-04), every page.
  - Hostnames are the job's instance ID.
  - Host variables are the job's fields as the module M(jobscope.cloud.maxcompute_running_job_info) returns
    them, each prefixed with O(hostvar_prefix) - C(jobscope_instance_id), C(jobscope_project),
    C(jobscope_job_owner), C(jobscope_quota_nickname), C(jobscope_progress) and so on - plus, when known,
    C(jobscope_region).
  - Default groups - C(maxcompute_running_jobs), C(maxcompute_running_jobs_quota_<quota_nickname>) (for example
    C(maxcompute_running_jobs_quota_q_gold)) and C(maxcompute_running_jobs_project_<project>).
  - The file must be named C(maxcompute_running_jobs.yml) or end in C(.maxcompute_running_jobs.yml)
    (or C(.yaml)).
author:
  - Jobscope Maintainers (@jobscope)
options:
  plugin:
    description:
      - The name of this plugin, which makes a file a source of it.
    type: str
    required: true
    choices: [jobscope.cloud.maxcompute_running_jobs]
  hostnames:
    default: [instance_id]
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.inventory
  - jobscope.cloud.inventory.alibaba_connection
  - jobscope.cloud.filters.maxcompute_running_job
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
'''

EXAMPLES = r'''
---
# running.maxcompute_running_jobs.yml - jobs submitted in the last six hours that are still running
plugin: jobscope.cloud.maxcompute_running_jobs
regions: [cn-hangzhou]
from_time: -6h
to_time: now

---
# Only the jobs on two quotas, named after their project, slow ones in a group of their own
plugin: jobscope.cloud.maxcompute_running_jobs
regions: [cn-hangzhou]
from_time: -1d
to_time: now
quota_nickname_list: [q-gold, q-silver]
hostnames:
  - name: instance_id
    prefix: project
    separator: "/"
groups:
  slow: jobscope_progress < 10
'''

from ansible_collections.jobscope.cloud.plugins.plugin_utils.inventory import JobscopeInventory


class InventoryModule(JobscopeInventory):
    NAME = 'jobscope.cloud.maxcompute_running_jobs'
    ENDPOINT = 'maxcompute_running_job'
    SOURCES = ('regions',)
    HOSTNAMES = ('instance_id',)
    GROUP_BY = (('quota', 'quota_nickname'), ('project', 'project'))
