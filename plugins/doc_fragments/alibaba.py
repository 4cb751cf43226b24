# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Alibaba Cloud credentials and endpoint, shared by the Alibaba Cloud modules.
    DOCUMENTATION = r'''
options:
  access_key_id:
    description:
      - Alibaba Cloud AccessKey ID.
      - When no credentials are given as options, they are read in this order from the environment
        (E(ALIBABA_CLOUD_ACCESS_KEY_ID), E(ALIBABA_CLOUD_ACCESS_KEY_SECRET), E(ALIBABA_CLOUD_SECURITY_TOKEN)),
        from the O(profile) (or E(ALIBABA_CLOUD_PROFILE), or the current profile) of the aliyun CLI file
        C(~/.aliyun/config.json) in C(AK) or C(StsToken) mode, and from the same section of
        C(~/.alibabacloud/credentials.ini) (or E(ALIBABA_CLOUD_CREDENTIALS_FILE)).
      - When none is found the task fails and says where it looked.
    type: str
  access_key_secret:
    description:
      - Alibaba Cloud AccessKey secret. Never logged or returned.
    type: str
  security_token:
    description:
      - STS security token for temporary credentials; sent as the signed header C(x-acs-security-token).
    type: str
  profile:
    description:
      - Name of a profile in C(~/.aliyun/config.json) or a section of C(~/.alibabacloud/credentials.ini).
      - When set, the profile is used instead of the environment variables.
    type: str
  region:
    description:
      - Region ID, for example C(cn-hangzhou). Also read from E(ALIBABA_CLOUD_REGION_ID) or the profile.
      - Required unless O(endpoint) is set.
    type: str
  endpoint:
    description:
      - Full URL of the API endpoint, for example C(https://emr-serverless-spark.cn-hangzhou.aliyuncs.com)
        or C(http://127.0.0.1:8080). Overrides the endpoint derived from O(region).
    type: str
  endpoint_type:
    description:
      - Whether the endpoint derived from O(region) is the public or the VPC one.
    type: str
    choices: [public, vpc]
    default: public
  max_retries:
    description:
      - How many times a request is retried on C(ServiceUnavailable), HTTP 500, 502, 503 and 504, dropped
        connections, attempts that run out of O(timeout) and malformed 2xx bodies, with full-jitter exponential
        backoff that honours C(x-acs-retry-after).
      - Throttling (C(Throttling*), C(Rejected.Throttling), HTTP 429) is retried until O(deadline) and does not
        count here.
    type: int
    default: 5
'''
