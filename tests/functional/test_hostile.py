# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 10: a listing is the truth or a loud failure, in bounded time, against broken and hostile servers.

Each test starts a small purpose-built server on loopback (not the emulator: these servers misbehave in
ways no cloud should), runs a module through `ansible` in a wrapper process that reports the peak RSS of
its descendants (the ansible controller and the module), and asserts the exact outcome: whole and
complete, or complete: false with a warning, or a clean failure naming what went wrong - in bounded time
and memory. Run with ``-s`` to see the measurements (docs/reliability.md quotes them).
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from harness import ALIBABA_ENV, HUAWEI_ENV, ansible_env, _bin, _minimal_result, Result

MIB = 1024 * 1024
# Peak RSS allowed for the process tree of one run: "twice the body cap plus 200 MB" for the module. The
# controller is measured too (the max over both); it stays well below this.
DEFAULT_CAP = 64 * MIB
SLACK = 30.0  # start-up of `ansible` on a loaded two-core machine

WRAPPER = r'''
import json, resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(proc.stdout)
sys.stderr.write(proc.stderr)
sys.stderr.write('\nPEAK_RSS_KB=%d\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(proc.returncode)
'''


def run_module(module, args, env=None, home=None, timeout=300):
    """One ad hoc run; returns (Result, elapsed seconds, peak RSS in bytes of the run's process tree)."""
    command = [_bin('ansible'), 'localhost', '-c', 'local', '-i', 'localhost,', '-m', 'jobscope.cloud.' + module,
               '-a', json.dumps(args)]
    extra = {'ANSIBLE_LOAD_CALLBACK_PLUGINS': '1', 'ANSIBLE_STDOUT_CALLBACK': 'ansible.builtin.minimal'}
    extra.update(ALIBABA_ENV)
    extra.update(env or {})
    started = time.monotonic()
    proc = subprocess.run([sys.executable, '-c', WRAPPER] + command, capture_output=True, text=True,
                          env=ansible_env(extra, home=home), timeout=timeout, check=False)
    elapsed = time.monotonic() - started
    peak = int(proc.stderr.rsplit('PEAK_RSS_KB=', 1)[1].split()[0]) * 1024
    return Result(proc.returncode, proc.stdout, proc.stderr, _minimal_result(proc.stdout)), elapsed, peak


