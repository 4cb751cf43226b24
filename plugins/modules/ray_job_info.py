#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: ray_job_info
short_description: List the jobs of a Ray cluster through its dashboard's Jobs REST API
version_added: 1.0.0
description:
  - Lists the jobs of any Ray cluster - self-managed, KubeRay, or the Ray cluster of Alibaba Cloud EMR Serverless
    Spark (its RV(jobscope.cloud.emr_ray_cluster_info#module:clusters[].dashboard_url)) - with the open-source
    Ray Jobs REST API, C(GET /api/jobs/) on the cluster's dashboard.
  - The API returns every job in one response and offers no filter, so O(status), O(submission_id), O(type),
    O(entrypoint) and O(metadata) are applied by the controller to that response.
  - Credentials inside items (credential-like keys of C(runtime_env.env_vars), C(KEY=VALUE) pairs and C(--key value)
    options of the C(entrypoint), ...) are redacted unless O(redact=false).
author:
  - Jobscope Maintainers (@jobscope)
requirements:
  - requests
  - jmespath (for O(wait))
options:
  address:
    description:
      - The dashboard URL, for example C(http://127.0.0.1:8265) or C(https://ray-head.example.com/dashboard).
      - When not set, E(RAY_API_SERVER_ADDRESS) and then E(RAY_ADDRESS) are read, as Ray's own C(ray job) commands
        do; a Ray Client or GCS address (C(ray://...), C(auto), C(HOST:6379)) is refused, since only the dashboard
        serves the Jobs API.
      - A URL with a query is used as given - the query goes with every request. An EMR Serverless Spark dashboard
        URL with its C(token) works this way; the token, like the whole address, never appears in results,
        messages or logs.
    type: str
  headers:
    description:
      - HTTP headers sent with every request, for example an C(Authorization) header for a proxy in front of the
        dashboard. Their values are never logged or returned.
      - When not set, E(RAY_JOB_HEADERS) is read as a JSON object, as Ray's own C(ray job) commands do.
    type: dict
  auth_token:
    description:
      - "The token of a cluster that runs with Ray token authentication (C(RAY_AUTH_MODE=token)), sent as
        C(Authorization: Bearer TOKEN) unless O(headers) holds an C(Authorization) header already."
      - When not set, E(RAY_AUTH_TOKEN) is read, and then the file that E(RAY_AUTH_TOKEN_PATH) names.
    type: str
  status:
    description:
      - Only jobs in this status. Filtered on the controller.
    type: str
    choices: [PENDING, RUNNING, STOPPED, SUCCEEDED, FAILED]
  submission_id:
    description:
      - Only the job with this submission ID, for example C(raysubmit_4LamXRuQpYdSMg7J). Filtered on the controller.
    type: str
  type:
    description:
      - Only jobs of this type - C(SUBMISSION) (submitted through the Jobs API) or C(DRIVER) (a script that
        connected to the cluster itself). Filtered on the controller.
    type: str
    choices: [SUBMISSION, DRIVER]
  entrypoint:
    description:
      - Only jobs whose entrypoint command contains this text (case-sensitive). Filtered on the controller.
    type: str
  metadata:
    description:
      - Only jobs whose metadata holds every one of these entries. Values are compared as text (V(true) as
        C(true)). Filtered on the controller.
    type: dict
  max_retries:
    description:
      - How many times a request is retried on HTTP 500, 502, 503 and 504, dropped connections, attempts that run
        out of O(timeout) and malformed 2xx bodies, with full-jitter exponential backoff that honours C(Retry-After).
      - Throttling (HTTP 429, for example from a proxy in front of the dashboard) is retried until O(deadline) and
        does not count here.
    type: int
    default: 5
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.listing
  - jobscope.cloud.wait
  - jobscope.cloud.attributes
  - jobscope.cloud.attributes.ray
notes:
  - O(page_size) is refused - the API has no pages - and O(concurrency) has nothing to do.
'''

EXAMPLES = r'''
- name: The failed jobs of a self-managed cluster
  jobscope.cloud.ray_job_info:
    address: http://ray-head.internal:8265
    status: FAILED
  register: failed

- name: The dashboard URL of an EMR Serverless Spark Ray cluster, with its token (a result to keep secret)
  jobscope.cloud.emr_ray_cluster_info:
    workspace_id: w-d2d82aa09155
    region: cn-hangzhou
    redact: false
    fields: [name, dashboard_url]
  register: ray_clusters
  no_log: true

- name: The jobs of that cluster with the metadata entry team=ml
  jobscope.cloud.ray_job_info:
    address: "{{ (ray_clusters.clusters | selectattr('name', '==', 'prod') | first).dashboard_url }}"
    metadata:
      team: ml

- name: Wait until a submission has succeeded, failing fast if it fails or is stopped
  jobscope.cloud.ray_job_info:
    address: http://127.0.0.1:8265
    auth_token: "{{ ray_token }}"
    submission_id: raysubmit_4LamXRuQpYdSMg7J
    wait:
      until: "jobs[0].status == 'SUCCEEDED'"
      fail_if: "contains(['FAILED', 'STOPPED'], jobs[0].status)"
      timeout: 3600
      sleep: 10
'''

RETURN = r'''
jobs:
  description: The jobs that match, each once, as the API gave them (its keys are snake_case already).
  returned: always
  type: list
  elements: dict
  contains:
    type:
      description: C(SUBMISSION) or C(DRIVER).
      type: str
      sample: SUBMISSION
    submission_id:
      description: The submission ID; none for a C(DRIVER) job.
      type: str
      sample: raysubmit_4LamXRuQpYdSMg7J
    job_id:
      description: The Ray job ID of the driver, once known.
      type: str
    status:
      description: The job status.
      type: str
      sample: RUNNING
      choices: [PENDING, RUNNING, STOPPED, SUCCEEDED, FAILED]
    entrypoint:
      description: The entrypoint command.
      type: str
    message:
      description: The status message, for a failed job its last logs.
      type: str
    error_type:
      description: Why a job failed, for example C(JOB_ENTRYPOINT_COMMAND_ERROR).
      type: str
    start_time:
      description: Start time, epoch milliseconds.
      type: int
    end_time:
      description: End time, epoch milliseconds, once the job ended.
      type: int
    metadata:
      description: The job's metadata, keys as the user gave them.
      type: dict
    runtime_env:
      description: The job's runtime environment, keys as given.
      type: dict
    driver_exit_code:
      description: The exit code of the entrypoint, once it ended.
      type: int
complete:
  description: Whether the listing is known to be consistent.
  returned: always
  type: bool
wait:
  description: What the wait did (C(attempts), C(elapsed)), when O(wait) is set.
  returned: when O(wait) is set
  type: dict
'''

from ansible_collections.jobscope.cloud.plugins.module_utils.info import run_info_module


def main():
    run_info_module('ray_job')


if __name__ == '__main__':
    main()
