# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The wait option shared by every info module.
    DOCUMENTATION = r'''
options:
  wait:
    description:
      - Gate the play on the listing. The listing is read again every O(wait.sleep) seconds until
        O(wait.until) holds, and the task fails at once when O(wait.fail_if) holds.
      - Expressions are JMESPath over the module's own result (see RETURN), for example
        C(clusters[?name=='prod'].state | [0] == 'Running') or C(length(jobs[?status=='Running']) == `0`).
        JMESPath truthiness applies - V(false), V(null), empty strings, lists and objects are false.
      - Both expressions are compiled before the first request; an invalid one fails naming the option.
      - The result then also holds RV(ignore:wait), with the number of polls and the seconds waited.
    type: dict
    suboptions:
      until:
        description:
          - Succeed once this expression is true.
          - With only O(wait.fail_if), the listing is read once and checked.
        type: str
      fail_if:
        description:
          - Fail at once, on any poll, when this expression is true.
        type: str
      timeout:
        description:
          - Fail when O(wait.until) has not held after this many seconds. The message names the expression
            and counts the last listing by state.
        type: int
        default: 300
      sleep:
        description:
          - Seconds between polls.
        type: float
        default: 5
'''
