# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""module_utils.job_gate.SourceCheck without the network: option precedence, one page a poll from the
AST, checks that would never hold, secrets collected for no_log, the per-check summary."""

from __future__ import annotations

import pytest

pytest.importorskip('jmespath')

from ansible_collections.jobscope.cloud.plugins.module_utils import job_gate, listing  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError  # noqa: E402

ALIBABA = {'endpoint': 'http://127.0.0.1:9', 'access_key_id': 'AK', 'access_key_secret': 'the-secret'}
MC_FILTERS = {'from_time': 1700000000, 'to_time': 1700003600}


def source_check(check, cloud_defaults=None, index=0):
    secrets = set()
    full = dict(filters={}, module_defaults={}, timeout=None, sleep=None)
    full.update(check)
    return job_gate.SourceCheck(index, full, cloud_defaults or {'alibaba': ALIBABA}, secrets), secrets


class FakeTransport(object):
    """Serves MaxCompute pages of 25 jobs; counts the requests and the transports made."""

    made = []

    def __init__(self, *args, **kwargs):
        self.calls = []
        self.closed = False
        FakeTransport.made.append(self)

    def get(self, operation, path, params, limiter=None, check=None, deadline=None):
        self.calls.append(dict(params))
        page, size = int(params['pageNumber']), int(params['pageSize'])
        jobs = [{'instanceId': 'i-%d' % n, 'status': 'Running', 'quotaNickname': 'q'}
                for n in range((page - 1) * size, min(page * size, 25))]
        return {'data': {'totalCount': 25, 'runningJobInfoList': jobs}}

    def close(self):
        self.closed = True


@pytest.fixture
def fake(monkeypatch):
    FakeTransport.made = []
    monkeypatch.setattr(listing, 'Transport', FakeTransport)
    return FakeTransport


@pytest.mark.parametrize('until, fail_if, first_page', [
    ('total == `0`', None, True),
    ('total == `0` && complete', '`false`', True),
    ('length(jobs) == `0`', None, False),
    ('total == `0`', "jobs[?status == 'Failed']", False),
    ("@.total == `0`", None, False),
])
def test_one_page_a_poll_only_when_the_expressions_read_only_the_total(fake, until, fail_if, first_page):
    check, _secrets = source_check(dict(name='c', source='maxcompute_running_job_info', filters=MC_FILTERS,
                                        until=until, fail_if=fail_if))
    assert check.first_page is first_page
    for _round in range(3):
        result = check.poll()
        assert result['total'] == 25
        assert ('jobs' in result) is not first_page
    # One transport (one session) for every round; one request a round when only the total is read.
    assert len(fake.made) == 1
    assert len(fake.made[0].calls) == (3 if first_page else 6)
    check.close()
    assert fake.made[0].closed


def test_precedence_module_defaults_then_cloud_defaults_then_preset_then_filters(fake):
    check, secrets = source_check(dict(
        name='quota', preset='no_running_jobs', value='q-gold',
        module_defaults={'endpoint': 'http://127.0.0.1:1', 'region': 'cn-hangzhou', 'page_size': 5,
                         'quota_nickname_list': ['other'], 'max_retries': 2},
        filters={'from_time': 1700000000, 'to_time': 1700003600, 'page_size': 7}))
    plan = check.plan
    assert plan.dialect.base == 'http://127.0.0.1:9'       # cloud_defaults over module_defaults
    assert plan.max_retries == 2                            # module_defaults where nothing else says
    assert plan.query['quotaNicknameList'] == 'q-gold'      # the preset's filter over module_defaults
    assert plan.query['from'] == '1700000000'               # the check's filters over the preset's
    assert plan.page_size == 7
    assert secrets == {'the-secret'}


def test_every_check_secret_is_collected(fake):
    _check, secrets = source_check(dict(name='q', preset='no_queued_jobs', value='USER', filters={
        'auth_token': 'iam-token', 'project_id': 'p'}), cloud_defaults={'huawei': {
            'endpoint': 'http://127.0.0.1:9', 'access_key_id': 'hw-ak', 'access_key_secret': 'hw-sk'}})
    assert secrets == {'iam-token', 'hw-sk'}


@pytest.mark.parametrize('check, option, words', [
    (dict(name='c', source='emr_ray_cluster_info', filters={'workspace_id': 'w'}, until='total == `0`'),
     'checks[0]', 'reads total, which this listing does not have'),
    (dict(name='c', source='maxcompute_running_job_info', filters=dict(MC_FILTERS, wait={'until': 'x'}),
          until='total'), 'checks[0].filters', 'must not set wait'),
    (dict(name='c', source='maxcompute_running_job_info', filters=dict(MC_FILTERS, page_size='many'),
          until='total'), 'checks[0].filters', 'page_size'),
    (dict(name='c', source='maxcompute_running_job_info', filters={'from_time': 'yesterday-ish',
                                                                   'to_time': 'now'}, until='total'),
     'checks[0].filters.from_time', "check 'c' (maxcompute_running_job_info)"),
    (dict(name='c', source='maxcompute_running_job_info', filters=MC_FILTERS, until='nope(total)'),
     'checks[0].until', 'cannot be evaluated'),
])
def test_checks_that_cannot_run_name_the_option(fake, check, option, words):
    with pytest.raises(OptionError) as info:
        source_check(check)
    assert info.value.option == option and words in str(info.value)
    assert 'the-secret' not in str(info.value)
    assert not any(transport.calls for transport in fake.made)


def test_summary_counts_by_state_or_names_the_total(fake):
    full, _secrets = source_check(dict(name='c', source='maxcompute_running_job_info', filters=MC_FILTERS,
                                       until='length(jobs) == `0`'))
    summary = full.summarize(full.poll())
    assert summary['count'] == 25 and summary['states'] == {'q': 25} and summary['pages_read'] == 'all'
    cheap, _secrets = source_check(dict(name='c', source='maxcompute_running_job_info', filters=MC_FILTERS,
                                        until='total == `0`'))
    summary = cheap.summarize(cheap.poll())
    assert summary['seen'] == 'total 25 (one page a poll)' and 'count' not in summary
