#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: pai_dlc_job_info
short_description: List Alibaba Cloud PAI-DLC training jobs
version_added: 1.0.0
description:
  - Lists training jobs with the PAI-DLC C(ListJobs) API (2020-12-03), every page, with every filter of the
    API's request model (the SDK's C(ListJobsRequest)).
  - Without O(start_time) and O(end_time) the API itself only lists jobs created in the last seven days.
  - Credentials inside jobs are redacted unless O(redact=false) - image registry passwords and auth strings,
    and the access key ID and STS token of credential roles.
author:
  - Jobscope Maintainers (@jobscope)
requirements:
  - requests
  - jmespath (for O(wait))
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.filters.pai_dlc_job
  - jobscope.cloud.alibaba
  - jobscope.cloud.listing
  - jobscope.cloud.wait
  - jobscope.cloud.attributes
  - jobscope.cloud.attributes.alibaba
'''

EXAMPLES = r'''
- name: Running PyTorch jobs of a workspace tagged team=search
  jobscope.cloud.pai_dlc_job_info:
    region: cn-hangzhou
    workspace_id: "86995"
    job_type: PyTorchJob
    status: Running
    tags:
      team: search
  register: training

- name: Wait for a training job to succeed, failing fast on failure
  jobscope.cloud.pai_dlc_job_info:
    region: cn-hangzhou
    job_id: dlc-20210126170216-mtl37ge7gkvdz
    start_time: -30d
    wait:
      until: "jobs[0].status == 'Succeeded'"
      fail_if: "contains(['Failed', 'Stopped'], jobs[0].status)"
      timeout: 7200
      sleep: 60
'''

RETURN = r'''
jobs:
  description:
    - The jobs, each once. Keys are the API's in snake_case, except the keys inside user-defined maps
      (C(envs), C(system_envs), C(tags), C(pod_labels), C(pod_annotations), C(advanced_settings), and resource
      C(limits) and C(requests)), which are returned as they are.
  returned: always
  type: list
  elements: dict
  contains:
    job_id:
      description: The job ID.
      type: str
      sample: dlc-20210126170216-mtl37ge7gkvdz
    display_name:
      description: The job name.
      type: str
    job_type:
      description: The job type.
      type: str
    status:
      description: The job status.
      type: str
      sample: Running
    sub_status:
      description: The sub-status.
      type: str
    workspace_id:
      description: The workspace ID.
      type: str
    workspace_name:
      description: The workspace name.
      type: str
    resource_id:
      description: The resource group ID.
      type: str
    resource_quota_name:
      description: The resource quota name.
      type: str
    user_id:
      description: The owner's user ID.
      type: str
    username:
      description: The owner's name.
      type: str
    reason_code:
      description: Why the job is in its status.
      type: str
    reason_message:
      description: The explanation of the job's RV(jobs[].status) and RV(jobs[].reason_code).
      type: str
    job_specs:
      description: The roles of the job, with image, C(image_config) (credentials redacted), pod count and
        resources.
      type: list
      elements: dict
    credential_config:
      description: Credential injection settings; role access key IDs and STS tokens are redacted.
      type: dict
    envs:
      description: Environment variables, keys as the user set them.
      type: dict
      sample: {"MY_ENV_Key": "value"}
    settings:
      description: Job settings, including C(tags) and C(advanced_settings) with keys as the user set them.
      type: dict
    gmt_create_time:
      description: Creation time, ISO 8601.
      type: str
    gmt_finish_time:
      description: Finish time, ISO 8601.
      type: str
    duration:
      description: Running time in seconds.
      type: int
    pods:
      description: The job's pods and their history.
      type: list
      elements: dict
    status_history:
      description: Earlier statuses.
      type: list
      elements: dict
total:
  description: The number of matching jobs reported by the API.
  returned: always
  type: int
complete:
  description: Whether the listing is known to be consistent; V(false) with a warning when the total changed
    while the pages were read.
  returned: always
  type: bool
wait:
  description: What the wait did (C(attempts), C(elapsed)), when O(wait) is set.
  returned: when O(wait) is set
  type: dict
'''

from ansible_collections.jobscope.cloud.plugins.module_utils.info import run_info_module


def main():
    run_info_module('pai_dlc_job')


if __name__ == '__main__':
    main()
