#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: emr_ray_job_info
short_description: List the Ray jobs of an Alibaba Cloud EMR Serverless Spark workspace
version_added: 1.0.0
description:
  - Lists Ray jobs with the EMR Serverless Spark C(ListRayJob) API (2023-08-08), every page, with every filter
    the API documents.
  - The dashboard token inside each RV(jobs[].dashboard_url) is redacted unless O(redact=false).
author:
  - Jobscope Maintainers (@jobscope)
requirements:
  - requests
  - jmespath (for O(wait))
options:
  workspace_id:
    description:
      - The workspace ID.
    type: str
    required: true
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.filters.emr_ray_job
  - jobscope.cloud.alibaba
  - jobscope.cloud.listing
  - jobscope.cloud.wait
  - jobscope.cloud.attributes
  - jobscope.cloud.attributes.alibaba
'''

EXAMPLES = r'''
- name: Ray jobs named "nightly-etl" submitted in the last day
  jobscope.cloud.emr_ray_job_info:
    workspace_id: w-d2d82aa09155
    region: cn-hangzhou
    name: nightly-etl
    submit_time:
      start_time: -1d
      end_time: now
  register: etl

- name: Wait until a submission has succeeded, failing fast if it fails
  jobscope.cloud.emr_ray_job_info:
    workspace_id: w-d2d82aa09155
    region: cn-hangzhou
    submission_id: rj-uiulpgow9xljimm1
    wait:
      until: "jobs[0].status == 'Succeeded'"
      fail_if: "contains(['Failed', 'Cancelled', 'Timeout'], jobs[0].status)"
      timeout: 3600
      sleep: 30
'''

RETURN = r'''
jobs:
  description: The Ray jobs, each once. Keys are the API's in snake_case.
  returned: always
  type: list
  elements: dict
  contains:
    submission_id:
      description: The job's submission ID.
      type: str
      sample: rj-uiulpgow9xljimm1
    name:
      description: The job name.
      type: str
    status:
      description: The job status.
      type: str
      sample: Running
      choices:
      - Submitted
      - Pending
      - Running
      - Succeeded
      - Failed
      - Cancelling
      - Cancelled
      - Timeout
    resource_queue:
      description: The engine version or queue.
      type: str
    submit_time:
      description: Submission time, epoch milliseconds.
      type: int
    start_time:
      description: Start time, epoch milliseconds.
      type: int
    end_time:
      description: End time, epoch milliseconds.
      type: int
    duration:
      description: Running time in seconds.
      type: int
    creator_name:
      description: Nickname of the creator.
      type: str
    dashboard_url:
      description: The Ray dashboard URL; its C(token) is C(********) unless O(redact=false).
      type: str
    cu_hours:
      description: Estimated CU hours consumed.
      type: float
    cluster_state:
      description:
      - State of the job's Ray cluster - C(Submitted) (not yet created), C(Pending) (being created), C(Running) or
        C(Deleted), as the API documents them.
      type: str
      sample: Running
total:
  description: The number of matching jobs reported by the API.
  returned: always
  type: int
  sample: 200
complete:
  description: Whether the listing is known to be consistent (see the P(jobscope.cloud.emr_ray_cluster_info#module) module).
  returned: always
  type: bool
wait:
  description: What the wait did (C(attempts), C(elapsed)), when O(wait) is set.
  returned: when O(wait) is set
  type: dict
'''

from ansible_collections.jobscope.cloud.plugins.module_utils.info import run_info_module


def main():
    run_info_module('emr_ray_job')


if __name__ == '__main__':
    main()
