# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""presets.resolve_check: sources, filters and expressions from presets, evaluated on listings."""

from __future__ import annotations

import pytest

pytest.importorskip('jmespath')

from ansible_collections.jobscope.cloud.plugins.module_utils.gate import Condition  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.presets import (  # noqa: E402
    PRESETS, SOURCES, literal, resolve_check)


def condition(check):
    resolved = resolve_check(check, 'checks[0]')
    return resolved, Condition(resolved.until, resolved.fail_if, 'checks[0]')


def dlc(status, job_id='dlc-1'):
    return {'jobs': [{'job_id': job_id + '0', 'status': 'Succeeded'}, {'job_id': job_id, 'status': status}],
            'complete': True, 'total': 2}


@pytest.mark.parametrize('status, held, failed', [
    ('Succeeded', True, False), ('SucceededReserving', True, False),
    ('Failed', False, True), ('FailedReserving', False, True), ('Stopped', False, True),
    ('Running', False, False), ('Queuing', False, False), ('Stopping', False, False),
])
def test_dlc_job_succeeded(status, held, failed):
    resolved, cond = condition({'name': 'train', 'preset': 'job_succeeded', 'source': 'pai_dlc_job_info',
                                'value': 'dlc-1'})
    # An explicit start time: the API alone lists only the last 7 days.
    assert resolved.filters == {'job_id': 'dlc-1', 'start_time': '-365d'}
    assert cond.held(dlc(status)) is held
    assert cond.failed(dlc(status)) is failed
    # The other job (a substring match of the filter) does not count.
    assert cond.held({'jobs': [{'job_id': 'dlc-10', 'status': 'Succeeded'}], 'complete': True}) is False


@pytest.mark.parametrize('state, held, failed', [
    ('Running', True, False), ('Starting', False, False),
    ('Error', False, True), ('Stopped', False, True), ('Stopping', False, True),
])
def test_cluster_running(state, held, failed):
    resolved, cond = condition({'name': 'c', 'preset': 'cluster_running', 'cluster_name': 'prod',
                                'filters': {'workspace_id': 'w'}})
    assert resolved.source == 'emr_ray_cluster_info' and resolved.filters == {'workspace_id': 'w'}
    listing = {'clusters': [{'name': 'other', 'state': 'Error'}, {'name': 'prod', 'state': state}]}
    assert cond.held(listing) is held and cond.failed(listing) is failed


def test_queue_presets_test_the_total_only():
    resolved = resolve_check({'name': 'q', 'preset': 'no_queued_jobs', 'value': 'USER'}, 'checks[0]')
    assert resolved.source == 'octopus_queued_job_info' and resolved.until == 'total == `0`'
    assert resolved.filters == {'queue_type': 'USER'} and not resolved.warnings
    old = resolve_check({'name': 'q', 'preset': 'no_running_jobs', 'queue_type': 'USER'}, 'checks[0]')
    assert old.source == 'octopus_queued_job_info' and 'no_queued_jobs' in old.warnings[0]
    mc = resolve_check({'name': 'm', 'preset': 'no_running_jobs', 'quota': 'q-gold'}, 'checks[0]')
    assert mc.source == 'maxcompute_running_job_info'
    assert mc.filters == {'quota_nickname_list': ['q-gold'], 'from_time': '-7d', 'to_time': 'now'}


@pytest.mark.parametrize('value', ["team's \"ray\" \\ 1", 'a`b', '`', '\\`', '{{ 6 * 7 }}', 'ünïcode', "'"])
def test_any_value_is_a_safe_literal(value):
    _resolved, cond = condition({'name': 'c', 'preset': 'cluster_running', 'value': value})
    assert cond.held({'clusters': [{'name': value, 'state': 'Running'}]}) is True
    assert cond.held({'clusters': [{'name': value + 'x', 'state': 'Running'}]}) is False
    assert literal(value).startswith('`')


def test_own_filters_and_expressions_win_over_the_preset():
    resolved = resolve_check({'name': 'n', 'preset': 'job_succeeded', 'source': 'pai_dlc_job_info', 'value': 'j',
                              'filters': {'start_time': '-30d'}, 'until': 'total == `1`'}, 'checks[0]')
    assert resolved.filters['start_time'] == '-30d' and resolved.until == 'total == `1`'
    assert 'FailedReserving' in resolved.fail_if


@pytest.mark.parametrize('check, option, words', [
    ({'name': 'x'}, 'checks[0].source', 'needs a source or a preset'),
    ({'name': 'x', 'source': 'nope_info', 'until': 'a'}, 'checks[0].source', 'must be one of'),
    ({'name': 'x', 'preset': 'nope'}, 'checks[0].preset', 'must be one of'),
    ({'name': 'x', 'preset': 'job_succeeded', 'value': 'j'}, 'checks[0].source', 'needs source'),
    ({'name': 'x', 'preset': 'cluster_running'}, 'checks[0].value', 'needs value'),
    ({'name': 'x', 'preset': 'cluster_running', 'source': 'pai_dlc_job_info', 'value': 'v'}, 'checks[0].preset',
     'does not apply'),
    ({'name': 'x', 'source': 'pai_dlc_job_info'}, 'checks[0]', 'needs until, fail_if or a preset'),
    ({'name': '', 'source': 'pai_dlc_job_info', 'until': 'a'}, 'checks[0].name', 'required'),
])
def test_bad_checks_name_the_option(check, option, words):
    with pytest.raises(OptionError) as info:
        resolve_check(check, 'checks[0]')
    assert info.value.option == option and words in str(info.value)


def test_every_preset_names_known_sources_and_valid_expressions():
    for preset, variants in PRESETS.items():
        for source, variant in variants.items():
            assert source in SOURCES, (preset, source)
            Condition(variant.until.replace('@VALUE@', literal('v')) if variant.until else None,
                      variant.fail_if.replace('@VALUE@', literal('v')) if variant.fail_if else None)
            assert variant.states
