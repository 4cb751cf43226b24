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
      - Time functions are available (version 1.0.0) - C(now()) is the time of the poll in epoch seconds,
        C(to_epoch(value)) reads epoch milliseconds, epoch seconds or ISO 8601 as epoch seconds, and
        C(age(value)) is the seconds since that time, for example
        C(jobs[?status=='Running' && age(submitted_at_time) > `1800`]). The rule that tells the forms
        apart - a number (or a string of digits) of 100,000,000,000 or more is milliseconds, a smaller one
        seconds, other text ISO 8601 (UTC when it has no zone); V(null), V("") and V(0) mean "not set" and
        give V(null), which compares as false; any other value fails the task naming the expression.
      - All polls of a wait share one HTTP session and its connections.
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
