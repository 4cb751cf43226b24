# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # How requests go out, the same for both clouds and for modules and inventory plugins alike.
    DOCUMENTATION = r'''
options:
  validate_certs:
    description:
      - Verify TLS certificates, against the CA bundle that E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE) names when
        one is set; a bundle that cannot be read is an error naming the variable.
      - Proxies are taken from E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY). No other ambient setting is used;
        in particular credentials in C(~/.netrc) are never sent.
    type: bool
    default: true
  timeout:
    description:
      - Wall-clock bound of each attempt, in seconds, from connecting to the last byte of the response body
        (not per socket read, so a server that drips its answer slowly cannot hold a request open).
      - An attempt that runs out of time is retried like a dropped connection.
    type: int
    default: 30
'''
