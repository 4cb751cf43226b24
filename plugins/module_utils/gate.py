# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""wait / until / fail_if: poll a listing until a JMESPath expression over the result holds.

The expressions see exactly the module's documented result, so what a user reads in RETURN is what
they can test. Truthiness is JMESPath's: false, null, "", [] and {} are false; everything else,
0 included, is true.
"""

from __future__ import annotations

import time

try:
    import jmespath
    from jmespath.exceptions import JMESPathError
    HAS_JMESPATH = True
    JMESPATH_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module as missing_required_lib
    HAS_JMESPATH = False
    JMESPATH_IMPORT_ERROR = exc

from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError


class GateError(Exception):
    """The gate did not open: fail_if held, or until did not hold in time. ``result`` is the last listing."""

    def __init__(self, message, result):
        super(GateError, self).__init__(message)
        self.message = message
        self.result = result


def truthy(value):
    return not (value is None or value is False or (isinstance(value, (str, list, dict)) and not value))


def compile_expression(expression, option):
    if not HAS_JMESPATH:
        raise OptionError(option, 'the Python library "jmespath" is required for %s: %s'
                          % (option, JMESPATH_IMPORT_ERROR))
    try:
        return jmespath.compile(expression)
    except JMESPathError as exc:
        raise OptionError(option, '%s is not a valid JMESPath expression: %s' % (option, exc))


class Gate(object):
    def __init__(self, until=None, fail_if=None, timeout=300, sleep=5, clock=time.monotonic, pause=time.sleep):
        if until is None and fail_if is None:
            raise OptionError('wait', 'wait needs until, fail_if or both')
        if timeout is None or timeout < 0:
            raise OptionError('wait.timeout', 'wait.timeout must be zero or more seconds')
        if sleep is None or sleep <= 0:
            raise OptionError('wait.sleep', 'wait.sleep must be more than zero seconds')
        self.until_text, self.fail_if_text = until, fail_if
        self.until = compile_expression(until, 'wait.until') if until is not None else None
        self.fail_if = compile_expression(fail_if, 'wait.fail_if') if fail_if is not None else None
        self.timeout, self.sleep = timeout, sleep
        self.clock, self.pause = clock, pause

    @classmethod
    def from_options(cls, wait):
        """A Gate from the module's ``wait`` option, or None when there is nothing to wait for."""
        if not wait:
            return None
        return cls(until=wait.get('until'), fail_if=wait.get('fail_if'),
                   timeout=wait.get('timeout'), sleep=wait.get('sleep'))

    def _holds(self, option, expression, text, result):
        """Evaluate one expression; an error that only shows on data (a wrong type) names the option."""
        try:
            return truthy(expression.search(result))
        except JMESPathError as exc:
            raise GateError('%s could not be evaluated on the listing: %s (%s)' % (option, text, exc), result)

    def probe(self, empty_result):
        """Evaluate both expressions once on an empty result of the documented shape, before any request,
        so an unknown function or a misspelt key path fails as a bad option rather than after polling."""
        for option, expression, text in (('wait.until', self.until, self.until_text),
                                         ('wait.fail_if', self.fail_if, self.fail_if_text)):
            if expression is None:
                continue
            try:
                expression.search(empty_result)
            except JMESPathError as exc:
                raise OptionError(option, '%s cannot be evaluated: %s (%s)' % (option, text, exc))

    def run(self, poll, summarize):
        """Poll until ``until`` holds (or, with only fail_if, once). ``summarize(result)`` names what was seen."""
        started = self.clock()
        attempts = 0
        while True:
            result = poll()
            attempts += 1
            elapsed = self.clock() - started
            result['wait'] = dict(attempts=attempts, elapsed=round(elapsed, 3))
            if self.fail_if is not None and self._holds('wait.fail_if', self.fail_if, self.fail_if_text, result):
                raise GateError('wait.fail_if held after %d poll(s), %.1fs: %s; last listing: %s'
                                % (attempts, elapsed, self.fail_if_text, summarize(result)), result)
            if self.until is None or self._holds('wait.until', self.until, self.until_text, result):
                return result
            remaining = self.timeout - elapsed
            if remaining <= 0:
                raise GateError('timed out after %.1fs (%d polls) waiting for wait.until: %s; last listing: %s'
                                % (elapsed, attempts, self.until_text, summarize(result)), result)
            # The last sleep is cut short so that the last poll is made at the timeout, not before it.
            self.pause(min(self.sleep, remaining))
