#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: octopus_queued_job_info
short_description: List the queued jobs of Huawei Cloud Octopus
version_added: 1.0.0
description:
  - Lists queued jobs with the Octopus C(QueryQueuedJobList) API (C(GET /v1.0/{project_id}/data/queuing-jobs)),
    every page through offset and limit, with every filter of the API reference page. (The Huawei Cloud SDK has
    no request model for this API, so the reference page is the only source of its filters.)
  - Signs with AK/SK (SDK-HMAC-SHA256) or sends an IAM token (O(auth_token)).
author:
  - Jobscope Maintainers (@jobscope)
requirements:
  - requests
  - jmespath (for O(wait))
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.filters.octopus_queued_job
  - jobscope.cloud.huawei
  - jobscope.cloud.listing
  - jobscope.cloud.wait
  - jobscope.cloud.attributes
  - jobscope.cloud.attributes.huawei
'''

EXAMPLES = r'''
- name: Queued user jobs
  jobscope.cloud.octopus_queued_job_info:
    region: cn-north-11
    queue_type: USER
  register: queued

- name: With an IAM token instead of AK/SK
  jobscope.cloud.octopus_queued_job_info:
    region: cn-north-11
    project_id: 0123456789abcdef0123456789abcdef
    auth_token: "{{ iam_token }}"
    queue_type: PROCESSOR
    cluster_type: MODELARTS
    cluster_id: c-1

- name: Wait until the user queue has drained
  jobscope.cloud.octopus_queued_job_info:
    region: cn-north-11
    queue_type: USER
    wait:
      until: "total == `0`"
      timeout: 900
'''

RETURN = r'''
jobs:
  description: The queued jobs, each once, as the API returns them (its keys are already snake_case).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The queue entry ID.
      type: int
    job_id:
      description: The job ID.
      type: int
    processor_id:
      description: The processor ID (not returned for internal queues).
      type: int
    source:
      description: The source (not returned for internal queues).
      type: str
    processor_name:
      description: The processor name (not returned for internal queues).
      type: str
    job_type:
      description: The internal job type.
      type: str
    data_id:
      description: The data ID.
      type: str
    output_type:
      description: The output type (not returned for internal queues).
      type: str
    rank_stamp:
      description: The ordering timestamp, epoch milliseconds.
      type: int
    project_id:
      description: The project ID.
      type: str
    resource_spec:
      description: The resource specification.
      type: str
      sample: 1Core_4GiB
    priority:
      description: The priority.
      type: int
    queue_type:
      description: The queue type.
      type: str
    workspace_id:
      description: The workspace ID.
      type: str
    cluster_type:
      description: The type of cluster the job runs on, for example C(CCE) or C(MODELARTS) (returned for processor
        queues).
      type: str
    cluster_id:
      description: The ID of the cluster the job runs on (returned for processor queues).
      type: str
total:
  description: The number of queued jobs reported by the API.
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
    run_info_module('octopus_queued_job')


if __name__ == '__main__':
    main()
