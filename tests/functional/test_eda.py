# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real ansible-rulebook runs the event source jobscope.cloud.job_state_changes against the emulator,
with the collection installed from the tarball that ansible-galaxy builds (the source runs as the standalone
script ansible-rulebook makes of it, importing the shared code of the installed collection).

- the two example rulebooks of extensions/eda/rulebooks fire once each, within interval + 5 s of the change;
- a restart with emit_initial false is quiet for items that did not change;
- a listing the emulator makes incomplete reports no disappearance;
- a wrong secret ends the rulebook with the vendor's code and request id, and the secret is nowhere in -vv.
"""

from __future__ import annotations

import datetime
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from harness import ROOT, Emulator

INTERVAL = 1
BIN = os.path.dirname(sys.executable)
SECRET = 'emuAccessKeySecret'
WRONG_SECRET = 'wrong-Secret-for-EDA-0123456789'

DATASET = {
    'seed': 13,
    'emr_ray_clusters': {'w-demo': {'count': 6, 'mix': {'state': {'Starting': 2, 'Running': 2, 'Stopped': 2}}}},
    'pai_dlc_jobs': {'count': 8, 'mix': {'Status': {'Running': 4, 'Succeeded': 2, 'Failed': 2}}},
}

# A playbook that records the event it got, one file per event (meta.uuid is unique per event).
RECORDER = '''---
- name: Record the event
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Write the event to a file
      ansible.builtin.copy:
        content: "{{{{ ansible_eda.event | to_json }}}}"
        dest: "{records}/{prefix}-{{{{ ansible_eda.event.meta.uuid }}}}.json"
        mode: "0600"
'''

# A rulebook that records every event of one source, for the restart and incomplete-listing cases.
RECORD_ALL = '''---
- name: Record every event
  hosts: all
  sources:
    - name: watched
      jobscope.cloud.job_state_changes:
        source: emr_ray_cluster
        workspace_id: w-demo
        endpoint: "{{{{ jobscope_endpoint }}}}"
        access_key_id: "{{{{ alibaba_access_key_id }}}}"
        access_key_secret: "{{{{ alibaba_access_key_secret }}}}"
        interval: "{{{{ jobscope_interval }}}}"
        emit_initial: {emit_initial}
        page_size: {page_size}
  rules:
    - name: Record it
      condition: event.jobscope is defined
      action:
        run_playbook:
          name: record_all.yml
'''


def _java_or_fail():
    if not shutil.which('java'):
        pytest.fail('ansible-rulebook needs Java 17 and `java` is not on PATH: install it '
                    '(Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless), or set JAVA_HOME')
    rulebook = os.path.join(BIN, 'ansible-rulebook')
    if not os.path.exists(rulebook):
        pytest.fail('ansible-rulebook is not installed in %s: run `make venv` (test-requirements.txt)' % BIN)
    return rulebook


@pytest.fixture(scope='module')
def installed():
    """The collection as users get it: ansible-galaxy build, then install into a fresh collections path."""
    _java_or_fail()
    base = tempfile.mkdtemp(prefix='jobscope-eda-')
    build = os.path.join(base, 'build')
    collections = os.path.join(base, 'collections')
    galaxy = os.path.join(BIN, 'ansible-galaxy')
    env = dict((key, value) for key, value in os.environ.items() if not key.startswith('ANSIBLE_'))
    env['HOME'] = base
    for command in ([galaxy, 'collection', 'build', '--force', '--output-path', build, ROOT],
                    [galaxy, 'collection', 'install', '--offline', '--force', '-p', collections]):
        if command[2] == 'install':
            command += glob.glob(os.path.join(build, 'jobscope-cloud-*.tar.gz'))
        proc = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, check=False)
        assert proc.returncode == 0, '%s failed:\n%s%s' % (' '.join(command), proc.stdout, proc.stderr)
    source = os.path.join(collections, 'ansible_collections', 'jobscope', 'cloud', 'extensions', 'eda', 'plugins',
                          'event_source', 'job_state_changes.py')
    assert os.path.isfile(source), 'the built tarball lacks the event source'
    yield collections
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope='module')
def emu():
    server = Emulator(DATASET).start()
    yield server
    server.stop()


@pytest.fixture
def emulator(emu):
    emu.reset(DATASET)
    return emu


class Rulebook(object):
    """One ansible-rulebook process in its own working directory, with recording playbooks."""

    def __init__(self, collections, emulator, rulebook, secret=SECRET, verbosity='-v', files=None):
        self.dir = tempfile.mkdtemp(prefix='jobscope-rulebook-')
        self.records = os.path.join(self.dir, 'records')
        os.makedirs(self.records)
        for name, prefix in (('deploy_ray_app.yml', 'deploy'), ('notify_dlc_failure.yml', 'notify'),
                             ('record_all.yml', 'all')):
            self.write(name, RECORDER.format(records=self.records, prefix=prefix))
        for name, text in (files or {}).items():
            self.write(name, text)
        self.write('inventory.yml', json.dumps({'all': {'hosts': {'localhost': {
            'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}))
        self.write('vars.yml', json.dumps({
            'workspace_id': 'w-demo', 'jobscope_endpoint': emulator.url, 'jobscope_interval': INTERVAL,
            'alibaba_access_key_id': 'emuAccessKeyId', 'alibaba_access_key_secret': secret}))
        env = dict((key, value) for key, value in os.environ.items()
                   if not key.startswith(('ALIBABA_CLOUD_', 'HUAWEICLOUD_', 'ANSIBLE_')))
        env.update({'PATH': BIN + os.pathsep + env.get('PATH', ''), 'ANSIBLE_COLLECTIONS_PATH': collections,
                    'HOME': self.dir, 'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_LOCAL_TEMP': os.path.join(self.dir, 'tmp')})
        self.log = open(os.path.join(self.dir, 'output.txt'), 'w+')
        self.process = subprocess.Popen(
            [os.path.join(BIN, 'ansible-rulebook'), '-r', rulebook, '-i', 'inventory.yml', '--vars', 'vars.yml',
             verbosity], cwd=self.dir, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def write(self, name, text):
        with open(os.path.join(self.dir, name), 'w') as handle:
            handle.write(text)

    def events(self, prefix=None):
        found = []
        for path in glob.glob(os.path.join(self.records, '%s-*.json' % (prefix or '*'))):
            with open(path) as handle:
                text = handle.read()
            if text:
                found.append(json.loads(text))
        return found

    def output(self):
        self.log.flush()
        with open(self.log.name) as handle:
            return handle.read()

    def wait_for(self, predicate, timeout, what):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return
            if self.process.poll() is not None:
                raise AssertionError('ansible-rulebook exited (rc %s) while waiting for %s:\n%s'
                                     % (self.process.returncode, what, self.output()[-4000:]))
            time.sleep(0.1)
        raise AssertionError('timed out waiting for %s:\n%s' % (what, self.output()[-4000:]))

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def rulebooks():
    started = []
    yield started
    for rulebook in started:
        rulebook.cleanup()


def api_requests(emulator, endpoint):
    return [entry for entry in emulator.requests() if entry.get('endpoint') == endpoint]


def wait_for_listings(emulator, endpoint, count, rulebook, timeout=90):
    rulebook.wait_for(lambda: len([e for e in api_requests(emulator, endpoint) if e.get('status') == 200]) >= count,
                      timeout, '%d listing request(s) of %s' % (count, endpoint))


def wait_until_idle(emulator, endpoint, quiet=0.3, timeout=30):
    """Until no request of ``endpoint`` came for ``quiet`` s: between two listings, not inside one."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        entries = api_requests(emulator, endpoint)
        if entries and time.time() - entries[-1]['time'] >= quiet:
            return
        time.sleep(0.05)
    raise AssertionError('%s never went quiet' % endpoint)


