# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: ray_jobs
short_description: The jobs of a Ray cluster as hosts, through its dashboard's Jobs REST API
version_added: 1.0.0
description:
  - One host per job of the Ray cluster whose dashboard is at O(address) - self-managed, KubeRay, or an Alibaba
    Cloud EMR Serverless Spark Ray cluster - listed with the open-source Ray Jobs REST API (C(GET /api/jobs/)).
  - The API returns every job in one response and offers no filter, so O(status), O(submission_id), O(type),
    O(entrypoint) and O(metadata) are applied by the controller to that response.
  - Hostnames are the submission ID, or the Ray job ID for a C(DRIVER) job.
  - Host variables are the job's fields as the module M(jobscope.cloud.ray_job_info) returns them, each prefixed
    with O(hostvar_prefix) - C(jobscope_submission_id), C(jobscope_status), C(jobscope_entrypoint),
    C(jobscope_metadata), C(jobscope_start_time) and so on.
  - Default groups - C(ray_jobs), C(ray_jobs_<status>) (for example C(ray_jobs_succeeded)) and
    C(ray_jobs_type_<type>). Group by each metadata key you name with O(keyed_groups), whose C(key) is then
    C(jobscope_metadata.<key>) (see EXAMPLES).
  - The file must be named C(ray_jobs.yml) or end in C(.ray_jobs.yml) (or C(.yaml)).
author:
  - Jobscope Maintainers (@jobscope)
options:
  plugin:
    description:
      - The name of this plugin, which makes a file a source of it.
    type: str
    required: true
    choices: [jobscope.cloud.ray_jobs]
  hostnames:
    default: [submission_id, job_id]
  address:
    description:
      - The dashboard URL, for example C(http://127.0.0.1:8265) or C(https://ray-head.example.com/dashboard).
      - When not set in the inventory file, E(RAY_API_SERVER_ADDRESS) and then E(RAY_ADDRESS) are read, as Ray's own
        C(ray job) commands do; a Ray Client or GCS address (C(ray://...), C(auto), C(HOST:6379)) is refused.
      - A URL with a query is used as given - the query goes with every request. An EMR Serverless Spark dashboard
        URL with its C(token) works this way; the token never appears in the inventory, its cache or messages.
    type: str
    env:
      - name: RAY_API_SERVER_ADDRESS
      - name: RAY_ADDRESS
  headers:
    description:
      - HTTP headers sent with every request, for example an C(Authorization) header for a proxy in front of the
        dashboard. Never logged, cached or shown in the inventory.
      - When not set in the inventory file, E(RAY_JOB_HEADERS) is read as a JSON object.
    type: dict
    env:
      - name: RAY_JOB_HEADERS
  auth_token:
    description:
      - "The token of a cluster that runs with Ray token authentication (C(RAY_AUTH_MODE=token)), sent as
        C(Authorization: Bearer TOKEN) unless O(headers) holds an C(Authorization) header already."
      - When not set in the inventory file, E(RAY_AUTH_TOKEN) is read, and then the file that
        E(RAY_AUTH_TOKEN_PATH) names.
    type: str
    env:
      - name: RAY_AUTH_TOKEN
  status:
    description:
      - Only jobs in this status. Filtered on the controller.
    type: str
    choices: [PENDING, RUNNING, STOPPED, SUCCEEDED, FAILED]
  submission_id:
    description:
      - Only the job with this submission ID. Filtered on the controller.
    type: str
  type:
    description:
      - Only jobs of this type, C(SUBMISSION) or C(DRIVER). Filtered on the controller.
    type: str
    choices: [SUBMISSION, DRIVER]
  entrypoint:
    description:
      - Only jobs whose entrypoint command contains this text (case-sensitive). Filtered on the controller.
    type: str
  metadata:
    description:
      - Only jobs whose metadata holds every one of these entries, values compared as text. Filtered on the
        controller.
    type: dict
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.inventory
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
notes:
  - O(page_size) is refused - the API has no pages - and O(concurrency) has nothing to do.
'''

EXAMPLES = r'''
# prod.ray_jobs.yml - every job, in groups by status (ray_jobs_running, ...) and by the metadata key "team"
plugin: jobscope.cloud.ray_jobs
address: http://ray-head.internal:8265
keyed_groups:
  - key: jobscope_metadata.team
    prefix: ray_jobs_team
---
# failed.ray_jobs.yml - the failed submissions of an EMR Serverless Spark Ray cluster; its dashboard URL, with
# the token, comes from RAY_API_SERVER_ADDRESS
plugin: jobscope.cloud.ray_jobs
status: FAILED
type: SUBMISSION
'''

from ansible_collections.jobscope.cloud.plugins.plugin_utils.inventory import JobscopeInventory


class InventoryModule(JobscopeInventory):
    NAME = 'jobscope.cloud.ray_jobs'
    ENDPOINT = 'ray_job'
    SOURCES = ()
    HOSTNAMES = ('submission_id', 'job_id')
    GROUP_BY = (('', 'status'), ('type', 'type'))
