# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Huawei Cloud credentials and endpoint, shared by the Huawei Cloud modules.
    DOCUMENTATION = r'''
options:
  access_key_id:
    description:
      - Huawei Cloud access key (AK), used to sign requests with SDK-HMAC-SHA256.
      - When no credentials are given as options, they are read from the environment
        (E(HUAWEICLOUD_SDK_AK), E(HUAWEICLOUD_SDK_SK), E(HUAWEICLOUD_SDK_SECURITY_TOKEN)) and then from the
        C([basic]) or C([global]) section of C(~/.huaweicloud/credentials) (or E(HUAWEICLOUD_SDK_CREDENTIALS_FILE)).
    type: str
  access_key_secret:
    description:
      - Huawei Cloud secret key (SK). Never logged or returned.
    type: str
  security_token:
    description:
      - Security token of temporary AK/SK credentials, sent as C(X-Security-Token).
    type: str
  auth_token:
    description:
      - An IAM token (the C(X-Subject-Token) of IAM C(POST /v3/auth/tokens)) sent as C(X-Auth-Token)
        instead of signing with AK/SK. Also read from E(HUAWEICLOUD_SDK_AUTH_TOKEN).
    type: str
  project_id:
    description:
      - Project ID. Also read from E(HUAWEICLOUD_SDK_PROJECT_ID) or the credentials file. Required.
    type: str
  region:
    description:
      - Region, for example C(cn-north-11). Also read from E(HUAWEICLOUD_SDK_REGION).
      - Required unless O(endpoint) is set.
    type: str
  endpoint:
    description:
      - Full URL of the API endpoint, for example C(https://octopus.cn-north-11.myhuaweicloud.com) or
        C(http://127.0.0.1:8080). Overrides the endpoint derived from O(region).
    type: str
  max_retries:
    description:
      - How many times a request is retried on HTTP 500, 502, 503 and 504, dropped connections, attempts that run
        out of O(timeout) and malformed 2xx bodies, with full-jitter exponential backoff that honours C(Retry-After).
      - Gateway throttling (C(APIG.0308), HTTP 429) is retried until O(deadline) and does not count here.
    type: int
    default: 5
'''
