# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 6: what the modules do when the cloud throttles, errs, drops connections, answers garbage, changes
the listing under them or cannot be reached - driven through `ansible` against the emulator's faults.

Every bound asserted here is measured on the wall clock around the whole `ansible` run (its start-up of
about a second included) and, where it matters, between the attempts in the emulator's request log.
docs/reliability.md lists what each test found. Run with ``-s`` to see the measurements.
"""

from __future__ import annotations

import re
import socket
import time

import pytest

from harness import ALIBABA_ENV, HUAWEI_ENV, run_adhoc, run_tasks

WORKSPACE = 'w-demo'
NOW = 1768464000  # 2026-01-15T08:00:00Z: a fixed dataset clock, so every reset builds the same items

SPEC = {
    'seed': 11,
    'now': NOW,
    'emr_ray_clusters': {WORKSPACE: {'count': 95}},
    'emr_ray_jobs': {WORKSPACE: {'count': 60}},
    'pai_dlc_jobs': {'count': 42},
    'maxcompute_running_jobs': {'count': 45},
    'octopus_queued_jobs': {'count': 37, 'mix': {'queue_type': {'USER': 37}}},
}

# module -> (emulator endpoint, emulator collection, credentials, required args, result key, item id)
MODULES = {
    'emr_ray_cluster_info': ('ListRayCluster', 'emr_ray_clusters', ALIBABA_ENV, {'workspace_id': WORKSPACE},
                             'clusters', 'cluster_id', 'clusterId'),
    'emr_ray_job_info': ('ListRayJob', 'emr_ray_jobs', ALIBABA_ENV, {'workspace_id': WORKSPACE},
                         'jobs', 'submission_id', 'submissionId'),
    'pai_dlc_job_info': ('ListJobs', 'pai_dlc_jobs', ALIBABA_ENV, {}, 'jobs', 'job_id', 'JobId'),
    'maxcompute_running_job_info': ('GetRunningJobs', 'maxcompute_running_jobs', ALIBABA_ENV,
                                    {'from_time': NOW - 86400, 'to_time': NOW + 3600},
                                    'jobs', 'instance_id', 'instanceId'),
    'octopus_queued_job_info': ('QueryQueuedJobList', 'octopus_queued_jobs', HUAWEI_ENV, {'queue_type': 'USER'},
                                'jobs', 'id', 'id'),
}
ALIBABA_MODULES = [name for name in MODULES if name != 'octopus_queued_job_info']

# The transport's caps (module_utils/transport.py): a jittered backoff step never exceeds BACKOFF_CAP and
# one call waits at most RETRY_AFTER_CAP in all for a server's Retry-After.
BACKOFF_CAP = 20.0
RETRY_AFTER_CAP = 60.0
# Wall-clock slack for one `ansible` run: its start-up takes about a second on an idle machine and several
# on a loaded one (the suites run two workers at once). Retry waits are also checked more tightly in the
# emulator's request log, which does not include the start-up.
SLACK = 30.0


@pytest.fixture
def emu(emulator):
    """The session's emulator with SPEC's items; a reset also clears faults, changes, rate limit and log."""
    emulator.reset(SPEC)
    return emulator


def measure(label, seconds):
    print('\nMEASURED %s: %.1f s' % (label, seconds))


def run(emu, module, run_timeout=300, endpoint=None, **args):
    """One ad hoc run of ``module`` against the emulator; returns (Result, elapsed seconds)."""
    _action, _collection, env, required, _key, _id, _wire_id = MODULES[module]
    options = dict(required, endpoint=endpoint or emu.url)
    options.update(args)
    started = time.monotonic()
    result = run_adhoc(module, options, env=env, timeout=run_timeout)
    return result, time.monotonic() - started


def expected_ids(emu, module):
    _action, collection, _env, _required, _key, _id, wire_id = MODULES[module]
    items = emu.items(collection)
    if module == 'octopus_queued_job_info':
        items = [item for item in items if item.get('queue_type') == 'USER']
    return [item[wire_id] for item in items]


def returned_ids(result, module):
    _action, _collection, _env, _required, key, item_id, _wire_id = MODULES[module]
    return [item[item_id] for item in result.result[key]]


def api_requests(emu, module):
    action = MODULES[module][0]
    return [entry for entry in emu.requests() if entry['endpoint'] == action]


def attempts_by_page(entries):
    """Request log entries grouped by their query (one group = one page and its retries), in arrival order."""
    pages = {}
    for entry in sorted(entries, key=lambda entry: entry['seq']):
        pages.setdefault(tuple(sorted(entry['params'].items())), []).append(entry)
    return pages


def retry_gaps(entries):
    """Seconds between each failed attempt and the next attempt at the same page (a listing without a
    total reads its first page again at the end: that second read follows a success and is no retry)."""
    gaps = []
    for attempts in attempts_by_page(entries).values():
        gaps.extend(later['time'] - earlier['time'] for earlier, later in zip(attempts, attempts[1:])
                    if earlier['fault'] or earlier['status'] != 200)
    return gaps


def assert_clean_failure(result):
    assert result.failed, result.output
    assert 'Traceback' not in result.output
    assert result.result.get('msg'), result.output


def assert_whole(result, emu, module):
    assert not result.failed, result.output
    assert 'Traceback' not in result.output
    ids = returned_ids(result, module)
    assert len(ids) == len(set(ids)), 'an item came back twice'
    assert sorted(ids) == sorted(expected_ids(emu, module)), 'not every item, or not only them'
    assert result.result['complete'] is True


# --- Throttling ------------------------------------------------------------------------------------

@pytest.mark.parametrize('module', ALIBABA_MODULES)
def test_alibaba_throttling_user_400_is_retried_to_a_whole_listing(emu, module):
    """Throttling.User with HTTP 400 on three requests after the first page: every item, each once."""
    emu.faults({'endpoint': MODULES[module][0], 'kind': 'throttle', 'skip': 1, 'count': 3})
    result, elapsed = run(emu, module, page_size=10)
    assert_whole(result, emu, module)
    entries = api_requests(emu, module)
    assert [entry['code'] for entry in entries].count('Throttling.User') == 3
    assert all(entry['status'] == 400 for entry in entries if entry['fault'] == 'throttle')
    gaps = retry_gaps(entries)
    assert len(gaps) == 3 and all(gap <= BACKOFF_CAP + 1 for gap in gaps)
    measure('%s, 3 x Throttling.User: total (longest retry gap %.2f s)' % (module, max(gaps)), elapsed)
    assert elapsed < 0.5 + 1 + 2 + SLACK  # at worst the three hit one page: backoff steps of 0.5, 1 and 2 s


def test_alibaba_429_with_x_acs_retry_after_is_retried_to_a_whole_listing(emu):
    """x-acs-retry-after is in milliseconds, as the Alibaba SDK reads it: 1500 is a floor of 1.5 s."""
    module = 'emr_ray_job_info'
    emu.faults({'endpoint': 'ListRayJob', 'kind': 'throttle', 'status': 429, 'code': 'Throttling',
                'retry_after': 1500, 'skip': 1, 'count': 2})
    result, elapsed = run(emu, module, page_size=10)
    assert_whole(result, emu, module)
    entries = api_requests(emu, module)
    assert [entry['status'] for entry in entries].count(429) == 2
    gaps = retry_gaps(entries)
    assert len(gaps) == 2 and all(1.5 <= gap <= 1.5 + 8 for gap in gaps), gaps
    measure('emr_ray_job_info, 2 x 429 + x-acs-retry-after 1500: total (retry gaps %s)'
            % ', '.join('%.2f' % gap for gap in gaps), elapsed)
    assert elapsed < 2 * (1.5 + 2) + SLACK


def test_huawei_apig_0308_429_honours_retry_after_and_completes(emu):
    module = 'octopus_queued_job_info'
    emu.faults({'endpoint': 'QueryQueuedJobList', 'kind': 'throttle', 'retry_after': 1, 'skip': 1, 'count': 3})
    result, elapsed = run(emu, module, page_size=5)
    assert_whole(result, emu, module)
    entries = api_requests(emu, module)
    assert [entry['code'] for entry in entries].count('APIG.0308') == 3
    assert all(entry['status'] == 429 for entry in entries if entry['fault'] == 'throttle')
    gaps = retry_gaps(entries)
    # Retry-After: 1 is a floor for the retry of that page, and the wait stays bounded.
    assert len(gaps) == 3 and all(1.0 <= gap <= 1.0 + BACKOFF_CAP for gap in gaps), gaps
    measure('octopus, 3 x APIG.0308 + Retry-After 1: total (retry gaps %s)'
            % ', '.join('%.2f' % gap for gap in gaps), elapsed)
    assert elapsed < 3 * (1 + 8) + SLACK


@pytest.mark.parametrize('module, page_size', [('pai_dlc_job_info', 5), ('octopus_queued_job_info', 4)])
def test_sustained_rate_limit_completes_whole_in_bounded_time(emu, module, page_size):
    """A token bucket of 4 requests/s (burst 2) against 8 concurrent pages: most first tries are throttled,
    the limiter backs off, and the listing still comes back whole."""
    emu.control('POST', 'config', {'rate_limit': {'rps': 4, 'burst': 2}})
    result, elapsed = run(emu, module, page_size=page_size, concurrency=8)
    assert_whole(result, emu, module)
    entries = api_requests(emu, module)
    throttled = [entry for entry in entries if entry['fault'] == 'rate_limit']
    assert throttled, 'the rate limit never bit: the test proves nothing'
    pages = len(attempts_by_page(entries))
    measure('%s under 4 rps: %d pages, %d requests, %d throttled' % (module, pages, len(entries), len(throttled)),
            elapsed)
    assert elapsed < 60 + SLACK


def test_sustained_rate_limit_whole_in_20_runs_out_of_20(emu):
    """Issue 10: 4 requests/s against 8 pages in flight, twenty listings in a row (one playbook): throttling
    is retried until the deadline and does not count against max_retries, so every one comes back whole."""
    emu.control('POST', 'config', {'rate_limit': {'rps': 4, 'burst': 2}})
    task = {'jobscope.cloud.pai_dlc_job_info': {'endpoint': emu.url, 'page_size': 5, 'concurrency': 8}}
    started = time.monotonic()
    run_result = run_tasks([task] * 20, env=ALIBABA_ENV, timeout=900)
    elapsed = time.monotonic() - started
    results = run_result.result.get('results')
    assert results and len(results) == 20, run_result.output
    expected = sorted(expected_ids(emu, 'pai_dlc_job_info'))
    whole = [not result.get('failed') and result.get('complete') is True
             and sorted(job['job_id'] for job in result['jobs']) == expected for result in results]
    entries = api_requests(emu, 'pai_dlc_job_info')
    throttled = [entry for entry in entries if entry['fault'] == 'rate_limit']
    measure('20 listings of 9 pages under 4 rps: %d whole, %d requests, %d throttled'
            % (sum(whole), len(entries), len(throttled)), elapsed)
    assert throttled, 'the rate limit never bit: the test proves nothing'
    assert all(whole), [result.get('msg') for result in results if result.get('failed')]


# --- Persistent server errors ----------------------------------------------------------------------

@pytest.mark.parametrize('module, status, code', [
    ('pai_dlc_job_info', 500, 'InternalError'),
    ('pai_dlc_job_info', 503, 'ServiceUnavailable'),
    ('maxcompute_running_job_info', 503, 'ServiceUnavailable'),
    ('octopus_queued_job_info', 500, 'APIG.0201'),
    ('octopus_queued_job_info', 503, 'APIG.0201'),
])
def test_persistent_5xx_fails_fast_naming_status_code_and_request_id(emu, module, status, code):
    """Default max_retries (5): 500 and 503 are retried with a backoff of at most 0.5+1+2+4+8 s (500 is a
    transient server error for Octopus and the vendors' SDKs); the failure names the HTTP status, the vendor
    code and the request id of the last attempt."""
    emu.faults({'endpoint': MODULES[module][0], 'kind': 'error', 'status': status, 'code': code, 'count': None})
    result, elapsed = run(emu, module)
    assert_clean_failure(result)
    entries = api_requests(emu, module)
    assert len(entries) == 6
    msg = result.result['msg']
    assert 'HTTP %d' % status in msg and code in msg
    assert entries[-1]['request_id'] in msg
    assert result.result['http_status'] == status
    assert result.result['error_code'] == code
    assert result.result['request_id'] == entries[-1]['request_id']
    measure('%s, persistent %d: failure after %d attempts' % (module, status, len(entries)), elapsed)
    assert elapsed < 16 + SLACK
    assert elapsed < 90


@pytest.mark.parametrize('module, retry_after', [('emr_ray_job_info', 3600000), ('octopus_queued_job_info', 3600)])
def test_persistent_503_with_a_retry_after_past_the_deadline_fails_at_once(emu, module, retry_after):
    """A proxy in maintenance answers 503 asking to retry after an hour (x-acs-retry-after in ms, Retry-After
    in s). That is past the listing's deadline (300 s by default), so waiting is pointless: the call fails at
    once, saying what the server asked."""
    emu.faults({'endpoint': MODULES[module][0], 'kind': 'error', 'status': 503, 'retry_after': retry_after,
                'count': None})
    result, elapsed = run(emu, module, run_timeout=150)
    assert_clean_failure(result)
    assert 'HTTP 503' in result.result['msg']
    assert 'asks to wait 3600 s, past the deadline of 300 s' in result.result['msg']
    assert len(api_requests(emu, module)) == 1
    measure('%s, persistent 503 + retry after an hour: failure' % module, elapsed)
    assert elapsed < SLACK


# --- Broken transport and garbage bodies -----------------------------------------------------------

FAULTS = {
    # kind -> what the final error message says when the fault persists
    'drop': 'connection failed',
    'truncated': 'connection failed',
    'malformed': 'malformed response body',
    'html': 'HTTP 502',
}


@pytest.mark.parametrize('module', ['emr_ray_job_info', 'octopus_queued_job_info'])
@pytest.mark.parametrize('kind', sorted(FAULTS))
def test_transient_transport_faults_are_retried_to_a_whole_listing(emu, module, kind):
    """Twice in a row, on the second page: retried, then every item once."""
    emu.faults({'endpoint': MODULES[module][0], 'kind': kind, 'skip': 1, 'count': 2})
    result, elapsed = run(emu, module, page_size=10)
    assert_whole(result, emu, module)
    assert [entry['fault'] for entry in api_requests(emu, module)].count(kind) == 2
    measure('%s, 2 x %s: whole listing' % (module, kind), elapsed)
    assert elapsed < 2 * 8 + SLACK


@pytest.mark.parametrize('module', ['emr_ray_job_info', 'octopus_queued_job_info'])
@pytest.mark.parametrize('kind', sorted(FAULTS))
def test_persistent_transport_faults_are_clean_errors(emu, module, kind):
    emu.faults({'endpoint': MODULES[module][0], 'kind': kind, 'count': None})
    result, elapsed = run(emu, module, max_retries=1)
    assert_clean_failure(result)
    msg = result.result['msg']
    assert FAULTS[kind] in msg, msg
    assert 'after 2 attempts' in msg
    assert MODULES[module][0] in msg  # the operation
    if kind == 'html':
        # Described by size and type, never quoted: a body may carry anything.
        assert 'bytes of text/html' in msg and 'Bad Gateway' not in msg
    assert len(api_requests(emu, module)) == 2
    measure('%s, persistent %s (max_retries 1): clean failure' % (module, kind), elapsed)
    assert elapsed < SLACK


def test_persistent_garbage_with_default_retries_is_bounded(emu):
    module = 'pai_dlc_job_info'
    emu.faults({'endpoint': 'ListJobs', 'kind': 'malformed', 'count': None})
    result, elapsed = run(emu, module)
    assert_clean_failure(result)
    assert 'malformed response body' in result.result['msg'] and 'after 6 attempts' in result.result['msg']
    measure('pai_dlc_job_info, persistent malformed 200 (default retries)', elapsed)
    assert elapsed < 16 + SLACK


def test_a_slow_server_times_out_and_is_retried(emu):
    module = 'emr_ray_job_info'
    emu.faults({'endpoint': 'ListRayJob', 'kind': 'latency', 'delay_ms': 2500, 'skip': 1, 'count': 1})
    result, elapsed = run(emu, module, page_size=10, timeout=1)
    assert_whole(result, emu, module)
    measure('emr_ray_job_info, one 2.5 s answer with timeout 1: whole listing', elapsed)
    assert elapsed < 10 + SLACK


def test_a_server_that_never_answers_in_time_fails_in_bounded_time(emu):
    module = 'emr_ray_job_info'
    emu.faults({'endpoint': 'ListRayJob', 'kind': 'latency', 'delay_ms': 2500, 'count': None})
    result, elapsed = run(emu, module, timeout=1, max_retries=2)
    assert_clean_failure(result)
    msg = result.result['msg']
    assert 'no complete response within 1 s (connect, headers and body)' in msg and 'after 3 attempts' in msg
    measure('emr_ray_job_info, answers always 2.5 s late (timeout 1, max_retries 2)', elapsed)
    assert elapsed < 3 * 1 + 0.5 + 1 + SLACK


# --- A listing that changes while it is read -------------------------------------------------------

CHANGING = [
    # module, page_size, change
    ('pai_dlc_job_info', 5, {'collection': 'pai_dlc_jobs', 'add': 3, 'after_requests': 2}),
    ('pai_dlc_job_info', 5, {'collection': 'pai_dlc_jobs', 'remove': 3, 'after_requests': 2}),
    ('octopus_queued_job_info', 5, {'collection': 'octopus_queued_jobs', 'add': 2, 'after_requests': 2}),
    ('octopus_queued_job_info', 5, {'collection': 'octopus_queued_jobs', 'remove': 2, 'after_requests': 2}),
    ('emr_ray_cluster_info', 10, {'collection': 'emr_ray_clusters', 'add': 3, 'after_requests': 2}),
    ('emr_ray_cluster_info', 10, {'collection': 'emr_ray_clusters', 'remove': 3, 'after_requests': 2}),
]


@pytest.mark.parametrize('concurrency', [1, 8])
@pytest.mark.parametrize('module, page_size, change', CHANGING,
                         ids=['%s-%s' % (case[0], 'add' if 'add' in case[2] else 'remove') for case in CHANGING])
def test_a_listing_that_changes_while_read_has_no_duplicates_and_says_so(emu, module, page_size, change, concurrency):
    before = set(expected_ids(emu, module))
    emu.changes(change)
    result, _elapsed = run(emu, module, page_size=page_size, concurrency=concurrency)
    assert not result.failed and 'Traceback' not in result.output, result.output
    assert emu.control('GET', 'changes')['changes'] == [], 'the change never happened: the test proves nothing'
    after = set(expected_ids(emu, module))
    ids = returned_ids(result, module)
    assert len(ids) == len(set(ids)), 'an item came back twice'
    assert set(ids) <= before | after, 'an item that never existed'
    assert result.result['complete'] is False, 'the listing changed under the module, which claimed it complete'
    assert re.search(r'\[WARNING\]:.*(changed while|more than one page)', result.output), result.output


@pytest.mark.parametrize('module', sorted(MODULES))
def test_an_unchanged_listing_is_whole_and_complete(emu, module):
    page_size = 5 if module in ('pai_dlc_job_info', 'octopus_queued_job_info', 'maxcompute_running_job_info') else 10
    result, _elapsed = run(emu, module, page_size=page_size)
    assert_whole(result, emu, module)
    assert '[WARNING]' not in result.output


# --- Unreachable endpoints -------------------------------------------------------------------------

def closed_port():
    """A loopback port nobody listens on (bound, then released)."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.mark.parametrize('module', ['emr_ray_cluster_info', 'octopus_queued_job_info'])
@pytest.mark.parametrize('target', ['closed port', 'unresolvable host'])
def test_unreachable_endpoint_is_a_fast_clean_error_naming_it(emu, module, target):
    if target == 'closed port':
        port = closed_port()
        endpoint, names = 'http://127.0.0.1:%d' % port, ['127.0.0.1', str(port)]
    else:
        endpoint, names = 'http://nonexistent.invalid', ['nonexistent.invalid']
    result, elapsed = run(emu, module, endpoint=endpoint, max_retries=0)
    assert_clean_failure(result)
    msg = result.result['msg']
    assert 'connection failed' in msg
    for name in names:
        assert name in msg, msg
    assert emu.requests() == []
    measure('%s, %s, max_retries 0' % (module, target), elapsed)
    assert elapsed < SLACK


@pytest.mark.parametrize('target', ['closed port', 'unresolvable host'])
def test_unreachable_endpoint_with_default_retries_is_bounded(emu, target):
    endpoint = 'http://127.0.0.1:%d' % closed_port() if target == 'closed port' else 'http://nonexistent.invalid'
    result, elapsed = run(emu, 'pai_dlc_job_info', endpoint=endpoint)
    assert_clean_failure(result)
    assert 'after 6 attempts' in result.result['msg']
    measure('pai_dlc_job_info, %s, default max_retries 5' % target, elapsed)
    assert elapsed < 16 + SLACK
