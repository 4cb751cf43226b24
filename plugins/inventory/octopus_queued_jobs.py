# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: octopus_queued_jobs
short_description: Queued jobs of Huawei Cloud Octopus as hosts
version_added: 1.0.0
description:
  - One host per job in the O(queue_type) queue of the project, listed with the Octopus C(QueryQueuedJobList)
    API (C(GET /v1.0/{project_id}/data/queuing-jobs)), every page.
  - Hostnames are C(<job_type>-<job_id>), for example C(DATA_AUTO_LABEL-100004), or the job ID.
  - Host variables are the queue entry's fields as the module M(jobscope.cloud.octopus_queued_job_info) returns
    them, each prefixed with O(hostvar_prefix) - C(jobscope_id), C(jobscope_job_id), C(jobscope_job_type),
    C(jobscope_queue_type), C(jobscope_rank_stamp), C(jobscope_project_id) and so on.
  - Default groups - C(octopus_queued_jobs), C(octopus_queued_jobs_queue_<queue_type>) (for example
    C(octopus_queued_jobs_queue_user)), C(octopus_queued_jobs_project_<project_id>) and
    C(octopus_queued_jobs_workspace_<workspace_id>).
  - The file must be named C(octopus_queued_jobs.yml) or end in C(.octopus_queued_jobs.yml) (or C(.yaml)).
author:
  - Jobscope Maintainers (@jobscope)
options:
  plugin:
    description:
      - The name of this plugin, which makes a file a source of it.
    type: str
    required: true
    choices: [jobscope.cloud.octopus_queued_jobs]
  hostnames:
    default:
      - name: job_id
        prefix: job_type
      - job_id
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.inventory
  - jobscope.cloud.inventory.huawei_connection
  - jobscope.cloud.filters.octopus_queued_job
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
'''

EXAMPLES = r'''
---
# user.octopus_queued_jobs.yml - credentials from HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK / HUAWEICLOUD_SDK_PROJECT_ID
plugin: jobscope.cloud.octopus_queued_jobs
region: cn-north-11
queue_type: USER

---
# Processor jobs on one ModelArts cluster, the head of the queue in a group
plugin: jobscope.cloud.octopus_queued_jobs
region: cn-north-11
project_id: 0123456789abcdef0123456789abcdef
queue_type: PROCESSOR
cluster_type: MODELARTS
cluster_id: 6b1e4c0f9a2d4e7f8c3b5a1d0e9f8c7b
groups:
  urgent: jobscope_priority >= 3
'''

from ansible_collections.jobscope.cloud.plugins.plugin_utils.inventory import JobscopeInventory


class InventoryModule(JobscopeInventory):
    NAME = 'jobscope.cloud.octopus_queued_jobs'
    ENDPOINT = 'octopus_queued_job'
    SOURCES = ()
    HOSTNAMES = ({'name': 'job_id', 'prefix': 'job_type'}, 'job_id')
    GROUP_BY = (('queue', 'queue_type'), ('project', 'project_id'), ('workspace', 'workspace_id'))