def epoch(iso):
    return datetime.datetime.strptime(iso, '%Y-%m-%dT%H:%M:%S.%fZ').replace(
        tzinfo=datetime.timezone.utc).timestamp()


def first_id(emulator, collection, id_key, field, value):
    return next(item[id_key] for item in emulator.items(collection) if item[field] == value)


def test_example_rules_fire_once_each_within_interval_plus_5s(installed, emulator, rulebooks):
    deploy = Rulebook(installed, emulator, 'jobscope.cloud.deploy_on_ray_cluster_running')
    rulebooks.append(deploy)
    notify = Rulebook(installed, emulator, 'jobscope.cloud.notify_on_dlc_job_failed')
    rulebooks.append(notify)
    # The baselines: one page each.
    wait_for_listings(emulator, 'ListRayCluster', 1, deploy)
    wait_for_listings(emulator, 'ListJobs', 1, notify)
    cluster_id = first_id(emulator, 'emr_ray_clusters', 'clusterId', 'state', 'Starting')
    job_id = first_id(emulator, 'pai_dlc_jobs', 'JobId', 'Status', 'Running')
    changed_at = time.time()
    emulator.changes({'collection': 'emr_ray_clusters', 'id': cluster_id, 'set': {'state': 'Running'}},
                     {'collection': 'pai_dlc_jobs', 'id': job_id, 'set': {'Status': 'Failed'}})

    deploy.wait_for(lambda: deploy.events('deploy'), 120, 'the deploy rule')
    notify.wait_for(lambda: notify.events('notify'), 120, 'the notify rule')
    # Exactly once: nothing more over several more listings.
    time.sleep(4 * INTERVAL)
    deploys, notifies = deploy.events('deploy'), notify.events('notify')
    assert len(deploys) == 1, deploys
    assert len(notifies) == 1, notifies

    for event, source, key, old, new, id_field in (
            (deploys[0], 'emr_ray_cluster', cluster_id, 'Starting', 'Running', 'cluster_id'),
            (notifies[0], 'pai_dlc_job', job_id, 'Running', 'Failed', 'job_id')):
        body = event['jobscope']
        assert set(body) == {'source', 'change', 'id', 'old_state', 'new_state', 'item', 'complete', 'time'}
        assert (body['source'], body['change'], body['id'], body['old_state'], body['new_state']) == \
            (source, 'changed', key, old, new)
        assert body['complete'] is True
        assert body['item'][id_field] == key
        assert epoch(body['time']) - changed_at <= INTERVAL + 5, (body['time'], changed_at)
    # The item is shaped and redacted as the info module returns it.
    assert deploys[0]['jobscope']['item']['dashboard_url'].endswith('token=********')
    for rulebook in (deploy, notify):
        assert SECRET not in rulebook.output()


