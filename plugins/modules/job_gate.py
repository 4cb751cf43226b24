#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: job_gate
short_description: Gate a deployment on several cloud job and cluster states holding at the same time
version_added: 1.0.0
description:
  - Polls every check's source (an info module of this collection, with that module's options) together, in
    rounds, and opens only when every check's O(checks[].until) holds in the same round - on the listings of
    one round, so the play never proceeds on a state that did not exist at one time.
  - Each round lists every source concurrently. Any O(checks[].fail_if) fails the gate at once, naming the
    check. A round whose listing of a check is incomplete (the listing changed while it was read) never
    opens the gate.
  - One process does the whole wait, where the task runs (C(delegate_to) is honoured), with one HTTP session
    per check for every round.
  - When a check's expressions read nothing but C(total) and C(complete) - decided from the parsed JMESPath,
    not by matching text - and its source reports a total, a poll reads one page of one item. For example
    C(total == `0`) over 10,000 MaxCompute jobs costs one request a poll, where C(length(jobs) == `0`) costs
    500. A total that is not a count then fails the gate.
  - The C(module_defaults) of C(group/jobscope.cloud.alibaba) and C(group/jobscope.cloud.huawei), and those of
    a source module itself, apply to each check exactly as they apply to that info module (the action plugin
    resolves them per source).
  - Credentials given to a check are never returned nor shown, at any verbosity.
author:
  - Jobscope Maintainers (@jobscope)
requirements:
  - requests
  - jmespath
options:
  checks:
    description:
      - The checks, all polled in every round.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - What the check is, as the result and messages name it. Unique within the gate.
        type: str
        required: true
      source:
        description:
          - The info module of this collection to poll, for example V(emr_ray_cluster_info). The expressions
            see its documented result (C(clusters) or C(jobs), C(total), C(complete)).
          - Any info module that lists an endpoint of this collection (V(emr_ray_cluster_info),
            V(emr_ray_job_info), V(maxcompute_running_job_info), V(octopus_queued_job_info),
            V(pai_dlc_job_info), V(ray_job_info)); another name fails before any request, naming the check.
          - May be left out with a preset that applies to one source only, or whose value key
            (O(checks[].cluster_name), O(checks[].quota), O(checks[].queue_type)) picks it.
        type: str
      filters:
        description:
          - Options of the source module, for example C(workspace_id), C(quota_nickname_list), credentials or
            C(fields). Validated as that module validates them, before any request. C(wait) is refused.
          - Merged over the source's C(module_defaults), O(cloud_defaults) and the preset's filters.
        type: dict
        default: {}
      until:
        description:
          - JMESPath over the source's result. The gate opens when this holds for every check in one round.
          - The time functions C(now()), C(to_epoch(value)) and C(age(value)) are available, as in the C(wait)
            option of the info modules (for example C(jobs[?age(submitted_at_time) > `1800`])).
          - Replaces the preset's.
        type: str
      fail_if:
        description:
          - JMESPath over the source's result. The gate fails at once, in any round, when this holds.
          - A check with only O(checks[].fail_if) holds while it does not hold.
          - Replaces the preset's.
        type: str
      preset:
        description:
          - A common check, expanded into a source, filters, O(checks[].until) and O(checks[].fail_if), for the
            value in O(checks[].value).
          - V(cluster_running) (C(emr_ray_cluster_info); give C(workspace_id) in O(checks[].filters)) - the Ray
            cluster named O(checks[].value) is C(Running); fails at once on C(Error), C(Stopped) and
            C(Stopping); waits on C(Starting) or a cluster not listed (yet).
          - V(job_succeeded) (C(pai_dlc_job_info) or C(emr_ray_job_info), so O(checks[].source) is needed) -
            the job O(checks[].value) succeeded. PAI-DLC - holds on C(Succeeded) and C(SucceededReserving),
            fails on C(Failed), C(FailedReserving) and C(Stopped), and lists jobs created in the last 365 days
            (the API alone lists only 7; give C(start_time) in O(checks[].filters) for older ones). EMR Ray job
            (give C(workspace_id)) - holds on C(Succeeded), fails on C(Failed), C(Cancelled) and C(Timeout).
          - V(no_running_jobs) (C(maxcompute_running_job_info)) - no job runs on the MaxCompute quota
            O(checks[].value), submitted in the last 7 days unless O(checks[].filters) give C(from_time) and
            C(to_time). Tests C(total), so a poll is one request.
          - V(no_queued_jobs) (C(octopus_queued_job_info)) - the Octopus queue O(checks[].value) (for example
            C(USER)) is empty. Tests C(total), so a poll is one request. V(no_running_jobs) with this source is
            its former name, accepted with a deprecation warning.
        type: str
        choices:
          - cluster_running
          - job_succeeded
          - no_queued_jobs
          - no_running_jobs
      value:
        description:
          - What the preset applies to - the cluster name, job ID, quota nickname or queue type.
        type: str
      cluster_name:
        description:
          - The preset's value under the job_gate role's name for it (V(cluster_running)).
        type: str
      job_id:
        description:
          - The preset's value under the job_gate role's name for it (V(job_succeeded)).
        type: str
      quota:
        description:
          - The preset's value under the job_gate role's name for it (V(no_running_jobs) on MaxCompute).
        type: str
      queue_type:
        description:
          - The preset's value under the job_gate role's name for it (the Octopus queue presets).
        type: str
      timeout:
        description:
          - Kept for the job_gate role's checks. The gate waits for the longest of O(timeout) and these.
        type: int
      sleep:
        description:
          - Kept for the job_gate role's checks. The gate polls at the shortest of O(sleep) and these.
        type: float
      module_defaults:
        description:
          - The C(module_defaults) that apply to the source module, filled in by the action plugin; not meant
            to be set by hand (use O(checks[].filters)).
        type: dict
        default: {}
  timeout:
    description:
      - Fail when the checks have not all held in one round after this many seconds. The last round is made
        at the timeout.
    type: int
    default: 300
  sleep:
    description:
      - Seconds between the start of the pause after a round and the next round.
    type: float
    default: 5
  fail:
    description:
      - Fail the task when the gate does not open. With V(false) the task succeeds with RV(opened=false) and
        the per-check results, for the play to decide. A listing that fails always fails the task.
    type: bool
    default: true
  cloud_defaults:
    description:
      - Options for every check of a cloud, by cloud name - C(alibaba), C(huawei), C(ray) - for example credentials,
        C(region) or C(endpoint). Above C(module_defaults), below O(checks[].filters).
      - Every credential in it is validated and hidden as the source module's own options are.
    type: dict
    default: {}
  results_fact:
    description:
      - Also set the host fact of this name to RV(checks), when the task does not fail. The job_gate role
        sets C(job_gate_results) this way.
    type: str
