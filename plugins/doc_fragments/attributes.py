# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The info modules only read: check mode is fully supported and there is nothing to diff.
    DOCUMENTATION = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details: The module only reads.
'''

    ALIBABA = r'''
attributes:
  action_group:
    description: Use C(group/jobscope.cloud.alibaba) in C(module_defaults) to set credentials once per play.
    support: full
    membership:
      - jobscope.cloud.alibaba
'''

    HUAWEI = r'''
attributes:
  action_group:
    description: Use C(group/jobscope.cloud.huawei) in C(module_defaults) to set credentials once per play.
    support: full
    membership:
      - jobscope.cloud.huawei
'''

    RAY = r'''
attributes:
  action_group:
    description: Use C(group/jobscope.cloud.ray) in C(module_defaults) to set the dashboard address and headers once per play.
    support: full
    membership:
      - jobscope.cloud.ray
'''