def test_restart_with_emit_initial_false_is_quiet(installed, emulator, rulebooks):
    files = {'quiet.yml': RECORD_ALL.format(emit_initial='false', page_size=100)}
    first = Rulebook(installed, emulator, 'quiet.yml', files=files)
    rulebooks.append(first)
    wait_for_listings(emulator, 'ListRayCluster', 1, first)
    starting = [item['clusterId'] for item in emulator.items('emr_ray_clusters') if item['state'] == 'Starting']
    emulator.changes({'collection': 'emr_ray_clusters', 'id': starting[0], 'set': {'state': 'Running'}})
    first.wait_for(first.events, 120, 'the change event')
    # Shutdown: the source is cancelled at once, whatever it was doing.
    stopping = time.time()
    first.stop()
    stopped = time.time() - stopping
    assert first.process.returncode is not None and stopped < INTERVAL + 10, stopped
    assert [(e['jobscope']['change'], e['jobscope']['id']) for e in first.events()] == [('changed', starting[0])]

    emulator.clear_requests()
    again = Rulebook(installed, emulator, 'quiet.yml', files=files)
    rulebooks.append(again)
    wait_for_listings(emulator, 'ListRayCluster', 4, again)
    time.sleep(2)  # time for a playbook to start, had any rule fired
    assert again.events() == []
    # Not deaf: a change after the restart is an event, the only one.
    emulator.changes({'collection': 'emr_ray_clusters', 'id': starting[1], 'set': {'state': 'Error'}})
    again.wait_for(again.events, 120, 'the change after the restart')
    time.sleep(2 * INTERVAL)
    assert [(e['jobscope']['change'], e['jobscope']['id'], e['jobscope']['new_state']) for e in again.events()] \
        == [('changed', starting[1], 'Error')]