notes:
  - The gate only reads; check mode runs it as in a normal run.
seealso:
  - module: jobscope.cloud.maxcompute_running_job_info
  - module: jobscope.cloud.pai_dlc_job_info
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details: The module only reads.
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details: The action plugin resolves C(module_defaults) per check source; the wait runs in the module.
  async:
    description: Supports being used with the C(async) keyword.
    support: none
'''

EXAMPLES = r'''
- name: Deploy only when the cluster runs, training succeeded and the quota is idle, all at once
  jobscope.cloud.job_gate:
    timeout: 1800
    sleep: 10
    checks:
      - name: Ray cluster prod is Running
        preset: cluster_running
        value: prod
        filters:
          workspace_id: w-d2d82aa09155
      - name: training job succeeded
        preset: job_succeeded
        source: pai_dlc_job_info
        value: dlc-20210126170216-mtl37ge7gkvdz
      - name: nothing runs on q-gold
        preset: no_running_jobs
        value: q-gold
  module_defaults:
    group/jobscope.cloud.alibaba:
      region: cn-hangzhou
      profile: production

- name: Fail when a MaxCompute job has been queued for more than 30 minutes (one request a poll otherwise)
  jobscope.cloud.job_gate:
    checks:
      - name: quota idle
        source: maxcompute_running_job_info
        filters:
          from_time: -1d
          to_time: now
          quota_nickname_list: [q-gold]
        until: "total == `0`"
      - name: no job stuck
        source: maxcompute_running_job_info
        filters:
          from_time: -1d
          to_time: now
          fields: [instance_id, status, submitted_at_time]
        fail_if: "jobs[?age(submitted_at_time) > `1800`]"

- name: Report without failing
  jobscope.cloud.job_gate:
    fail: false
    timeout: 0
    checks:
      - name: queue empty
        preset: no_queued_jobs
        value: USER
  register: gate

- name: Show what held
  ansible.builtin.debug:
    msg: "{{ gate.summary }}"
'''

RETURN = r'''
opened:
  description: Whether every check held in the same round.
  returned: always
  type: bool
msg:
  description: One summary - the gate opened, or which check failed and why, or which did not hold in time.
  returned: always
  type: str
summary:
  description: RV(msg) followed by one line per check, for display.
  returned: always
  type: list
  elements: str
attempts:
  description: The rounds polled.
  returned: always
  type: int
elapsed:
  description: Seconds from the first round to the last.
  returned: always
  type: float
timeout:
  description: The timeout the gate waited for, in seconds.
  returned: always
  type: int
sleep:
  description: The seconds between rounds.
  returned: always
  type: float
checks:
  description: One entry per check, in the order given, as of the last round.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The check's name.
      type: str
    source:
      description: The info module polled.
      type: str
    held:
      description: Whether O(checks[].until) held in the last round (for a check with only
        O(checks[].fail_if), whether the gate opened).
      type: bool
    failed:
      description: Whether O(checks[].fail_if) held in the last round.
      type: bool
    held_rounds:
      description: In how many rounds O(checks[].until) held.
      type: int
    attempts:
      description: The rounds polled.
      type: int
    until:
      description: The expression tested, the preset's expanded.
      type: str
    fail_if:
      description: The fail_if expression tested, the preset's expanded.
      type: str
    total:
      description: The total the API reported in the last round, when it reports one.
      type: int
    complete:
      description: Whether the last round's listing was complete.
      type: bool
    count:
      description: The items listed in the last round (not when only one page is read).
      type: int
    states:
      description: The items of the last round counted by state (status, state, quota or queue by source).
      type: dict
      sample: {"Running": 2, "Starting": 1}
    pages_read:
      description: V(first) when a poll reads one page (the expressions read only C(total)), else V(all).
      type: str
    seen:
      description: The last round's listing in a few words.
      type: str
    msg:
      description: Why the check held, failed or did not hold.
      type: str
    line:
      description: One line naming the check, its source and RV(checks[].msg), for display.
      type: str
    wait:
      description: C(until), C(fail_if), C(timeout), C(sleep), C(attempts) and C(elapsed), as the job_gate
        role's C(job_gate_results) entries have them.
      type: dict
'''

from ansible_collections.jobscope.cloud.plugins.module_utils.job_gate import run_job_gate_module


def main():
    run_job_gate_module()


if __name__ == '__main__':
    main()
