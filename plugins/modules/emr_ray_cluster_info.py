#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: emr_ray_cluster_info
short_description: List the Ray clusters of an Alibaba Cloud EMR Serverless Spark workspace
version_added: 1.0.0
description:
  - Lists every Ray cluster of a workspace with the EMR Serverless Spark C(ListRayCluster) API (2023-08-08).
  - Reads every page. The API reports no total, so pages are read ahead in windows until the first short page.
  - The dashboard token inside each RV(clusters[].dashboard_url) is redacted unless O(redact=false).
  - With O(wait), waits until the clusters reach a state, or fails fast when they go wrong.
author:
  - Jobscope Maintainers (@jobscope)
requirements:
  - requests
  - jmespath (for O(wait))
options:
  workspace_id:
    description:
      - The workspace ID, for example C(w-d2d82aa09155).
    type: str
    required: true
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.alibaba
  - jobscope.cloud.listing
  - jobscope.cloud.wait
  - jobscope.cloud.attributes
  - jobscope.cloud.attributes.alibaba
'''

EXAMPLES = r'''
- name: List the Ray clusters of a workspace
  jobscope.cloud.emr_ray_cluster_info:
    workspace_id: w-d2d82aa09155
    region: cn-hangzhou
  register: ray

- name: Show the running ones
  ansible.builtin.debug:
    msg: "{{ ray.clusters | selectattr('state', '==', 'Running') | map(attribute='name') }}"

- name: Wait until the cluster "prod" is Running, failing at once if it errs
  jobscope.cloud.emr_ray_cluster_info:
    workspace_id: w-d2d82aa09155
    region: cn-hangzhou
    wait:
      until: "clusters[?name=='prod'].state | [0] == 'Running'"
      fail_if: "clusters[?name=='prod'].state | [0] == 'Error'"
      timeout: 600
      sleep: 10

- name: Set credentials once for every Alibaba Cloud module of the play
  module_defaults:
    group/jobscope.cloud.alibaba:
      profile: production
      region: cn-hangzhou
  block:
    - name: List clusters
      jobscope.cloud.emr_ray_cluster_info:
        workspace_id: w-d2d82aa09155
'''

RETURN = r'''
clusters:
  description: The Ray clusters, in the API's order, each once. Keys are the API's in snake_case.
  returned: always
  type: list
  elements: dict
  contains:
    cluster_id:
      description: The cluster ID.
      type: str
      sample: ray-uiulpgow9xljimm1
    name:
      description: The cluster name.
      type: str
      sample: testRayCluster
    state:
      description: The cluster state.
      type: str
      sample: Running
      choices:
      - Starting
      - Running
      - Stopping
      - Stopped
      - Error
    display_release_version:
      description: The Ray engine version.
      type: str
      sample: ray-1.0.0 (Ray 2.47.1, Python 3.12)
    description:
      description: The description.
      type: str
    network_service_name:
      description: The name of the network connectivity service.
      type: str
    head_spec:
      description: The head node, with C(queue_name), C(cpu), C(memory), C(enable_auto_scaling), C(idle_timeout_seconds),
        C(replica) and C(gpu_spec).
      type: dict
      contains:
        cpu:
          description: The number of CPU cores.
          type: str
        enable_auto_scaling:
          description: Specifies whether auto scaling is enabled for worker nodes.
          type: bool
        gpu_spec:
          description: The GPU instance type.
          type: str
        idle_timeout_seconds:
          description: The idle timeout for worker nodes, in seconds.
          type: int
        memory:
          description: The memory size, in GiB.
          type: str
        queue_name:
          description: The name of the queue.
          type: str
        replica:
          description: The number of nodes.
          type: int
    worker_spec:
      description: The worker groups, each with C(group_name), C(worker_type), C(replica), C(queue_name), C(cpu),
        C(memory), C(min_replica), C(max_replica) and C(gpu_spec).
      type: list
      elements: dict
      contains:
        cpu:
          description: The number of CPU cores.
          type: str
        gpu_spec:
          description: The GPU instance type.
          type: str
        group_name:
          description: The name of the worker group.
          type: str
        max_replica:
          description: The maximum number of workers when auto scaling is enabled.
          type: int
        memory:
          description: The memory size, in GiB.
          type: str
        min_replica:
          description: The minimum number of workers when auto scaling is enabled.
          type: int
        queue_name:
          description: The name of the queue.
          type: str
        replica:
          description: The number of nodes.
          type: int
        worker_type:
          description: The type of the worker.
          type: str
    create_time:
      description: Creation time, epoch milliseconds.
      type: int
    modified_time:
      description: Last modification time, epoch milliseconds.
      type: int
    start_time:
      description: Start time, epoch milliseconds.
      type: int
    creator:
      description: UID of the creator.
      type: str
    creator_name:
      description: Nickname of the creator.
      type: str
    modifier:
      description: UID of the last modifier.
      type: str
    modifier_name:
      description: Nickname of the last modifier.
      type: str
    user_id:
      description: The Alibaba Cloud account ID.
      type: str
    dashboard_url:
      description: The Ray dashboard URL; its C(token) is C(********) unless O(redact=false).
      type: str
      sample: https://emr-spark-ray-gateway-cn-hangzhou.aliyuncs.com?token=********
    modified:
      description: Whether the configuration has been modified.
      type: bool
    message:
      description: The error message, if any.
      type: str
    instance_id:
      description: The Ray cluster instance ID.
      type: str
    grpc_endpoint:
      description: The internal gRPC endpoint, usable to submit Ray jobs.
      type: str
complete:
  description:
    - Whether the listing is known to be consistent. V(false), with a warning, when items were seen on two
      pages because the listing changed while it was read.
  returned: always
  type: bool
  sample: true
wait:
  description: What the wait did, when O(wait) is set.
  returned: when O(wait) is set
  type: dict
  contains:
    attempts:
      description: How many times the listing was read.
      type: int
    elapsed:
      description: Seconds from the first request to the last check.
      type: float
'''

from ansible_collections.jobscope.cloud.plugins.module_utils.info import run_info_module


def main():
    run_info_module('emr_ray_cluster')


if __name__ == '__main__':
    main()
