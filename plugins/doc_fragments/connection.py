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
      - Verify TLS certificates. Proxies are taken from E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY).
    type: bool
    default: true
  timeout:
    description:
      - Connect and read timeout of each request, in seconds.
    type: int
    default: 30
'''
