# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Expressions over listings, and the gates that poll them: the ``wait`` of one listing (Gate) and the
deployment gate over several listings polled together (MultiGate).

The expressions see exactly the module's documented result, so what a user reads in RETURN is what
they can test. Truthiness is JMESPath's: false, null, "", [] and {} are false; everything else,
0 included, is true.

Time functions (JMESPath has no arithmetic on dates, so these give it numbers to compare):

- ``now()``: the time of the evaluation, in epoch seconds (one value for a whole poll round).
- ``to_epoch(value)``: epoch seconds from what the APIs return. The rule: a number (or a string of digits)
  whose magnitude is at least 100,000,000,000 is epoch milliseconds (as seconds that would be after the year
  5000; as milliseconds it is any time after March 1973), a smaller number is epoch seconds, any other string
  is read as ISO 8601 (``2026-01-31T08:00:00Z``; no zone means UTC). ``null``, ``""`` and ``0`` are "not set"
  in these APIs and give ``null``; anything else (a boolean, garbage text) is an evaluation error, so a
  garbled time fails the gate loudly instead of quietly comparing as false.
- ``age(value)``: ``now() - to_epoch(value)``, in seconds; ``null`` when the value is not set.

Comparisons with ``null`` are false in JMESPath, so a job whose time is not set is neither old nor young.
"""

from __future__ import annotations

import datetime
import math
import re
import time

try:
    import jmespath
    from jmespath import functions as jmespath_functions
    from jmespath.exceptions import JMESPathError

    HAS_JMESPATH = True
    JMESPATH_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module as missing_required_lib
    HAS_JMESPATH = False
    JMESPATH_IMPORT_ERROR = exc

from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError, check_finite

# Epoch numbers at or above this are milliseconds (see the module docstring).
MS_THRESHOLD = 100000000000
_DIGITS = re.compile(r'^\s*-?\d+(\.\d+)?\s*$')
_UTC = datetime.timezone.utc
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)


class GateError(Exception):
    """The gate did not open: fail_if held, or until did not hold in time. ``result`` is the last listing
    (for a MultiGate: the gate's result, with one entry per check)."""

    def __init__(self, message, result, check=None):
        super(GateError, self).__init__(message)
        self.message = message
        self.result = result
        self.check = check


class TimeValueError(ValueError):
    pass


def truthy(value):
    return not (value is None or value is False or (isinstance(value, (str, list, dict)) and not value))


def to_epoch(value):
    """Epoch seconds (float) from epoch ms, epoch s or ISO 8601; None for the APIs' "not set" values."""
    if value is None or value == '':
        return None
    if isinstance(value, bool):
        raise TimeValueError('to_epoch() takes a time, not a boolean: %r' % (value,))
    if isinstance(value, str) and _DIGITS.match(value):
        value = float(value)
    if isinstance(value, (int, float)):
        if math.isnan(value) or math.isinf(value):
            raise TimeValueError('to_epoch() takes a finite number, got %r' % (value,))
        if value == 0:
            return None
        return float(value) / 1000.0 if abs(value) >= MS_THRESHOLD else float(value)
    if not isinstance(value, str):
        raise TimeValueError('to_epoch() takes a number or a string, got %s' % type(value).__name__)
    text = value.strip()
    iso = text[:-1] + '+00:00' if text.endswith(('Z', 'z')) else text
    try:
        moment = datetime.datetime.fromisoformat(iso)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_UTC)
        return (moment - _EPOCH).total_seconds()
    except (ValueError, OverflowError):
        raise TimeValueError(
            'to_epoch() cannot read %r as epoch milliseconds, epoch seconds or ISO 8601' % (value[:64],)
        )


if HAS_JMESPATH:

    class TimeFunctions(jmespath_functions.Functions):
        """now(), to_epoch() and age() for JMESPath; ``now`` is fixed for one evaluation round."""

        def __init__(self, now=None):
            super(TimeFunctions, self).__init__()
            self.now = time.time() if now is None else now

        @jmespath_functions.signature()
        def _func_now(self):
            return self.now

        @jmespath_functions.signature({'types': ['number', 'string', 'null', 'boolean']})
        def _func_to_epoch(self, value):
            try:
                return to_epoch(value)
            except TimeValueError as exc:
                raise JMESPathError(str(exc))

        @jmespath_functions.signature({'types': ['number', 'string', 'null', 'boolean']})
        def _func_age(self, value):
            try:
                moment = to_epoch(value)
            except TimeValueError as exc:
                raise JMESPathError(str(exc).replace('to_epoch()', 'age()'))
            return None if moment is None else self.now - moment


