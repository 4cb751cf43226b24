# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 11: no job name can hijack the inventory, and a failure is never an empty inventory.

One ``ansible-inventory`` run reads a static inventory (the database server ``prod-db-1``, ssh, 10.9.9.9, in
group ``databases``) and a plugin source whose jobs are named like everything a hostname must never be:
``all``, ``ungrouped``, each default group, a keyed group, the static group and host, ``localhost``, loopback
addresses, and ``{{ 6 * 7 }}``. Also: a corrupt cache, items that are not objects, and the AWX export.
"""

from __future__ import annotations

import glob
import json
import os
import tempfile

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import threading

import pytest

from harness import ALIBABA_ENV, run_command

NOW = 1768464000
WORKSPACE = 'w-demo'
TEMPLATE = '{{ 6 * 7 }}'
# name -> status of the jobs that try to take a name they must not have.
HOSTILE = [
    ('all', 'Running'),
    ('ungrouped', 'Running'),
    ('emr_ray_jobs', 'Running'),                  # the plugin's group
    ('emr_ray_jobs_running', 'Running'),          # a default group of the job itself
    ('emr_ray_jobs_failed', 'Running'),           # a default group of another job
    ('emr_ray_jobs_workspace_w_demo', 'Running'),  # the workspace group
    ('owner_alice', 'Running'),                   # a keyed group (keyed_groups below)
    ('databases', 'Running'),                     # a group of the static inventory
    ('prod-db-1', 'Running'),                     # a host of the static inventory
    ('localhost', 'Running'),
    ('127.0.0.1', 'Running'),
    ('::1', 'Running'),
    ('127.1', 'Running'),
    (TEMPLATE, 'Running'),
    ('plain-job', 'Failed'),
]
SPEC = {'seed': 11, 'now': NOW,
        'emr_ray_jobs': {WORKSPACE: {'count': len(HOSTILE), 'overrides': [
            {'index': index, 'set': {'name': name, 'status': status, 'creatorName': 'alice'}}
            for index, (name, status) in enumerate(HOSTILE)]}}}
STATIC = '[databases]\nprod-db-1 ansible_host=10.9.9.9 ansible_connection=ssh ansible_user=dba\n'
NOT_HOSTS = set(name for name, _status in HOSTILE if name not in (TEMPLATE, 'plain-job'))


@pytest.fixture
def emu(emulator):
    emulator.reset(SPEC)
    return emulator


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, 'w') as handle:
        handle.write(text)
    return path


def plugin_source(workdir, url, extra=()):
    lines = ['plugin: jobscope.cloud.emr_ray_jobs', 'endpoint: %s' % url, 'workspace_ids: [%s]' % WORKSPACE,
             'keyed_groups:', '  - key: jobscope_creator_name', '    prefix: owner'] + list(extra)
    return write(workdir, 'jobs.emr_ray_jobs.yml', '\n'.join(lines) + '\n')


def inventory(sources, *args, **env):
    command = ['ansible-inventory']
    for source in sources:
        command += ['-i', source]
    run_env = dict(ALIBABA_ENV, ANSIBLE_INVENTORY_UNPARSED_FAILED='true')
    run_env.update(env)
    return run_command(command + ['--list'] + list(args), env=run_env)


def document(result):
    return json.loads(result.stdout[result.stdout.index('{'):])


def plugin_hosts(doc):
    return dict((name, hostvars) for name, hostvars in doc['_meta']['hostvars'].items()
                if any(key.startswith('jobscope_') for key in hostvars))


def members(doc, group):
    """The host names of a group (a brace name is written as {"__ansible_unsafe": ...} before 2.19)."""
    return set(plain(name) for name in doc[group]['hosts'])


def plain(value):
    """A value as ansible-inventory --export writes it, unwrapped from {"__ansible_unsafe": ...}."""
    return value['__ansible_unsafe'] if isinstance(value, dict) and '__ansible_unsafe' in value else value


def test_no_job_name_takes_a_group_a_static_host_or_localhost(emu):
    workdir = tempfile.mkdtemp(prefix='jobscope-safety-')
    static = write(workdir, 'static.ini', STATIC)
    result = inventory([static, plugin_source(workdir, emu.url)], '-vvvv')
    assert result.rc == 0, result.output[-3000:]
    assert 'Traceback (most recent call last)' not in result.output
    doc = document(result)
    hostvars = doc['_meta']['hostvars']

    # The static host keeps its connection and gets no variable of the plugin.
    assert hostvars['prod-db-1']['ansible_connection'] == 'ssh'
    assert hostvars['prod-db-1']['ansible_host'] == '10.9.9.9'
    assert not [key for key in hostvars['prod-db-1'] if key.startswith('jobscope_')]
    assert members(doc, 'databases') == set(['prod-db-1'])

    # Every job is a host, none of them under a name it must not have, each renamed one with its ID.
    jobs = emu.items('emr_ray_jobs')
    hosts = plugin_hosts(doc)
    assert len(hosts) == len(jobs) == len(HOSTILE)
    assert not NOT_HOSTS & set(hosts), sorted(NOT_HOSTS & set(hosts))
    for job in jobs:
        if job['name'] in NOT_HOSTS:
            assert hostvars['%s_%s' % (job['name'], job['submissionId'])]['jobscope_name'] == job['name']
    assert 'plain-job' in hosts and TEMPLATE in hosts
    for name, variables in hosts.items():
        assert variables['ansible_connection'] == 'local'
    # Groups stay groups: all, ungrouped and the default and keyed groups hold hosts, not a host of that name.
    assert 'localhost' not in hostvars and '127.0.0.1' not in hostvars
    assert members(doc, 'emr_ray_jobs_running') == set(hosts) - set(['plain-job'])
    assert members(doc, 'emr_ray_jobs_failed') == set(['plain-job'])
    assert members(doc, 'owner_alice') == set(hosts)
    # One warning that counts the renamed hosts.
    assert result.stderr.count('renamed with their item ID') == 1, result.stderr[-3000:]
    assert '%d host(s) renamed' % len(NOT_HOSTS) in result.stderr


def test_a_static_source_read_after_the_plugin_still_keeps_its_host_and_group(emu):
    """-i plugin -i static: the plugin's hosts named prod-db-1 and databases step aside when the static
    source adds them, so the static host is still only the static host."""
    workdir = tempfile.mkdtemp(prefix='jobscope-safety-')
    static = write(workdir, 'static.ini', STATIC)
    result = inventory([plugin_source(workdir, emu.url), static], '-vvvv')
    assert result.rc == 0, result.output[-3000:]
    doc = document(result)
    hostvars = doc['_meta']['hostvars']
    assert hostvars['prod-db-1']['ansible_connection'] == 'ssh'
    assert hostvars['prod-db-1']['ansible_host'] == '10.9.9.9'
    assert not [key for key in hostvars['prod-db-1'] if key.startswith('jobscope_')]
    assert members(doc, 'databases') == set(['prod-db-1'])
    jobs = dict((job['name'], job['submissionId']) for job in emu.items('emr_ray_jobs'))
    hosts = plugin_hosts(doc)
    assert len(hosts) == len(HOSTILE)
    for name in ('prod-db-1', 'databases'):
        renamed = '%s_%s' % (name, jobs[name])
        assert hostvars[renamed]['jobscope_name'] == name and hostvars[renamed]['ansible_connection'] == 'local'
        assert renamed in members(doc, 'emr_ray_jobs_running') and renamed in members(doc, 'owner_alice')
    assert not NOT_HOSTS & set(hosts)


def test_renaming_is_deterministic_and_independent_of_source_order(emu):
    workdir = tempfile.mkdtemp(prefix='jobscope-safety-')
    static = write(workdir, 'static.ini', STATIC)
    source = plugin_source(workdir, emu.url)
    first = plugin_hosts(document(inventory([static, source])))
    again = plugin_hosts(document(inventory([static, source])))
    assert sorted(first) == sorted(again)


def test_a_job_named_like_a_template_stays_literal_in_a_play(emu):
    workdir = tempfile.mkdtemp(prefix='jobscope-safety-')
    static = write(workdir, 'static.ini', STATIC)
    source = plugin_source(workdir, emu.url)
    out = os.path.join(workdir, 'out')
    os.mkdir(out)
    play = write(workdir, 'play.yml', json.dumps([{
        'hosts': 'emr_ray_jobs', 'gather_facts': False,
        'tasks': [{'ansible.builtin.copy': {
            'content': '{{ inventory_hostname }}|{{ jobscope_name }}|{{ ansible_connection }}',
            'dest': '%s/{{ jobscope_submission_id }}.txt' % out}}]}]))
    result = run_command(['ansible-playbook', '-i', static, '-i', source, play],
                         env=dict(ALIBABA_ENV, ANSIBLE_INVENTORY_UNPARSED_FAILED='true'))
    assert result.rc == 0, result.output[-3000:]
    texts = []
    for path in glob.glob(os.path.join(out, '*.txt')):
        with open(path) as handle:
            texts.append(handle.read())
    assert len(texts) == len(HOSTILE)
    assert '%s|%s|local' % (TEMPLATE, TEMPLATE) in texts
    assert not [text for text in texts if '42' in text.split('|')[1]]


def test_export_writes_strings_that_cannot_be_templates_as_plain_strings(emu):
    """What AWX runs: jobscope_status and ansible_connection are plain strings, a brace string stays unsafe."""
    workdir = tempfile.mkdtemp(prefix='jobscope-safety-')
    result = inventory([plugin_source(workdir, emu.url, ['compose:', '  state_copy: jobscope_status',
                                                         '  name_copy: jobscope_name'])], '--export')
    assert result.rc == 0, result.output[-3000:]
    hostvars = document(result)['_meta']['hostvars']
    for name, variables in plugin_hosts(document(result)).items():
        assert isinstance(variables['jobscope_status'], str), variables['jobscope_status']
        assert isinstance(variables['ansible_connection'], str)
        assert isinstance(variables['jobscope_submission_id'], str)
        assert variables['state_copy'] == variables['jobscope_status']  # composed from remote data, still plain
    template_host = hostvars[TEMPLATE]
    assert plain(template_host['jobscope_name']) == TEMPLATE
    assert plain(template_host['name_copy']) == TEMPLATE
    import ansible.release
    if tuple(int(part) for part in ansible.release.__version__.split('.')[:2]) >= (2, 19):
        # Data tagging: the brace string is written as unsafe, so AWX imports it as text, never a template.
        assert template_host['jobscope_name'] == {'__ansible_unsafe': TEMPLATE}
        assert template_host['name_copy'] == {'__ansible_unsafe': TEMPLATE}


# --- Failures are loud -------------------------------------------------------------------------------

def cached_run(emu, workdir, extra=()):
    source = plugin_source(workdir, emu.url, ['cache: true', 'cache_plugin: ansible.builtin.jsonfile',
                                              'cache_connection: %s' % os.path.join(workdir, 'cache'),
                                              'cache_timeout: 3600'] + list(extra))
    return inventory([source])


@pytest.mark.parametrize('damage', ['garbage', 'truncated', 'not-our-format', 'items-not-objects'])
def test_an_unreadable_cache_entry_is_dropped_and_read_again(emu, damage):
    workdir = tempfile.mkdtemp(prefix='jobscope-safety-')
    first = cached_run(emu, workdir)
    assert first.rc == 0, first.output[-3000:]
    files = glob.glob(os.path.join(workdir, 'cache', '*'))
    assert len(files) == 1
    with open(files[0]) as handle:
        text = handle.read()
    entry = json.loads(text)
    wrapped = '__payload__' in entry  # ansible-core 2.19+ writes {"__payload__": "<the JSON>"}
    if wrapped:
        entry = json.loads(entry['__payload__'])

    def encode(value):
        return json.dumps({'__payload__': json.dumps(value)} if wrapped else value)

    damaged = {
        'garbage': '\x00\x01 not json {',
        'truncated': text[:len(text) // 2],
        'not-our-format': encode({'hello': 'world'}),
        'items-not-objects': encode(dict(entry, listings=[dict(entry['listings'][0], items=['x', 1])])),
    }[damage]
    with open(files[0], 'w') as handle:
        handle.write(damaged)
    emu.clear_requests()
    second = cached_run(emu, workdir)
    assert second.rc == 0, second.output[-3000:]
    assert len(plugin_hosts(document(second))) == len(HOSTILE), 'never an empty inventory'
    assert 'cache entry' in second.stderr and 'read again' in second.stderr, second.stderr[-2000:]
    assert emu.requests(), 'the listing was read again'
    # ... and the cache holds a good entry again.
    third = cached_run(emu, workdir)
    assert third.rc == 0 and 'cache entry' not in third.stderr


class _Fixed(BaseHTTPRequestHandler):
    body = b''

    def do_GET(self):  # noqa: N802 - the http.server API
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize('items', [['LEAKstring', 5], [{'submissionId': 's-1', 'name': 'ok'}, None],
                                   [[{'submissionId': 's-1'}]]], ids=['scalars', 'null', 'nested-list'])
def test_items_that_are_not_objects_fail_the_source_clearly(items):
    body = json.dumps({'requestId': 'r-1', 'totalCount': len(items), 'rayJobs': items}).encode()
    server = ThreadingHTTPServer(('127.0.0.1', 0), type('Handler', (_Fixed,), {'body': body}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        workdir = tempfile.mkdtemp(prefix='jobscope-safety-')
        result = inventory([plugin_source(workdir, 'http://127.0.0.1:%d' % server.server_address[1], ['max_retries: 0'])])
    finally:
        server.shutdown()
        server.server_close()
    assert result.rc != 0, result.output[-3000:]
    assert 'not an object' in ' '.join(result.output.split()), result.output[-3000:]  # 2.16 wraps warnings
    assert 'LEAK' not in result.output
    assert 'Traceback (most recent call last)' not in result.output


def test_an_info_module_fails_the_same_way_on_items_that_are_not_objects():
    from harness import run_adhoc

    body = json.dumps({'requestId': 'r-1', 'totalCount': 2, 'rayJobs': [{'submissionId': 's-1'}, 'LEAKstring']})
    server = ThreadingHTTPServer(('127.0.0.1', 0), type('Handler', (_Fixed,), {'body': body.encode()}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = 'http://127.0.0.1:%d' % server.server_address[1]
        result = run_adhoc('emr_ray_job_info', {'endpoint': url, 'workspace_id': WORKSPACE, 'max_retries': 0},
                           env=ALIBABA_ENV, verbosity=4)
    finally:
        server.shutdown()
        server.server_close()
    assert result.failed
    assert 'not an object' in result.result.get('msg', ''), result.output[-2000:]
    assert 'LEAK' not in result.output
