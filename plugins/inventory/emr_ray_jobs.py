# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: emr_ray_jobs
short_description: Ray jobs of Alibaba Cloud EMR Serverless Spark workspaces as hosts
version_added: 1.0.0
description:
  - One host per Ray job of each workspace in O(workspace_ids), listed with the EMR Serverless Spark
    C(ListRayJob) API (2023-08-08), every page, with the API's filters.
  - Hostnames are the job name; jobs that share a name are named C(<name>_<submission_id>).
  - Host variables are the job's fields as the module M(jobscope.cloud.emr_ray_job_info) returns them, each
    prefixed with O(hostvar_prefix) - C(jobscope_submission_id), C(jobscope_name), C(jobscope_status),
    C(jobscope_cu_hours), C(jobscope_dashboard_url) (its token redacted) and so on - plus
    C(jobscope_workspace_id) and, when known, C(jobscope_region).
  - Default groups - C(emr_ray_jobs), C(emr_ray_jobs_<status>) (for example C(emr_ray_jobs_running)) and
    C(emr_ray_jobs_workspace_<workspace_id>).
  - The file must be named C(emr_ray_jobs.yml) or end in C(.emr_ray_jobs.yml) (or C(.yaml)).
author:
  - Jobscope Maintainers (@jobscope)
options:
  plugin:
    description:
      - The name of this plugin, which makes a file a source of it.
    type: str
    required: true
    choices: [jobscope.cloud.emr_ray_jobs]
  hostnames:
    default: [name, submission_id]
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.inventory
  - jobscope.cloud.inventory.alibaba_connection
  - jobscope.cloud.inventory.workspaces
  - jobscope.cloud.filters.emr_ray_job
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
'''

EXAMPLES = r'''
---
# today.emr_ray_jobs.yml - the jobs submitted in the last day, named by submission ID
plugin: jobscope.cloud.emr_ray_jobs
regions: [cn-hangzhou]
workspace_ids: [w-d2d82aa09155]
submit_time:
  start_time: -1d
hostnames: [submission_id]

---
# Only failed or timed-out jobs, grouped by their cluster's state
plugin: jobscope.cloud.emr_ray_jobs
regions: [cn-hangzhou]
workspace_ids: [w-d2d82aa09155]
include_filters:
  - "contains(['Failed', 'Timeout'], status)"
keyed_groups:
  - key: jobscope_cluster_state
    prefix: cluster
'''

from ansible_collections.jobscope.cloud.plugins.plugin_utils.inventory import JobscopeInventory


class InventoryModule(JobscopeInventory):
    NAME = 'jobscope.cloud.emr_ray_jobs'
    ENDPOINT = 'emr_ray_job'
    SOURCES = ('regions', 'workspace_ids')
    HOSTNAMES = ('name', 'submission_id')
    GROUP_BY = (('', 'status'), ('workspace', 'workspace_id'))