def search_options(now=None):
    """jmespath Options carrying the time functions, ``now`` fixed (epoch seconds; default: the clock)."""
    return jmespath.Options(custom_functions=TimeFunctions(now))


def compile_expression(expression, option):
    if not HAS_JMESPATH:
        raise OptionError(
            option, 'the Python library "jmespath" is required for %s: %s' % (option, JMESPATH_IMPORT_ERROR)
        )
    if not isinstance(expression, str) or not expression.strip():
        raise OptionError(option, '%s must be a JMESPath expression, got %r' % (option, expression))
    try:
        return jmespath.compile(expression)
    except JMESPathError as exc:
        raise OptionError(option, '%s is not a valid JMESPath expression: %s' % (option, exc))


def evaluate(compiled, data, now=None):
    """An expression's value with the time functions available (raises JMESPathError on data errors)."""
    return compiled.search(data, options=search_options(now))


# --- What an expression reads ---------------------------------------------------------------------

READS_EVERYTHING = None
# AST nodes whose first child is evaluated where the node is and whose other children run on what that
# child produced (elements of a projection, the right side of a pipe or a sub-expression).
_LEFT_ONLY = frozenset(
    ['subexpression', 'index_expression', 'pipe', 'projection', 'value_projection', 'filter_projection', 'flatten']
)
# AST nodes that read nothing of the data they are evaluated on.
_NOTHING = frozenset(['literal', 'index', 'slice', 'expref'])
# AST nodes whose children are all evaluated where the node is.
_ALL_CHILDREN = frozenset(
    [
        'comparator',
        'or_expression',
        'and_expression',
        'not_expression',
        'multi_select_list',
        'multi_select_dict',
        'key_val_pair',
        'function_expression',
    ]
)


def root_keys(compiled):
    """The top-level keys of the data an expression reads, from its parsed AST, or None when it may read
    the data as a whole (``@``, or a node type this analysis does not know: the safe answer)."""
    return _reads(compiled.parsed)


def _reads(node):
    kind = node.get('type')
    children = node.get('children') or []
    if kind == 'field':
        return frozenset([node.get('value')])
    if kind in _NOTHING:
        return frozenset()
    if kind in _LEFT_ONLY and children:
        # An expref (&key) only ever reads the elements of another argument, never the root.
        return _reads(children[0])
    if kind in _ALL_CHILDREN:
        keys = frozenset()
        for child in children:
            read = _reads(child)
            if read is READS_EVERYTHING:
                return READS_EVERYTHING
            keys = keys | read
        return keys
    return READS_EVERYTHING  # 'current' / 'identity' (@) and anything unknown


def reads_only(compiled_expressions, allowed):
    """True when every expression reads nothing at the top level but keys in ``allowed``."""
    for compiled in compiled_expressions:
        keys = root_keys(compiled)
        if keys is READS_EVERYTHING or not keys <= frozenset(allowed):
            return False
    return True


# --- One condition pair ---------------------------------------------------------------------------


class Condition(object):
    """``until`` and ``fail_if`` compiled, named by the option path they came from (for messages)."""

    def __init__(self, until=None, fail_if=None, label='wait'):
        if until is None and fail_if is None:
            raise OptionError(label, '%s needs until, fail_if or both' % label)
        self.label = label
        self.until_text, self.fail_if_text = until, fail_if
        self.until = compile_expression(until, label + '.until') if until is not None else None
        self.fail_if = compile_expression(fail_if, label + '.fail_if') if fail_if is not None else None

    def expressions(self):
        return [expression for expression in (self.until, self.fail_if) if expression is not None]

    def probe(self, empty_result):
        """Evaluate both expressions once on an empty result of the documented shape, before any request,
        so an unknown function or a misspelt key path fails as a bad option rather than after polling."""
        for option, expression, text in (
            ('until', self.until, self.until_text),
            ('fail_if', self.fail_if, self.fail_if_text),
        ):
            if expression is None:
                continue
            try:
                evaluate(expression, empty_result)
            except JMESPathError as exc:
                name = '%s.%s' % (self.label, option)
                raise OptionError(name, '%s cannot be evaluated: %s (%s)' % (name, text, exc))

    def _holds(self, option, expression, text, result, now):
        """Evaluate one expression; an error that only shows on data (a wrong type) names the option."""
        try:
            return truthy(evaluate(expression, result, now))
        except JMESPathError as exc:
            raise GateError(
                '%s.%s could not be evaluated on the listing: %s (%s)' % (self.label, option, text, exc), result
            )

    def failed(self, result, now=None):
        return self.fail_if is not None and self._holds('fail_if', self.fail_if, self.fail_if_text, result, now)

    def held(self, result, now=None):
        return self.until is None or self._holds('until', self.until, self.until_text, result, now)


