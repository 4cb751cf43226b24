# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The time functions, what an expression reads (from its AST), and MultiGate's rounds."""

from __future__ import annotations

import pytest

pytest.importorskip('jmespath')

from ansible_collections.jobscope.cloud.plugins.module_utils.gate import (  # noqa: E402
    Condition, GateCheck, GateError, MultiGate, TimeValueError, compile_expression, evaluate, reads_only,
    root_keys, to_epoch)
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError  # noqa: E402

NOW = 1767225600.0  # 2026-01-01T00:00:00Z


# --- to_epoch / now / age -------------------------------------------------------------------------

@pytest.mark.parametrize('value, expected', [
    (1767225600, NOW), (1767225600000, NOW), ('1767225600', NOW), ('1767225600000', NOW),
    (1767225600.5, NOW + 0.5), (1767225600500, NOW + 0.5),
    ('2026-01-01T00:00:00Z', NOW), ('2026-01-01T00:00:00+00:00', NOW), ('2026-01-01T08:00:00+08:00', NOW),
    ('2026-01-01T00:00:00', NOW), ('2026-01-01T00:00:00.250Z', NOW + 0.25),
    (99999999999, 99999999999.0), (100000000000, 100000000.0),  # the documented threshold
    (None, None), ('', None), (0, None), ('0', None),
])
def test_to_epoch_reads_ms_s_and_iso(value, expected):
    assert to_epoch(value) == expected


@pytest.mark.parametrize('value', [True, False, 'yesterday', '2026-13-01', float('nan'), float('inf'), [1], {}])
def test_to_epoch_refuses_garbage(value):
    with pytest.raises(TimeValueError):
        to_epoch(value)


def test_time_functions_in_expressions():
    data = {'jobs': [
        {'id': 'old-ms', 'submitted': (NOW - 3600) * 1000},
        {'id': 'old-s', 'submitted': NOW - 3600},
        {'id': 'old-iso', 'submitted': '2025-12-31T23:00:00Z'},
        {'id': 'young', 'submitted': NOW - 60},
        {'id': 'unset', 'submitted': 0},
        {'id': 'missing'},
    ]}
    old = compile_expression("jobs[?age(submitted) > `1800`].id", 'x')
    assert evaluate(old, data, now=NOW) == ['old-ms', 'old-s', 'old-iso']
    same = compile_expression("jobs[?to_epoch(submitted) < sum([now(), `-1800`])].id", 'x')
    assert evaluate(same, data, now=NOW) == ['old-ms', 'old-s', 'old-iso']
    assert evaluate(compile_expression('now()', 'x'), {}, now=NOW) == NOW
    assert evaluate(compile_expression("age('2025-12-31T23:59:00Z')", 'x'), {}, now=NOW) == 60.0


def test_garbled_time_is_an_evaluation_error_not_false():
    condition = Condition(fail_if="jobs[?age(t) > `10`]", label='checks[0]')
    with pytest.raises(GateError) as info:
        condition.failed({'jobs': [{'t': 'garbage'}]}, NOW)
    assert 'checks[0].fail_if' in info.value.message


def test_probe_catches_unknown_functions_before_polling():
    with pytest.raises(OptionError) as info:
        Condition(until='ages(jobs)', label='checks[1]').probe({'jobs': []})
    assert info.value.option == 'checks[1].until'


# --- root_keys ------------------------------------------------------------------------------------

@pytest.mark.parametrize('expression, keys', [
    ('total == `0`', {'total'}),
    ('total < `5` && complete', {'total', 'complete'}),
    ('!complete || total > `0`', {'total', 'complete'}),
    ("length(jobs) == `0`", {'jobs'}),
    ("jobs[?status == 'Running'] | length(@) == `0`", {'jobs'}),
    ("total.foo", {'total'}),
    ("[total, complete]", {'total', 'complete'}),
    ("{a: total}", {'total'}),
    ("max_by(jobs, &age(t))", {'jobs'}),
    ("jobs[*].total", {'jobs'}),
    ("jobs[0]", {'jobs'}),
    ("`[1]`", set()),
    ("now() > `0` && total == `0`", {'total'}),
])
def test_root_keys(expression, keys):
    assert root_keys(compile_expression(expression, 'x')) == frozenset(keys)


@pytest.mark.parametrize('expression', ['@', 'length(@) > `0`', "@.total == `0`", "keys(@)", "values(@)[0]"])
def test_the_whole_result_is_read(expression):
    assert root_keys(compile_expression(expression, 'x')) is None
    assert not reads_only([compile_expression(expression, 'x')], ('total', 'complete'))


def test_reads_only_decides_on_every_expression():
    total = compile_expression('total == `0`', 'x')
    jobs = compile_expression("length(jobs) > `0`", 'x')
    assert reads_only([total], ('total', 'complete'))
    assert not reads_only([total, jobs], ('total', 'complete'))
    # A string that merely mentions total is not a read of total.
    assert not reads_only([compile_expression("jobs[?name == 'total']", 'x')], ('total', 'complete'))


# --- MultiGate ------------------------------------------------------------------------------------