def test_incomplete_listing_reports_no_disappearance(installed, emulator, rulebooks):
    # Three pages of two; the API reports no total, so the first page is read again to check the listing.
    rulebook = Rulebook(installed, emulator, 'record_all_paged.yml',
                        files={'record_all_paged.yml': RECORD_ALL.format(emit_initial='false', page_size=2)})
    rulebooks.append(rulebook)
    wait_for_listings(emulator, 'ListRayCluster', 4, rulebook)
    before = [item['clusterId'] for item in emulator.items('emr_ray_clusters')]
    wait_until_idle(emulator, 'ListRayCluster')
    # The first item goes away after the next listing's first page: its later pages shift up by one, so the
    # listing misses an item that is still there, and the re-read first page shows it changed.
    emulator.changes({'collection': 'emr_ray_clusters', 'remove': 1, 'where': 'start', 'after_requests': 1,
                      'workspace': 'w-demo'})
    removed = before[0]
    rulebook.wait_for(rulebook.events, 120, 'the disappearance of the removed cluster')
    time.sleep(3 * INTERVAL + 2)
    output = rulebook.output()
    assert 'the first page changed while the listing was read' in output  # the incomplete listing happened
    events = [e['jobscope'] for e in rulebook.events()]
    assert [(e['change'], e['id'], e['complete']) for e in events] == [('disappeared', removed, True)], events


def test_wrong_secret_ends_the_rulebook_loudly_without_the_secret(installed, emulator, rulebooks):
    rulebook = Rulebook(installed, emulator, 'jobscope.cloud.deploy_on_ray_cluster_running', secret=WRONG_SECRET,
                        verbosity='-vv')
    rulebooks.append(rulebook)
    try:
        rc = rulebook.process.wait(90)
    except subprocess.TimeoutExpired:
        raise AssertionError('the rulebook did not end:\n%s' % rulebook.output()[-4000:])
    output = rulebook.output()
    assert rc != 0, output[-4000:]
    refused = api_requests(emulator, 'ListRayCluster')
    assert refused and all(entry['code'] == 'SignatureDoesNotMatch' for entry in refused)
    assert len(refused) == 1  # no retry of a request that cannot succeed
    assert 'SignatureDoesNotMatch' in output
    assert refused[0]['request_id'] in output
    assert WRONG_SECRET not in output
    assert rulebook.events() == []


OCTOPUS = '''---
- name: Record Octopus queue changes
  hosts: all
  sources:
    - name: queue
      jobscope.cloud.job_state_changes:
        source: octopus_queued_job
        queue_type: USER
        endpoint: "{{ jobscope_endpoint }}"
        access_key_id: emuHwAk
        access_key_secret: emuHwSk
        project_id: 0123456789abcdef0123456789abcdef
        interval: "{{ jobscope_interval }}"
        max_retries: 0
        max_failures: 3
  rules:
    - name: Record it
      condition: event.jobscope is defined
      action:
        run_playbook:
          name: record_all.yml
'''


def test_a_list_without_state_and_a_lasting_outage(installed, emulator, rulebooks):
    """Huawei Cloud's Octopus queue (no state: being listed is the state) through the same source; then an
    outage that does not heal ends the rulebook after max_failures listings."""
    emulator.reset(dict(DATASET, octopus_queued_jobs={'count': 3, 'mix': {'queue_type': {'USER': 3}}}))
    rulebook = Rulebook(installed, emulator, 'octopus.yml', files={'octopus.yml': OCTOPUS})
    rulebooks.append(rulebook)
    wait_for_listings(emulator, 'QueryQueuedJobList', 1, rulebook)
    queued = [item['id'] for item in emulator.items('octopus_queued_jobs')]
    emulator.changes({'collection': 'octopus_queued_jobs', 'remove': 1, 'where': 'start'})
    rulebook.wait_for(rulebook.events, 120, 'the job that left the queue')
    event = rulebook.events()[0]['jobscope']
    assert (event['source'], event['change'], event['id'], event['old_state'], event['new_state']) == \
        ('octopus_queued_job', 'disappeared', queued[0], None, None)

    emulator.faults({'endpoint': 'QueryQueuedJobList', 'kind': 'error', 'count': None})
    try:
        rc = rulebook.process.wait(60)
    except subprocess.TimeoutExpired:
        raise AssertionError('the rulebook did not end:\n%s' % rulebook.output()[-4000:])
    output = rulebook.output()
    assert rc != 0
    assert '3 consecutive listings failed' in output and 'APIG.0201' in output, output[-4000:]
    assert 'emuHwSk' not in output
    assert len(rulebook.events()) == 1
