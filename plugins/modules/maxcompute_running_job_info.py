#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: maxcompute_running_job_info
short_description: List the running jobs of Alibaba Cloud MaxCompute
version_added: 1.0.0
description:
  - Lists the jobs that are running, submitted in a time range, with the MaxCompute C(GetRunningJobs) API
    (2022-01-04). Every page is read; the API serves at most 20 jobs a page.
author:
  - Jobscope Maintainers (@jobscope)
requirements:
  - requests
  - jmespath (for O(wait))
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.filters.maxcompute_running_job
  - jobscope.cloud.alibaba
  - jobscope.cloud.listing
  - jobscope.cloud.wait
  - jobscope.cloud.attributes
  - jobscope.cloud.attributes.alibaba
'''

EXAMPLES = r'''
- name: Jobs running on the quota "etl" submitted in the last day
  jobscope.cloud.maxcompute_running_job_info:
    region: cn-hangzhou
    from_time: -1d
    to_time: now
    quota_nickname_list: [etl]
  register: running

- name: Wait until nothing runs on the quota before a schema change
  jobscope.cloud.maxcompute_running_job_info:
    region: cn-hangzhou
    from_time: -7d
    to_time: now
    quota_nickname_list: [etl]
    wait:
      until: "length(jobs) == `0`"
      timeout: 1800
      sleep: 30
'''

RETURN = r'''
jobs:
  description: The running jobs, each once. Keys are the API's in snake_case.
  returned: always
  type: list
  elements: dict
  contains:
    instance_id:
      description: The job instance ID.
      type: str
      sample: 2023050206371544gomgtp3ljcr4
    job_owner:
      description: Who runs the job.
      type: str
    project:
      description: The MaxCompute project.
      type: str
    quota_nickname:
      description: The quota the job uses.
      type: str
    cu_snapshot:
      description: The job's share of compute units (CU) at the time of the query, a proportion as the API gives it
        (not a CU count).
      type: float
    memory_snapshot:
      description: The job's share of memory at the time of the query, a proportion as the API gives it (not an amount
        of memory).
      type: float
    submitted_at_time:
      description: Submission time, epoch seconds.
      type: int
    running_at_time:
      description: Start time, epoch seconds.
      type: int
    progress:
      description: Progress in percent.
      type: float
total:
  description: The number of running jobs reported by the API.
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
    run_info_module('maxcompute_running_job')


if __name__ == '__main__':
    main()