class Clock(object):
    def __init__(self):
        self.now = 0.0
        self.pauses = []

    def __call__(self):
        return self.now

    def pause(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds


def states(*values):
    return {'jobs': [{'status': value} for value in values], 'complete': True}


def check(name, until=None, fail_if=None):
    return GateCheck(name, 'emr_ray_job_info', Condition(until, fail_if, name),
                     summarize=lambda result: {'count': len(result.get('jobs', []))})


def multi(clock, checks, timeout=60, sleep=5):
    return MultiGate(checks, timeout=timeout, sleep=sleep, clock=clock, pause=clock.pause, wall=lambda: NOW)


def rounds_of(*rounds):
    """poll_round serving the given rounds in order (the last repeats)."""
    served = []

    def poll_round():
        result = rounds[min(len(served), len(rounds) - 1)]
        served.append(result)
        return result
    return poll_round, served


A_RUNNING = "jobs[0].status == 'Running'"


def test_not_atomic_not_opened():
    # A holds until B holds; then A flips back: never both in one round.
    clock = Clock()
    poll, served = rounds_of([states('Running'), states('Pending')], [states('Running'), states('Pending')],
                             [states('Stopped'), states('Running')])
    with pytest.raises(GateError) as info:
        multi(clock, [check('A', A_RUNNING), check('B', A_RUNNING)], timeout=20).run(poll)
    result = info.value.result
    assert result['opened'] is False
    assert [entry['held'] for entry in result['checks']] == [False, True]
    assert [entry['held_rounds'] for entry in result['checks']] == [2, len(served) - 2]
    assert "'A'" in info.value.message and 'timed out' in info.value.message


def test_opens_in_the_first_round_where_all_hold():
    clock = Clock()
    poll, served = rounds_of([states('Running'), states('Pending')], [states('Pending'), states('Running')],
                             [states('Running'), states('Running')])
    result = multi(clock, [check('A', A_RUNNING), check('B', A_RUNNING)]).run(poll)
    assert result['opened'] is True and len(served) == 3 and clock.pauses == [5, 5]
    assert all(entry['held'] and entry['attempts'] == 3 for entry in result['checks'])
    assert result['summary'][0] == result['msg']


def test_fail_if_fails_at_once_naming_the_check():
    clock = Clock()
    poll, served = rounds_of([states('Running'), states('Running')], [states('Running'), states('Failed')])
    with pytest.raises(GateError) as info:
        multi(clock, [check('first', A_RUNNING + ' && `false`'),
                      check('second job', A_RUNNING, "jobs[0].status == 'Failed'")]).run(poll)
    assert len(served) == 2
    assert info.value.check == 'second job'
    assert "check 'second job' (emr_ray_job_info)" in info.value.message
    assert [entry['failed'] for entry in info.value.result['checks']] == [False, True]


@pytest.mark.parametrize('until, fail_if', [
    ("jobs[0].status == 'Running'", "jobs[?age(t) > `60`]"),
    ("jobs[?age(t) < `60`]", None),
    ("length(jobs[0].status) > `1` && abs(jobs[0].status) > `0`", None),
])
def test_an_expression_that_cannot_be_evaluated_fails_the_gate_naming_the_check(until, fail_if):
    clock = Clock()
    garbled = {'jobs': [{'status': 'Running', 't': 'not a time'}], 'complete': True}
    poll, served = rounds_of([states('Running'), garbled])
    with pytest.raises(GateError) as info:
        multi(clock, [check('A', A_RUNNING), check('B', until, fail_if)]).run(poll)
    assert len(served) == 1 and info.value.check == 'B'
    assert "check 'B' (emr_ray_job_info): B." in info.value.message
    assert info.value.result['checks'][1]['failed'] is True and info.value.result['opened'] is False


def test_an_incomplete_listing_never_opens_the_gate():
    clock = Clock()
    incomplete = dict(states('Running'), complete=False)
    poll, served = rounds_of([incomplete, states('Running')], [states('Running'), states('Running')])
    result = multi(clock, [check('A', A_RUNNING), check('B', A_RUNNING)]).run(poll)
    assert len(served) == 2 and result['opened']


def test_fail_if_only_checks_hold_while_fail_if_does_not():
    clock = Clock()
    poll, served = rounds_of([states('Running'), states('Running')])
    result = multi(clock, [check('A', A_RUNNING), check('guard', fail_if="jobs[0].status == 'Failed'")]).run(poll)
    assert result['opened'] and len(served) == 1
    assert result['checks'][1]['held'] is True


def test_timeout_polls_at_the_timeout_and_never_pauses_past_it():
    clock = Clock()
    poll, served = rounds_of([states('Pending')])
    with pytest.raises(GateError):
        multi(clock, [check('A', A_RUNNING)], timeout=12, sleep=5).run(poll)
    assert clock.pauses == [5, 5, 2] and len(served) == 4


@pytest.mark.parametrize('kwargs, option', [
    (dict(checks=[]), 'checks'),
    (dict(timeout=-1), 'timeout'),
    (dict(sleep=0), 'sleep'),
])
def test_bad_gate_settings(kwargs, option):
    kwargs.setdefault('checks', [check('A', A_RUNNING)])
    with pytest.raises(OptionError) as info:
        MultiGate(**kwargs)
    assert info.value.option == option


def test_duplicate_check_names_are_refused():
    with pytest.raises(OptionError):
        MultiGate([check('A', A_RUNNING), check('A', A_RUNNING)])