def _check_wait_settings(timeout, sleep, label):
    check_finite({'timeout': timeout}, 'timeout', label=label + 'timeout')
    check_finite({'sleep': sleep}, 'sleep', label=label + 'sleep')
    if timeout is None or isinstance(timeout, bool) or timeout < 0:
        raise OptionError(label + 'timeout', '%stimeout must be zero or more seconds' % label)
    if sleep is None or isinstance(sleep, bool) or sleep <= 0:
        raise OptionError(label + 'sleep', '%ssleep must be more than zero seconds' % label)


class Gate(object):
    """The ``wait`` of one info module: poll one listing until ``until`` holds, failing on ``fail_if``."""

    def __init__(
        self, until=None, fail_if=None, timeout=300, sleep=5, clock=time.monotonic, pause=time.sleep, wall=time.time
    ):
        self.condition = Condition(until, fail_if, 'wait')
        _check_wait_settings(timeout, sleep, 'wait.')
        self.until_text, self.fail_if_text = until, fail_if
        self.until, self.fail_if = self.condition.until, self.condition.fail_if
        self.timeout, self.sleep = timeout, sleep
        self.clock, self.pause, self.wall = clock, pause, wall

    @classmethod
    def from_options(cls, wait):
        """A Gate from the module's ``wait`` option, or None when there is nothing to wait for."""
        if not wait:
            return None
        return cls(
            until=wait.get('until'), fail_if=wait.get('fail_if'), timeout=wait.get('timeout'), sleep=wait.get('sleep')
        )

    def probe(self, empty_result):
        self.condition.probe(empty_result)

    def run(self, poll, summarize):
        """Poll until ``until`` holds (or, with only fail_if, once). ``summarize(result)`` names what was seen."""
        started = self.clock()
        attempts = 0
        while True:
            result = poll()
            attempts += 1
            elapsed = self.clock() - started
            result['wait'] = dict(attempts=attempts, elapsed=round(elapsed, 3))
            now = self.wall()
            if self.condition.failed(result, now):
                raise GateError(
                    'wait.fail_if held after %d poll(s), %.1fs: %s; last listing: %s'
                    % (attempts, elapsed, self.fail_if_text, summarize(result)),
                    result,
                )
            if self.until is None or self.condition.held(result, now):
                return result
            remaining = self.timeout - elapsed
            if remaining <= 0:
                raise GateError(
                    'timed out after %.1fs (%d polls) waiting for wait.until: %s; last listing: %s'
                    % (elapsed, attempts, self.until_text, summarize(result)),
                    result,
                )
            # The last sleep is cut short so that the last poll is made at the timeout, not before it.
            self.pause(min(self.sleep, remaining))


# --- The deployment gate --------------------------------------------------------------------------


class GateCheck(object):
    """One check of a MultiGate: a name, what it polls (``source``, for messages) and its condition.

    ``summarize(result)`` returns a dict describing a listing for the check's entry (count, states, total).
    """

    def __init__(self, name, source, condition, summarize=None):
        self.name, self.source, self.condition = name, source, condition
        self.summarize = summarize or (lambda result: {})


