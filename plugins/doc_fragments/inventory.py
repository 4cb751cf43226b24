# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The inventory plugins' variants of the module fragments. Only plugins may read environment
    # variables through their documentation (env entries), which is how AWX and Ansible Automation
    # Platform hand credentials to an inventory source.

    # Hosts, variables, groups, filters and listing: shared by every inventory plugin.
    DOCUMENTATION = r'''
options:
  hostnames:
    description:
      - How a host is named, as an ordered list of preferences. The first preference that gives a non-empty
        value for an item names its host; when none does, the item's ID does.
      - A preference is an item field - a snake_case name as in the info module's result, for example
        C(cluster_id), or a dotted path such as C(head_spec.queue_name) - or a dictionary with the field as
        C(name), another field as C(prefix) and a C(separator) (default C(-)) that joins C(prefix) and C(name).
        Field names are plain names, never templates.
      - Hostnames are unique. When several items get the same hostname, each of them is named
        C(<hostname>_<item ID>) instead, so the names do not depend on the listing order. Two items from
        different sources with the same ID are told apart further with C(_2), C(_3), ... in source order.
      - A hostname is never a group name (C(all), C(ungrouped), a group that exists or that this source makes -
        the plugin's default groups, O(groups), O(keyed_groups)), a host another inventory source added, or a
        name of this machine (C(localhost), loopback addresses such as C(127.0.0.1) or C(::1)). Such a host is
        named C(<hostname>_<item ID>) instead, the same on every run, and one warning counts the renamed hosts.
        A host or group that a later inventory source adds with the name of one of these hosts makes this
        plugin's host step aside the same way, so a static host is never merged with a remote item.
      - Hostnames are used verbatim (spaces and non-ASCII characters included) and never templated.
      - The default is each plugin's own, documented with the plugin.
    type: list
    elements: raw
  hostvar_prefix:
    description:
      - Every field of an item becomes the host variable C(<hostvar_prefix><field>), for example
        C(jobscope_state), C(jobscope_name), C(jobscope_dashboard_url); nested values stay as they are.
      - The prefix keeps item fields such as C(name), C(tags) or C(environment) from clashing with the names
        Ansible reserves. A prefix that would still produce a reserved name, or that starts with C(ansible_),
        is refused.
      - Where the plugin adds them, C(<hostvar_prefix>region) and C(<hostvar_prefix>workspace_id) tell which
        source (region, workspace) an item came from; a field of the item of the same name wins.
    type: str
    default: jobscope_
  default_groups:
    description:
      - Add the default groups - every host in a group named after the plugin (for example C(emr_ray_clusters)),
        and in groups by state or status (C(emr_ray_clusters_running)) and by workspace or project
        (C(emr_ray_clusters_workspace_w_demo)), as each plugin documents.
      - Group names are lowercase; every character other than a letter, a digit or C(_) becomes C(_).
      - O(groups) and O(keyed_groups) add groups in either case.
    type: bool
    default: true
  include_filters:
    description:
      - Only items for which at least one of these JMESPath expressions is true become hosts.
      - Expressions see the item's snake_case fields without O(hostvar_prefix), as in the info module's
        result, plus C(region) and C(workspace_id) where the plugin adds them; for example
        C(state == 'Running') or C(contains(name, 'prod')).
      - JMESPath truthiness applies - V(false), V(null), empty strings, lists and objects are false.
      - Every expression is compiled before the first request; an invalid one fails the source naming it.
      - The time functions C(now()), C(to_epoch(value)) and C(age(value)) are available (version 1.0.0),
        for example C(age(submitted_at_time) > `3600`); see the O(jobscope.cloud.pai_dlc_job_info#module:wait)
        option of the info modules for the rule that reads epoch milliseconds, epoch seconds and ISO 8601.
    type: list
    elements: str
    default: []
  exclude_filters:
    description:
      - Items for which any of these JMESPath expressions is true do not become hosts, even when they match
        O(include_filters).
      - Expressions see the same fields as in O(include_filters).
    type: list
    elements: str
    default: []
  page_size:
    description:
      - Items requested per page. Defaults to the largest page the API accepts (100; 20 for MaxCompute).
      - Every page is read whatever the page size; this only trades requests for response size.
      - Refused where the API has no pages and returns every item in one response (Ray's C(GET /api/jobs/)).
    type: int
  max_items:
    description:
      - Stop after this many items per source (workspace, region). By default every item becomes a host.
    type: int
  concurrency:
    description:
      - How many pages of one source are requested at once after its first page (1 to 64).
      - The bound is lowered automatically while the cloud throttles (additive increase, multiplicative decrease).
      - Up to four sources (workspaces, regions) are read at the same time.
    type: int
    default: 16
  max_retries:
    description:
      - How many times a request is retried on HTTP 500, 502, 503 and 504, on dropped connections, on attempts
        that run out of O(timeout) and on malformed 2xx bodies, with full-jitter exponential backoff that honours
        the server's retry-after header. Throttling is retried until O(deadline) and does not count here.
      - When a request still fails, the whole inventory source fails with the cloud's error, and no host of
        it is added - never a partial host list.
    type: int
    default: 5
  deadline:
    description:
      - Wall-clock bound of one whole listing, in seconds (per source - a workspace or a region - including its
        second reading when it changed while it was read), covering every page, retry and backoff wait.
      - Reaching it fails the whole inventory source with a message that names the deadline, the pages read and
        the last error.
      - Throttling (the vendors' throttling codes, HTTP 429) is retried until the deadline and does not count
        against O(max_retries); a server that asks to wait past the deadline fails at once.
      - Also read from E(JOBSCOPE_CLOUD_DEADLINE).
    type: float
    default: 300
    env:
      - name: JOBSCOPE_CLOUD_DEADLINE
  max_body_size:
    description:
      - The largest response body accepted, in bytes, both as received and after C(gzip) or C(deflate) decoding
        (other content encodings are refused). A larger body fails with "response too large" before more of it
        is read.
      - Each page is also refused as malformed when it nests more than 64 levels deep or holds more than a
        million JSON values.
    type: int
    default: 67108864
notes:
  - Every string from the cloud that could be read as a template (one with a C({) or a C(}), or starting with
    C(#jinja2:)) is marked unsafe, so a cluster or job named like a template (C({{ lookup('pipe', 'id') }})) is
    never templated, whether in a hostname or in a host variable. Strings that cannot be templates are plain
    strings in C(ansible-inventory --list --export) on every ansible-core (marked trusted on 2.19 and later), so
    AWX's O(ignore:enabled_var)/O(ignore:enabled_value) can compare C(jobscope_state) or C(jobscope_status).
  - A source fails, with no host of it added, when a call fails or the API returns items that are not objects.
    Without C(unparsed_is_failed) (E(ANSIBLE_INVENTORY_UNPARSED_FAILED)) Ansible only warns and goes on without
    the source's hosts; set it when hosts drive a gate. A cache entry that cannot be read is dropped with a
    warning and the listing read again.
  - Credentials inside items are always replaced with C(********), in host variables and in the cache, by the
    rules of the modules' C(redact) option (documented in the collection's C(docs/redaction.md)) - credential-looking
    keys in API fields and user maps such as DLC C(envs), name/value env lists, URL user-info and credential-like
    query parameters, and C(KEY=VALUE) and C(--key value) pairs in command lines - as well as the token in a Ray
    C(dashboard_url), DLC registry C(password) and C(auth) and DLC credential role keys.
  - Errors and warnings are scrubbed of the credentials in use (access key secret, STS token, IAM token), from
    the inventory file, the environment or a profile file alike.
  - With O(cache=true) the listings as fetched (shaped and redacted) are cached, not the built inventory, so
    O(hostnames), O(compose), O(groups), O(keyed_groups) and the filters can change without a cache flush.
    A change of the options that select what is listed (sources, API filters, endpoint, account) makes a
    new listing. Listings that changed while they were read are not cached.
  - Every host gets C(ansible_connection=local), since these hosts are API objects with no machine to log
    in to. O(compose) can set another value.
requirements:
  - requests
  - jmespath (for O(include_filters) and O(exclude_filters))
'''

    # Alibaba Cloud credentials, regions and endpoint, for the Alibaba Cloud inventory plugins.
    # (Not named ALIBABA: jobscope.cloud.inventory.alibaba would resolve to the alibaba module fragment.)
    ALIBABA_CONNECTION = r'''
options:
  access_key_id:
    description:
      - Alibaba Cloud AccessKey ID.
      - Credentials are looked for in this order, as in the modules - these options, the environment
        (E(ALIBABA_CLOUD_ACCESS_KEY_ID), E(ALIBABA_CLOUD_ACCESS_KEY_SECRET), E(ALIBABA_CLOUD_SECURITY_TOKEN)),
        the O(profile) (or E(ALIBABA_CLOUD_PROFILE), or the current profile) of the aliyun CLI file
        C(~/.aliyun/config.json) in C(AK) or C(StsToken) mode, and the same section of
        C(~/.alibabacloud/credentials.ini) (or E(ALIBABA_CLOUD_CREDENTIALS_FILE)).
      - A O(profile) set in the inventory file is used instead of the environment's access keys.
      - When none is found the source fails and says where it looked.
    type: str
    env:
      - name: ALIBABA_CLOUD_ACCESS_KEY_ID
  access_key_secret:
    description:
      - Alibaba Cloud AccessKey secret. Never logged, cached or shown in the inventory.
    type: str
    env:
      - name: ALIBABA_CLOUD_ACCESS_KEY_SECRET
  security_token:
    description:
      - STS security token for temporary credentials; sent as the signed header C(x-acs-security-token).
    type: str
    env:
      - name: ALIBABA_CLOUD_SECURITY_TOKEN
  profile:
    description:
      - Name of a profile in C(~/.aliyun/config.json) or a section of C(~/.alibabacloud/credentials.ini).
    type: str
    env:
      - name: ALIBABA_CLOUD_PROFILE
  regions:
    description:
      - Region IDs to list, for example C([cn-hangzhou, cn-shanghai]); each region is a source of its own, and
        sources are read concurrently. Each host gets the region as C(<hostvar_prefix>region).
      - E(ALIBABA_CLOUD_REGION_ID) may hold one region or several separated by commas.
      - When empty, the region of the O(profile) is used. A region is required unless O(endpoint) is set.
    type: list
    elements: str
    default: []
    env:
      - name: ALIBABA_CLOUD_REGION_ID
  endpoint:
    description:
      - Full URL of the API endpoint, for example C(https://emr-serverless-spark.cn-hangzhou.aliyuncs.com)
        or C(http://127.0.0.1:8080). Overrides the endpoints derived from O(regions).
      - With an endpoint, a listing is read once from it rather than once per region; a single region in
        O(regions) is still recorded on the hosts.
    type: str
  endpoint_type:
    description:
      - Whether the endpoints derived from O(regions) are the public or the VPC ones.
    type: str
    choices: [public, vpc]
    default: public
'''

    # Huawei Cloud credentials, project, region and endpoint, for the Huawei Cloud inventory plugins.
    HUAWEI_CONNECTION = r'''
options:
  access_key_id:
    description:
      - Huawei Cloud access key (AK), used to sign requests with SDK-HMAC-SHA256.
      - Credentials are looked for in this order, as in the modules - an IAM token (O(auth_token)), these
        options, the environment (E(HUAWEICLOUD_SDK_AK), E(HUAWEICLOUD_SDK_SK), E(HUAWEICLOUD_SDK_SECURITY_TOKEN))
        and the C([basic]) or C([global]) section of C(~/.huaweicloud/credentials)
        (or E(HUAWEICLOUD_SDK_CREDENTIALS_FILE)).
    type: str
    env:
      - name: HUAWEICLOUD_SDK_AK
  access_key_secret:
    description:
      - Huawei Cloud secret key (SK). Never logged, cached or shown in the inventory.
    type: str
    env:
      - name: HUAWEICLOUD_SDK_SK
  security_token:
    description:
      - Security token of temporary AK/SK credentials, sent as C(X-Security-Token).
    type: str
    env:
      - name: HUAWEICLOUD_SDK_SECURITY_TOKEN
  auth_token:
    description:
      - An IAM token (the C(X-Subject-Token) of IAM C(POST /v3/auth/tokens)) sent as C(X-Auth-Token)
        instead of signing with AK/SK.
    type: str
    env:
      - name: HUAWEICLOUD_SDK_AUTH_TOKEN
  project_id:
    description:
      - Project ID. Also read from the credentials file. Required.
    type: str
    env:
      - name: HUAWEICLOUD_SDK_PROJECT_ID
  region:
    description:
      - Region, for example C(cn-north-11). Required unless O(endpoint) is set.
    type: str
    env:
      - name: HUAWEICLOUD_SDK_REGION
  endpoint:
    description:
      - Full URL of the API endpoint, for example C(https://octopus.cn-north-11.myhuaweicloud.com) or
        C(http://127.0.0.1:8080). Overrides the endpoint derived from O(region).
    type: str
'''

    # The workspaces of the EMR Serverless Spark plugins.
    WORKSPACES = r'''
options:
  workspace_ids:
    description:
      - The workspaces to list, for example C([w-d2d82aa09155]). Each workspace is a source of its own, and
        sources are read concurrently. Each host gets its workspace as C(<hostvar_prefix>workspace_id) and is
        in the group C(<plugin>_workspace_<workspace>).
      - A workspace belongs to a region. A plain ID is read in each region of O(regions) (usually one); an
        entry C(REGION/WORKSPACE), for example C(cn-shanghai/w-0a1b2c3d4e5f), only in that region.
    type: list
    elements: str
    required: true
'''
