# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""gate.Gate with an injected clock and pause: until, fail_if, timeout, expression errors, truthiness."""

from __future__ import annotations

import pytest

pytest.importorskip('jmespath')

from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.gate import Gate, GateError, truthy  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.listing import summarize  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError  # noqa: E402

JOBS = ENDPOINTS['emr_ray_job']


class Clock(object):
    """Time advances only when the gate pauses (plus an optional cost per poll)."""

    def __init__(self, poll_cost=0.0):
        self.now = 1000.0
        self.pauses = []
        self.poll_cost = poll_cost

    def __call__(self):
        return self.now

    def pause(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds


class Poller(object):
    """Serves one listing per poll from a list of status sets (the last one repeats)."""

    def __init__(self, clock, statuses):
        self.clock = clock
        self.statuses = statuses
        self.polls = 0

    def __call__(self):
        statuses = self.statuses[min(self.polls, len(self.statuses) - 1)]
        self.polls += 1
        self.clock.now += self.clock.poll_cost
        return {'jobs': [{'submission_id': 'j%d' % number, 'status': status}
                         for number, status in enumerate(statuses)], 'complete': True}


def gate(clock, **kwargs):
    kwargs.setdefault('timeout', 300)
    kwargs.setdefault('sleep', 10)
    return Gate(clock=clock, pause=clock.pause, **kwargs)


def summary(result):
    return summarize(JOBS, result)


def test_until_holds_after_n_polls():
    clock = Clock()
    poller = Poller(clock, [['Running', 'Pending'], ['Running', 'Running'], ['Succeeded', 'Succeeded']])
    result = gate(clock, until="length(jobs[?status != 'Succeeded']) == `0`").run(poller, summary)
    assert poller.polls == 3
    assert clock.pauses == [10, 10]
    assert result['wait'] == {'attempts': 3, 'elapsed': 20.0}
    assert [job['status'] for job in result['jobs']] == ['Succeeded', 'Succeeded']


def test_until_already_true_polls_once_without_pausing():
    clock = Clock()
    poller = Poller(clock, [['Succeeded']])
    result = gate(clock, until="jobs[0].status == 'Succeeded'").run(poller, summary)
    assert poller.polls == 1 and clock.pauses == []
    assert result['wait']['attempts'] == 1


def test_fail_if_fails_at_once_naming_fail_if():
    clock = Clock()
    poller = Poller(clock, [['Running'], ['Failed'], ['Succeeded']])
    with pytest.raises(GateError) as info:
        gate(clock, until="jobs[0].status == 'Succeeded'",
             fail_if="contains(['Failed', 'Cancelled'], jobs[0].status)").run(poller, summary)
    assert poller.polls == 2
    message = info.value.message
    assert 'wait.fail_if' in message
    assert "contains(['Failed', 'Cancelled'], jobs[0].status)" in message
    assert 'status: Failed=1' in message
    assert info.value.result['jobs'][0]['status'] == 'Failed'
    assert info.value.result['wait']['attempts'] == 2


def test_fail_if_wins_over_until_on_the_same_poll():
    clock = Clock()
    poller = Poller(clock, [['Failed']])
    with pytest.raises(GateError):
        gate(clock, until='jobs', fail_if="jobs[?status == 'Failed']").run(poller, summary)


def test_only_fail_if_reads_once():
    clock = Clock()
    poller = Poller(clock, [['Running'], ['Failed']])
    result = gate(clock, fail_if="jobs[?status == 'Failed']").run(poller, summary)
    assert poller.polls == 1 and clock.pauses == []
    assert result['jobs'][0]['status'] == 'Running'


def test_timeout_names_until_and_summarizes_by_state():
    clock = Clock()
    poller = Poller(clock, [['Running', 'Running', 'Pending']])
    with pytest.raises(GateError) as info:
        gate(clock, until="length(jobs[?status == 'Running']) == `0`", timeout=35, sleep=10).run(poller, summary)
    message = info.value.message
    assert 'timed out' in message
    assert 'wait.until' in message
    assert "length(jobs[?status == 'Running']) == `0`" in message
    assert '3 item(s) (status: Pending=1, Running=2)' in message
    # Polls at 0, 10, 20, 30 and, the last sleep cut short, at the timeout itself.
    assert poller.polls == 5
    assert clock.pauses == [10, 10, 10, 5]
    assert info.value.result['wait'] == {'attempts': 5, 'elapsed': 35.0}
    assert '35.0s (5 polls)' in message


def test_timeout_counts_the_time_polls_take():
    clock = Clock(poll_cost=20)
    poller = Poller(clock, [['Running']])
    with pytest.raises(GateError):
        gate(clock, until="jobs[0].status == 'Succeeded'", timeout=60, sleep=5).run(poller, summary)
    # Poll 1 ends at 20, poll 2 at 45, poll 3 at 70: past the timeout, so no more.
    assert poller.polls == 3
    assert clock.pauses == [5, 5]


def test_no_pause_ever_passes_the_timeout():
    for timeout, sleep in ((7, 3), (10, 10), (1, 60), (59, 2.5)):
        clock = Clock()
        poller = Poller(clock, [['Running']])
        with pytest.raises(GateError):
            gate(clock, until="jobs[0].status == 'Succeeded'", timeout=timeout, sleep=sleep).run(poller, summary)
        assert sum(clock.pauses) == timeout
        assert all(0 < pause <= sleep for pause in clock.pauses)


def test_zero_timeout_polls_once():
    clock = Clock()
    poller = Poller(clock, [['Running']])
    with pytest.raises(GateError):
        gate(clock, until="jobs[0].status == 'Succeeded'", timeout=0).run(poller, summary)
    assert poller.polls == 1 and clock.pauses == []


@pytest.mark.parametrize('kwargs, option', [
    (dict(until='jobs[?status == '), 'wait.until'),
    (dict(until='jobs[0].status ==='), 'wait.until'),
    (dict(until='jobs', fail_if='length(jobs'), 'wait.fail_if'),
    (dict(fail_if='[?'), 'wait.fail_if'),
])
def test_invalid_expressions_fail_before_any_poll(kwargs, option):
    clock = Clock()
    with pytest.raises(OptionError) as info:
        gate(clock, **kwargs)
    assert info.value.option == option
    assert option in str(info.value)
    assert 'JMESPath' in str(info.value)


@pytest.mark.parametrize('kwargs, option', [
    (dict(), 'wait'),
    (dict(until='jobs', timeout=-1), 'wait.timeout'),
    (dict(until='jobs', timeout=None), 'wait.timeout'),
    (dict(until='jobs', sleep=0), 'wait.sleep'),
    (dict(until='jobs', sleep=None), 'wait.sleep'),
    (dict(until='jobs', sleep=float('nan')), 'wait.sleep'),
    (dict(until='jobs', sleep=float('inf')), 'wait.sleep'),
    (dict(until='jobs', sleep=float('-inf')), 'wait.sleep'),
])
def test_invalid_wait_settings(kwargs, option):
    with pytest.raises(OptionError) as info:
        Gate(**kwargs)
    assert info.value.option == option


def test_from_options():
    assert Gate.from_options(None) is None
    assert Gate.from_options({}) is None
    built = Gate.from_options({'until': 'jobs', 'fail_if': None, 'timeout': 30, 'sleep': 2.5})
    assert (built.until_text, built.fail_if_text, built.timeout, built.sleep) == ('jobs', None, 30, 2.5)
    with pytest.raises(OptionError) as info:
        Gate.from_options({'until': None, 'fail_if': None, 'timeout': 300, 'sleep': 5})
    assert info.value.option == 'wait'


# --- JMESPath truthiness ------------------------------------------------------------------------

@pytest.mark.parametrize('value, expected', [
    (0, True), (0.0, True), (1, True), (-1, True), (True, True), ('x', True), (' ', True), ([0], True),
    ({'a': None}, True), ([False], True),
    (False, False), (None, False), ('', False), ([], False), ({}, False),
])
def test_truthy_follows_jmespath(value, expected):
    assert truthy(value) is expected


@pytest.mark.parametrize('expression, opens', [
    ('total', True),                 # 0 is true in JMESPath
    ('jobs', False),                 # [] is false
    ('complete', True),
    ("jobs[?status == 'Running']", False),
    ('`{}`', False),
    ("''", False),
    ('`0`', True),
])
def test_until_uses_jmespath_truthiness_over_a_result(expression, opens):
    clock = Clock()

    def poll():
        return {'jobs': [], 'total': 0, 'complete': True}

    the_gate = gate(clock, until=expression, timeout=0)
    if opens:
        assert the_gate.run(poll, summary)['total'] == 0
    else:
        with pytest.raises(GateError):
            the_gate.run(poll, summary)