class MultiGate(object):
    """Several checks polled together: each round lists every check's source (``poll_round``, which runs
    them concurrently) and evaluates every check on that round's listings. The gate opens only when every
    ``until`` holds in the same round and every listing of that round is complete; any ``fail_if`` fails
    it at once, naming the check.
    """

    def __init__(self, checks, timeout=300, sleep=5, clock=time.monotonic, pause=time.sleep, wall=time.time):
        if not checks:
            raise OptionError('checks', 'checks must name at least one check')
        _check_wait_settings(timeout, sleep, '')
        names = [check.name for check in checks]
        for name in names:
            if names.count(name) > 1:
                raise OptionError('checks', 'check names must be unique; %r is used more than once' % name)
        self.checks = checks
        self.timeout, self.sleep = timeout, sleep
        self.clock, self.pause, self.wall = clock, pause, wall

    def run(self, poll_round):
        """Wait; returns the gate's result when it opens, raises GateError (with the same result) otherwise.

        ``poll_round()`` returns one listing result per check, in order (raising on a failed listing).
        """
        started = self.clock()
        entries = [
            dict(
                name=check.name,
                source=check.source,
                held=False,
                failed=False,
                held_rounds=0,
                until=check.condition.until_text,
                fail_if=check.condition.fail_if_text,
            )
            for check in self.checks
        ]
        attempts = 0
        while True:
            results = poll_round()
            attempts += 1
            elapsed = self.clock() - started
            now = self.wall()
            failed = []
            for check, entry, result in zip(self.checks, entries, results):
                entry.update(check.summarize(result))
                entry['attempts'] = attempts
                try:
                    entry['failed'] = check.condition.failed(result, now)
                    if check.condition.until is None:
                        entry['held'] = not entry['failed']  # a fail_if-only check holds while fail_if does not
                    else:
                        complete = result.get('complete') is not False
                        entry['held'] = complete and check.condition.held(result, now)
                except GateError as exc:
                    # An expression that cannot be evaluated on this data (a garbled time, a wrong type):
                    # the gate fails, naming the check, rather than reading it as false.
                    entry.update(failed=True, held=False, error=exc.message)
                if entry['failed']:
                    failed.append(entry)
                if entry['held']:
                    entry['held_rounds'] += 1
            if failed:
                return self._close(entries, attempts, elapsed, failed=failed)
            if all(entry['held'] for entry in entries):
                return self._open(entries, attempts, elapsed)
            remaining = self.timeout - elapsed
            if remaining <= 0:
                return self._close(entries, attempts, elapsed)
            self.pause(min(self.sleep, remaining))

    def _lines(self, entries):
        return [_line(entry) for entry in entries]

    def _open(self, entries, attempts, elapsed):
        for entry in entries:
            entry['msg'] = _entry_msg(entry)
            entry['line'] = _line(entry)
        msg = 'job_gate opened: all %d check(s) held in the same round, after %d round(s), %.1fs' % (
            len(entries),
            attempts,
            elapsed,
        )
        return dict(
            opened=True,
            msg=msg,
            checks=entries,
            attempts=attempts,
            elapsed=round(elapsed, 3),
            summary=[msg] + self._lines(entries),
        )

    def _close(self, entries, attempts, elapsed, failed=()):
        for entry in entries:
            entry['msg'] = _entry_msg(entry)
            entry['line'] = _line(entry)
        if failed:
            reasons = [
                "check '%s' (%s): %s" % (entry['name'], entry['source'], entry.get('error') or entry['fail_if'])
                for entry in failed
            ]
            what = 'fail_if held for' if any('error' not in entry for entry in failed) else 'cannot evaluate'
            msg = 'job_gate failed after %d round(s), %.1fs: %s %s' % (attempts, elapsed, what, '; '.join(reasons))
        else:
            waiting = [entry for entry in entries if not entry['held']]
            msg = 'job_gate timed out after %.1fs (%d rounds): %d of %d check(s) did not hold in the last round: %s' % (
                elapsed,
                attempts,
                len(waiting),
                len(entries),
                ', '.join("'%s'" % entry['name'] for entry in waiting),
            )
        result = dict(
            opened=False,
            msg=msg,
            checks=entries,
            attempts=attempts,
            elapsed=round(elapsed, 3),
            summary=[msg] + self._lines(entries),
        )
        raise GateError(msg, result, check=failed[0]['name'] if failed else None)


def _entry_msg(entry):
    seen = entry.get('seen') or ''
    if entry.get('error'):
        return '%s; %s' % (entry['error'], seen)
    if entry['failed']:
        return 'fail_if held: %s; %s' % (entry['fail_if'], seen)
    if entry['held']:
        return 'held (in %d of %d round(s)); %s' % (entry['held_rounds'], entry['attempts'], seen)
    return 'did not hold in the last round (held in %d of %d round(s)): %s; %s' % (
        entry['held_rounds'],
        entry['attempts'],
        entry['until'],
        seen,
    )


def _line(entry):
    state = 'FAILED' if entry['failed'] else ('held' if entry['held'] else 'NOT held')
    return "%s: '%s' (%s): %s" % (state, entry['name'], entry['source'], entry['msg'])