def measure(label, elapsed, peak):
    print('\nMEASURED %s: %.1f s, peak RSS %d MB' % (label, elapsed, peak // MIB))


# ---------------------------------------------------------------------------------------------
# The server: each test installs a handler function (request -> behaviour) on one shared server.

class Hostile(object):
    def __init__(self):
        self.behave = None
        self.log = []
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def do_GET(self):  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                query = dict((key, values[0]) for key, values in parse_qs(parts.query).items())
                with owner.lock:
                    owner.log.append({'path': parts.path, 'query': query, 'headers': dict(self.headers),
                                      'time': time.monotonic()})
                try:
                    owner.behave(self, parts.path, query)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    pass  # the client gave up, as it should

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope='module')
def hostile():
    server = Hostile()
    yield server
    server.close()


@pytest.fixture
def server(hostile):
    hostile.log = []
    hostile.behave = None
    return hostile


def send_json(handler, body, status=200, headers=None):
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header('Content-Type', 'application/json')
    handler.send_header('Content-Length', str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)


def dlc_items(count):
    return [{'JobId': 'dlc-%04d' % number, 'DisplayName': 'job %d' % number, 'Status': 'Running'}
            for number in range(count)]


def dlc_page(query, items, total):
    number, size = int(query.get('PageNumber', 1)), int(query.get('PageSize', 100))
    body = {'RequestId': 'req-%d' % number, 'Jobs': items[(number - 1) * size:number * size]}
    if total is not None:
        body['TotalCount'] = total
    return body


def dlc(server, **args):
    return dict({'endpoint': server.url, 'max_retries': 1}, **args)


def assert_clean_failure(result):
    assert result.failed, result.output
    assert 'Traceback' not in result.output, result.output
    assert result.result.get('msg'), result.output
    return result.result['msg']


def assert_never_complete_and_short(result, key, held):
    """The promise that matters most: never complete: true with fewer items than the server holds."""
    if not result.failed and result.result.get('complete') is True:
        assert len(result.result[key]) >= held, 'complete: true with %d of %d items' % (len(result.result[key]), held)


# ---------------------------------------------------------------------------------------------
# Time: a dripping, a stalled and an endless answer

def drip_body(handler, path, query):
    handler.send_response(200)
    handler.send_header('Content-Type', 'application/json')
    handler.end_headers()
    handler.wfile.write(b'{"Jobs": [')
    handler.wfile.flush()
    while True:  # one byte every half second, for ever: every socket read returns in time
        time.sleep(0.5)
        handler.wfile.write(b' ')
        handler.wfile.flush()


def drip_headers(handler, path, query):
    handler.wfile.write(b'HTTP/1.1 200 OK\r\n')
    handler.wfile.flush()
    number = 0
    while True:
        for byte in b'X-Drip-%d: x\r\n' % number:
            time.sleep(0.25)
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
        number += 1


@pytest.mark.parametrize('behave', [drip_body, drip_headers], ids=['body', 'headers'])
def test_a_dripping_server_fails_within_the_deadline(server, behave):
    server.behave = behave
    result, elapsed, peak = run_module('pai_dlc_job_info', dlc(server, deadline=6, timeout=30))
    msg = assert_clean_failure(result)
    assert 'deadline of 6 s reached after 0 page(s) read' in msg, msg
    assert 'no complete response within 6 s' in msg, msg
    measure('drip (%s), deadline 6 s' % behave.__name__, elapsed, peak)
    assert elapsed < 6 + 5 + SLACK
    assert peak < 2 * DEFAULT_CAP + 200 * MIB


def test_a_stalled_body_times_out_per_attempt_and_fails_naming_it(server):
    def stalled(handler, path, query):
        handler.send_response(200)
        handler.send_header('Content-Type', 'application/json')
        handler.send_header('Content-Length', '1000')
        handler.end_headers()
        handler.wfile.write(b'{"Jobs": [')
        handler.wfile.flush()
        time.sleep(30)

    server.behave = stalled
    result, elapsed, peak = run_module('pai_dlc_job_info', dlc(server, timeout=2, max_retries=1))
    msg = assert_clean_failure(result)
    assert 'no complete response within 2 s (connect, headers and body)' in msg and 'after 2 attempts' in msg, msg
    assert len(server.log) == 2
    measure('stalled body, timeout 2 s, 2 attempts', elapsed, peak)
    assert elapsed < 2 * 2 + 1 + SLACK


# ---------------------------------------------------------------------------------------------
# Memory: endless, huge and inflating bodies

def test_an_endless_chunked_body_is_cut_at_the_cap(server):
    def endless(handler, path, query):
        handler.send_response(200)
        handler.send_header('Content-Type', 'application/json')
        handler.send_header('Transfer-Encoding', 'chunked')
        handler.end_headers()
        chunk = b' ' * 65536
        frame = b'%x\r\n%s\r\n' % (len(chunk), chunk)
        handler.wfile.write(b'a\r\n{"Jobs": [\r\n')
        while True:
            handler.wfile.write(frame)

    server.behave = endless
    result, elapsed, peak = run_module('pai_dlc_job_info', dlc(server, max_body_size=4 * MIB))
    msg = assert_clean_failure(result)
    assert 'response too large: more than %d bytes (raw body)' % (4 * MIB) in msg, msg
    assert len(server.log) == 1  # not retried: the same answer would come again
    measure('endless chunked body, cap 4 MiB', elapsed, peak)
    assert elapsed < SLACK
    assert peak < 2 * 4 * MIB + 200 * MIB


def test_a_200_mb_body_fails_before_it_is_buffered(server):
    def huge(handler, path, query):
        handler.send_response(200)
        handler.send_header('Content-Type', 'application/json')
        handler.end_headers()  # no Content-Length: the size shows only while reading
        handler.wfile.write(b'{"Jobs": [], "Pad": "')
        block = b'x' * MIB
        for _dummy in range(200):
            handler.wfile.write(block)
        handler.wfile.write(b'"}')
        handler.close_connection = True

    server.behave = huge
    result, elapsed, peak = run_module('pai_dlc_job_info', dlc(server))
    msg = assert_clean_failure(result)
    assert 'response too large: more than %d bytes' % DEFAULT_CAP in msg, msg
    measure('200 MB body, default cap 64 MiB', elapsed, peak)
    assert peak < 2 * DEFAULT_CAP + 200 * MIB


@pytest.mark.parametrize('encoding', ['gzip', 'deflate'])
def test_a_compression_bomb_is_cut_at_the_decoded_cap(server, encoding):
    inflated = b'{"Jobs": [], "Pad": "' + b'0' * (1024 * MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31 if encoding == 'gzip' else 15)
    bomb = compressor.compress(inflated) + compressor.flush()
    del inflated

    def bombed(handler, path, query):
        handler.send_response(200)
        handler.send_header('Content-Type', 'application/json')
        handler.send_header('Content-Encoding', encoding)
        handler.send_header('Content-Length', str(len(bomb)))
        handler.end_headers()
        handler.wfile.write(bomb)

    server.behave = bombed
    result, elapsed, peak = run_module('pai_dlc_job_info', dlc(server))
    msg = assert_clean_failure(result)
    assert 'response too large: more than %d bytes (decoded body (%s))' % (DEFAULT_CAP, encoding) in msg, msg
    measure('%s bomb, %d KB inflating to 1 GiB' % (encoding, len(bomb) // 1024), elapsed, peak)
    assert peak < 2 * DEFAULT_CAP + 200 * MIB


def test_an_unsupported_content_encoding_is_refused(server):
    def brotli(handler, path, query):
        handler.send_response(200)
        handler.send_header('Content-Encoding', 'br')
        handler.send_header('Content-Length', '4')
        handler.end_headers()
        handler.wfile.write(b'\x00\x01\x02\x03')

    server.behave = brotli
    result, _elapsed, _peak = run_module('pai_dlc_job_info', dlc(server))
    msg = assert_clean_failure(result)
    assert "unsupported Content-Encoding 'br'" in msg, msg


def test_a_gzip_page_within_the_cap_is_read(server):
    items = dlc_items(30)

    def gzipped(handler, path, query):
        data = gzip.compress(json.dumps(dlc_page(query, items, 30)).encode())
        handler.send_response(200)
        handler.send_header('Content-Type', 'application/json')
        handler.send_header('Content-Encoding', 'gzip')
        handler.send_header('Content-Length', str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    server.behave = gzipped
    result, _elapsed, _peak = run_module('pai_dlc_job_info', dlc(server, page_size=10))
    assert not result.failed, result.output
    assert [job['job_id'] for job in result.result['jobs']] == [item['JobId'] for item in items]
    assert result.result['complete'] is True


# ---------------------------------------------------------------------------------------------
# Truth: pages without their list, bogus totals, an empty page in the middle, errors inside 200s

@pytest.mark.parametrize('body', [{}, {'status': 'ok'}, {'requestId': 'r'}, {'Jobs': None}, {'Jobs': {'a': 1}},
                                  {'Jobs': [1, 2]}, [], 'ok'])
def test_a_200_without_the_item_list_is_a_failure_never_an_empty_listing(server, body):
    server.behave = lambda handler, path, query: send_json(handler, body)
    result, _elapsed, _peak = run_module('pai_dlc_job_info', dlc(server))
    msg = assert_clean_failure(result)
    assert 'malformed response body' in msg and 'bytes of application/json' in msg and 'after 2 attempts' in msg
    assert json.dumps(body) not in msg or json.dumps(body) in ('[]',)  # described, never quoted
    assert len(server.log) == 2


# module -> (its required options besides the endpoint, the environment with its credentials)
EVERY_MODULE = {
    'emr_ray_cluster_info': ({'workspace_id': 'w-1'}, None),
    'emr_ray_job_info': ({'workspace_id': 'w-1'}, None),
    'pai_dlc_job_info': ({}, None),
    'maxcompute_running_job_info': ({'from_time': 1768460000, 'to_time': 1768464000}, None),
    'octopus_queued_job_info': ({'queue_type': 'USER'}, HUAWEI_ENV),
    'ray_job_info': ({}, None),
}


@pytest.mark.parametrize('module', sorted(EVERY_MODULE))
@pytest.mark.parametrize('body', [{'requestId': 'r'}, {'status': 'ok', 'data': {}, 'payload': {}}])
def test_every_module_fails_on_a_200_without_its_item_list(server, module, body):
    required, env = EVERY_MODULE[module]
    args = dict(required, max_retries=0)
    args['address' if module == 'ray_job_info' else 'endpoint'] = server.url
    server.behave = lambda handler, path, query: send_json(handler, body)
    result, _elapsed, _peak = run_module(module, args, env=env)
    msg = assert_clean_failure(result)
    assert 'malformed response body' in msg, msg
    assert len(server.log) == 1


@pytest.mark.parametrize('total', [-1, 0, 50, True, '250', 2.5, None])
def test_a_bogus_total_is_read_past_and_reported(server, total):
    items = dlc_items(250)

    def bogus(handler, path, query):
        send_json(handler, dict(dlc_page(query, items, None), TotalCount=total))

    server.behave = bogus
    result, _elapsed, _peak = run_module('pai_dlc_job_info', dlc(server, page_size=100))
    assert not result.failed, result.output
    assert sorted(job['job_id'] for job in result.result['jobs']) == sorted(item['JobId'] for item in items)
    assert result.result['complete'] is False
    assert '[WARNING]' in result.output and 'total' in result.output


def test_a_total_smaller_than_the_pages_is_read_past(server):
    items = dlc_items(250)
    server.behave = lambda handler, path, query: send_json(handler, dlc_page(query, items, 120))
    result, _elapsed, _peak = run_module('pai_dlc_job_info', dlc(server, page_size=50))
    assert not result.failed, result.output
    assert len(result.result['jobs']) == 250 and result.result['complete'] is False


def test_a_huge_total_with_fresh_items_on_every_page_ends_at_the_deadline(server):
    def endless(handler, path, query):
        number, size = int(query['PageNumber']), int(query['PageSize'])
        fresh = [{'JobId': 'p%d-%d' % (number, index)} for index in range(size)]
        send_json(handler, {'TotalCount': 10 ** 12, 'Jobs': fresh})

    server.behave = endless
    result, elapsed, peak = run_module('pai_dlc_job_info', dlc(server, deadline=5, page_size=10))
    msg = assert_clean_failure(result)
    assert 'deadline of 5 s reached after' in msg and 'page(s) read' in msg, msg
    measure('total 10**12 with fresh pages, deadline 5 s: %d requests' % len(server.log), elapsed, peak)
    assert elapsed < 5 + 5 + SLACK


def ray_clusters(count):
    return [{'clusterId': 'rc-%04d' % number, 'clusterName': 'c%d' % number, 'state': 'RUNNING'}
            for number in range(count)]


@pytest.mark.parametrize('broken', ['empty', 'missing'])
def test_an_empty_page_in_the_middle_of_a_listing_without_a_total_is_never_complete(server, broken):
    items = ray_clusters(1000)

    def pages(handler, path, query):
        number, size = int(query['pageNum']), int(query['pageSize'])
        page = items[(number - 1) * size:number * size]
        if number == 4:
            send_json(handler, {'requestId': 'r', 'rayClusters': []} if broken == 'empty' else {'requestId': 'r'})
            return
        send_json(handler, {'requestId': 'r', 'rayClusters': page})

    server.behave = pages
    result, _elapsed, _peak = run_module('emr_ray_cluster_info', dlc(server, workspace_id='w-1', page_size=100))
    assert_never_complete_and_short(result, 'clusters', 1000)
    if broken == 'missing':
        msg = assert_clean_failure(result)
        assert 'malformed response body' in msg and 'no item list at rayClusters' in msg
    else:
        assert not result.failed, result.output
        assert result.result['complete'] is False
        assert len(result.result['clusters']) == 900
        assert 'inconsistent' in result.output


@pytest.mark.parametrize('envelope, status, retried', [
    ({'httpCode': 500, 'errorCode': '', 'errorMsg': ''}, 500, True),
    ({'httpCode': 403, 'errorCode': '', 'errorMsg': 'no permission'}, 403, False),
    ({'httpCode': 200, 'errorCode': 'InvalidParameter', 'errorMsg': 'bad window'}, None, False),
    ({'httpCode': 403, 'errorCode': 'NoPermission', 'errorMsg': 'denied', 'data': None}, 403, False),
])
def test_maxcompute_errors_inside_200s_are_errors(server, envelope, status, retried):
    server.behave = lambda handler, path, query: send_json(handler, dict(envelope, requestId='mc-req-1'))
    args = dlc(server, from_time=1768460000, to_time=1768464000)
    result, _elapsed, _peak = run_module('maxcompute_running_job_info', args)
    msg = assert_clean_failure(result)
    assert 'mc-req-1' in msg, msg
    if status:
        assert result.result['http_status'] == status
    if envelope['errorCode']:
        assert result.result['error_code'] == envelope['errorCode']
    assert len(server.log) == (2 if retried else 1)


def test_an_empty_maxcompute_window_is_refused_before_any_request(server):
    result, _elapsed, _peak = run_module('maxcompute_running_job_info',
                                         dlc(server, from_time=1768464000, to_time=1768464000))
    msg = assert_clean_failure(result)
    assert result.result.get('option') == 'from_time' and 'to_time' in msg
    assert server.log == []


# ---------------------------------------------------------------------------------------------
# Redirects, transient 500s, ambient credentials and bad inputs

def test_a_redirect_to_another_port_is_a_permanent_error_naming_the_host_only(server):
    def redirect(handler, path, query):
        handler.send_response(302)
        handler.send_header('Location', 'http://127.0.0.1:1/steal?token=SECRET-TOKEN-42')
        handler.send_header('Content-Length', '0')
        handler.end_headers()

    server.behave = redirect
    result, _elapsed, _peak = run_module('pai_dlc_job_info', dlc(server, max_retries=3))
    msg = assert_clean_failure(result)
    assert 'HTTP 302' in msg and 'redirected to 127.0.0.1:1' in msg, msg
    assert 'SECRET-TOKEN-42' not in result.output and '/steal' not in result.output
    assert len(server.log) == 1


def test_a_redirect_with_an_endless_body_is_not_read(server):
    def redirect(handler, path, query):
        handler.send_response(302)
        handler.send_header('Location', 'http://127.0.0.1:1/x')
        handler.send_header('Transfer-Encoding', 'chunked')
        handler.end_headers()
        frame = b'%x\r\n%s\r\n' % (65536, b'x' * 65536)
        while True:
            handler.wfile.write(frame)

    server.behave = redirect
    result, elapsed, peak = run_module('pai_dlc_job_info', dlc(server))
    msg = assert_clean_failure(result)
    assert 'redirected to 127.0.0.1:1' in msg, msg
    measure('302 with an endless body', elapsed, peak)
    assert elapsed < SLACK
    assert peak < 2 * DEFAULT_CAP + 200 * MIB


def test_one_transient_500_is_retried_and_the_listing_is_whole(server):
    items = dlc_items(120)
    failed = []

    def flaky(handler, path, query):
        if query.get('PageNumber') == '2' and not failed:
            failed.append(1)
            send_json(handler, {'Code': 'InternalError', 'Message': 'oops', 'RequestId': 'r-500'}, status=500)
            return
        send_json(handler, dlc_page(query, items, 120))

    server.behave = flaky
    result, _elapsed, _peak = run_module('pai_dlc_job_info', dlc(server, page_size=50))
    assert not result.failed, result.output
    assert [job['job_id'] for job in result.result['jobs']] == [item['JobId'] for item in items]
    assert result.result['complete'] is True and failed


def test_a_netrc_entry_for_the_api_host_changes_nothing(server):
    home = tempfile.mkdtemp(prefix='jobscope-netrc-')
    netrc = os.path.join(home, '.netrc')
    with open(netrc, 'w') as handle:
        handle.write('machine 127.0.0.1 login netrc-user password NETRC-PASSWORD-7\n')
    os.chmod(netrc, 0o600)
    items = dlc_items(30)
    server.behave = lambda handler, path, query: send_json(handler, dlc_page(query, items, 30))
    result, _elapsed, _peak = run_module('pai_dlc_job_info', dlc(server, page_size=10), home=home)
    assert not result.failed, result.output
    assert len(result.result['jobs']) == 30 and result.result['complete'] is True
    for entry in server.log:
        authorization = entry['headers'].get('Authorization', '')
        assert authorization.startswith('ACS3-HMAC-SHA256 '), authorization
        assert 'Basic' not in authorization


def test_a_missing_ca_bundle_is_a_clean_error_naming_the_variable(server):
    result, _elapsed, _peak = run_module('pai_dlc_job_info', {'endpoint': 'https://127.0.0.1:1', 'max_retries': 0},
                                         env={'REQUESTS_CA_BUNDLE': '/nonexistent/ca.pem'})
    msg = assert_clean_failure(result)
    assert 'REQUESTS_CA_BUNDLE' in msg and '/nonexistent/ca.pem' in msg, msg


def test_a_page_nested_too_deep_is_malformed_not_a_crash(server):
    nested = {'JobId': 'deep'}
    node = nested
    for _dummy in range(500):
        node['Child'] = {}
        node = node['Child']
    server.behave = lambda handler, path, query: send_json(handler, {'TotalCount': 1, 'Jobs': [nested]})
    result, _elapsed, _peak = run_module('pai_dlc_job_info', dlc(server))
    msg = assert_clean_failure(result)
    assert 'nested more than 64 levels deep' in msg, msg


@pytest.mark.parametrize('args, option', [
    ({'wait': {'until': 'jobs', 'sleep': 'nan'}}, 'wait.sleep'),
    ({'wait': {'until': 'jobs', 'sleep': 'inf'}}, 'wait.sleep'),
    ({'deadline': 'nan'}, 'deadline'),
    ({'deadline': 'inf'}, 'deadline'),
    ({'deadline': 0}, 'deadline'),
])
def test_nan_and_infinity_are_refused_naming_the_option(server, args, option):
    result, _elapsed, _peak = run_module('pai_dlc_job_info', dict(dlc(server), **args))
    msg = assert_clean_failure(result)
    assert option in msg, msg
    assert server.log == []


@pytest.mark.parametrize('value', ['..', '.', ''])
def test_dot_path_parameters_are_refused_naming_the_option(server, value):
    result, _elapsed, _peak = run_module('emr_ray_cluster_info', dlc(server, workspace_id=value))
    msg = assert_clean_failure(result)
    assert 'workspace_id' in msg, msg
    assert server.log == []


def test_a_closed_connection_mid_header_is_retried_then_fails_cleanly(server):
    def hangup(handler, path, query):
        handler.wfile.write(b'HTTP/1.1 200 OK\r\nContent-Le')
        handler.wfile.flush()
        handler.connection.shutdown(socket.SHUT_RDWR)

    server.behave = hangup
    result, _elapsed, _peak = run_module('pai_dlc_job_info', dlc(server))
    assert_clean_failure(result)
    assert len(server.log) == 2


# ---------------------------------------------------------------------------------------------
# Inventory plugins: the same listing path, bounded by `deadline` (or JOBSCOPE_CLOUD_DEADLINE)

def run_inventory(server, config, env=None):
    workdir = tempfile.mkdtemp(prefix='jobscope-hostile-inv-')
    path = os.path.join(workdir, 'hostile.pai_dlc_jobs.yml')
    with open(path, 'w') as handle:
        json.dump(dict({'plugin': 'jobscope.cloud.pai_dlc_jobs', 'endpoint': server.url, 'max_retries': 1},
                       **config), handle)
    extra = dict(ALIBABA_ENV, ANSIBLE_INVENTORY_UNPARSED_FAILED='true', ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='true')
    extra.update(env or {})
    started = time.monotonic()
    proc = subprocess.run([_bin('ansible-inventory'), '-i', path, '--list'], capture_output=True, text=True,
                          env=ansible_env(extra), timeout=300, check=False)
    return proc, time.monotonic() - started


def test_an_inventory_source_against_a_dripping_server_fails_within_its_deadline_from_the_environment(server):
    server.behave = drip_body
    proc, elapsed = run_inventory(server, {}, env={'JOBSCOPE_CLOUD_DEADLINE': '5'})
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert 'deadline of 5 s reached after 0 page(s) read' in output, output
    assert 'Traceback' not in output
    measure('inventory source, drip, JOBSCOPE_CLOUD_DEADLINE=5', elapsed, 0)
    assert elapsed < 5 + 5 + SLACK


@pytest.mark.parametrize('body', [{}, {'Jobs': [1]}])
def test_an_inventory_source_without_the_item_list_fails_adding_no_host(server, body):
    server.behave = lambda handler, path, query: send_json(handler, body)
    proc, _elapsed = run_inventory(server, {})
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert 'malformed response body' in output and 'Traceback' not in output


def test_an_inventory_source_with_a_bogus_total_warns_and_keeps_every_host(server):
    items = dlc_items(120)
    server.behave = lambda handler, path, query: send_json(handler, dict(dlc_page(query, items, None), TotalCount=-1))
    proc, _elapsed = run_inventory(server, {'page_size': 50})
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    hosts = json.loads(proc.stdout)['_meta']['hostvars']
    assert len(hosts) == 120
    assert '[WARNING]' in proc.stderr and 'total' in proc.stderr
