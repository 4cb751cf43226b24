# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: emr_ray_clusters
short_description: Ray clusters of Alibaba Cloud EMR Serverless Spark workspaces as hosts
version_added: 1.0.0
description:
  - One host per Ray cluster of each workspace in O(workspace_ids), listed with the EMR Serverless Spark
    C(ListRayCluster) API (2023-08-08), every page.
  - Hostnames are the cluster name; clusters that share a name are named C(<name>_<cluster_id>).
  - Host variables are the cluster's fields as the module M(jobscope.cloud.emr_ray_cluster_info) returns them,
    each prefixed with O(hostvar_prefix) - C(jobscope_cluster_id), C(jobscope_name), C(jobscope_state),
    C(jobscope_dashboard_url) (its token redacted), C(jobscope_head_spec) and so on - plus
    C(jobscope_workspace_id) and, when known, C(jobscope_region).
  - Default groups - C(emr_ray_clusters) (every cluster), C(emr_ray_clusters_<state>) (for example
    C(emr_ray_clusters_running)) and C(emr_ray_clusters_workspace_<workspace_id>).
  - The file must be named C(emr_ray_clusters.yml) or end in C(.emr_ray_clusters.yml) (or C(.yaml)).
author:
  - Jobscope Maintainers (@jobscope)
options:
  plugin:
    description:
      - The name of this plugin, which makes a file a source of it.
    type: str
    required: true
    choices: [jobscope.cloud.emr_ray_clusters]
  hostnames:
    default: [name, cluster_id]
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.inventory
  - jobscope.cloud.inventory.alibaba_connection
  - jobscope.cloud.inventory.workspaces
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
'''

EXAMPLES = r'''
---
# prod.emr_ray_clusters.yml - credentials from ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET
plugin: jobscope.cloud.emr_ray_clusters
regions: [cn-hangzhou]
workspace_ids: [w-d2d82aa09155, w-7c1e0f3a2b4d]

---
# Only the clusters that are not stopped, grouped by release, with the Ray dashboard at hand
plugin: jobscope.cloud.emr_ray_clusters
regions: [cn-hangzhou]
workspace_ids: [w-d2d82aa09155]
exclude_filters:
  - "state == 'Stopped'"
keyed_groups:
  - key: jobscope_display_release_version | regex_replace(' .*', '')
    prefix: release
compose:
  ray_address: jobscope_grpc_endpoint
# cache the listing for ten minutes; keyed_groups and compose can change without a flush
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/jobscope-inventory
cache_timeout: 600

---
# Workspaces in two regions
plugin: jobscope.cloud.emr_ray_clusters
workspace_ids:
  - cn-hangzhou/w-d2d82aa09155
  - cn-shanghai/w-0a1b2c3d4e5f
'''

from ansible_collections.jobscope.cloud.plugins.plugin_utils.inventory import JobscopeInventory


class InventoryModule(JobscopeInventory):
    NAME = 'jobscope.cloud.emr_ray_clusters'
    ENDPOINT = 'emr_ray_cluster'
    SOURCES = ('regions', 'workspace_ids')
    HOSTNAMES = ('name', 'cluster_id')
    GROUP_BY = (('', 'state'), ('workspace', 'workspace_id'))
