# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Assertions of the inventory_* integration targets, over ansible-inventory output and the emulator.

Standard library only. Every subcommand exits non-zero with a message naming what is wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.request

# plugin -> (emulator collection, API action, wire id key, default group label, wire state key)
PLUGINS = {
    'emr_ray_clusters': ('emr_ray_clusters', 'ListRayCluster', 'clusterId', '', 'state'),
    'emr_ray_jobs': ('emr_ray_jobs', 'ListRayJob', 'submissionId', '', 'status'),
    'pai_dlc_jobs': ('pai_dlc_jobs', 'ListJobs', 'JobId', '', 'Status'),
    'maxcompute_running_jobs': ('maxcompute_running_jobs', 'GetRunningJobs', 'instanceId', 'quota', 'quotaNickname'),
    'octopus_queued_jobs': ('octopus_queued_jobs', 'QueryQueuedJobList', 'id', 'queue', 'queue_type'),
}

# Credentials the emulator puts into items, and the ones the tests sign with: none may be shown or cached.
SECRETS = ('dashtok-', 'regpass-', 'regauth-', 'stssecret-', 'STS.emu-', 'emuAccessKeySecret', 'emuHwSk',
           'emuIamToken')


class Failed(Exception):
    pass


def snake(name):
    name = re.sub(r'([A-Z]+)([A-Z][a-z])', r'\1_\2', name)
    return re.sub(r'([a-z0-9])([A-Z])', r'\1_\2', name).lower()


def group_name(*parts):
    return re.sub(r'[^A-Za-z0-9_]', '_', '_'.join(str(p) for p in parts if p not in (None, ''))).lower()


def plain(value):
    """ansible-inventory (2.19) shows unsafe strings as {"__ansible_unsafe": ...}; earlier cores as strings."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def get(url, path):
    with urllib.request.urlopen(url + path, timeout=30) as response:
        return json.loads(response.read().decode('utf-8'))


def load_inventory(path):
    with open(path, encoding='utf-8') as handle:
        data = json.load(handle)
    hostvars = plain(data.get('_meta', {}).get('hostvars', {}))
    groups = dict((name, set(plain(group.get('hosts') or []))) for name, group in data.items() if name != '_meta')
    return hostvars, groups


def check_hosts(args):
    collection, _action, id_key, label, state_key = PLUGINS[args.plugin]
    hostvars, groups = load_inventory(args.inventory)
    items = get(args.url, '/_emulator/items/%s' % collection)['items']
    if not items:
        raise Failed('the emulator has no %s items' % collection)
    id_var = args.prefix + snake(id_key)
    if len(hostvars) != len(items):
        raise Failed('%d hosts for %d items' % (len(hostvars), len(items)))
    by_id = dict((str(host[id_var]), name) for name, host in hostvars.items() if id_var in host)
    missing = sorted(str(item[id_key]) for item in items if str(item[id_key]) not in by_id)
    if missing:
        raise Failed('%d items are not hosts, for example %s' % (len(missing), missing[:3]))
    for name, host in hostvars.items():
        if host.get('ansible_connection') != 'local':
            raise Failed('%s: ansible_connection is %r' % (name, host.get('ansible_connection')))
        bare = sorted(key for key in host if key != 'ansible_connection' and not key.startswith(args.prefix))
        if bare:
            raise Failed('%s: variables without the prefix %s: %s' % (name, args.prefix, bare))
    if set(groups.get(args.plugin, ())) != set(hostvars):
        raise Failed('group %s does not hold every host' % args.plugin)
    expected = {}
    for item in items:
        expected.setdefault(group_name(args.plugin, label, item[state_key]), set()).add(by_id[str(item[id_key])])
    for group, hosts in sorted(expected.items()):
        if groups.get(group, set()) != hosts:
            raise Failed('group %s has %d hosts, expected exactly the %d items in that state'
                         % (group, len(groups.get(group, ())), len(hosts)))
    if args.running_group:
        running = set(by_id[str(item[id_key])] for item in items if item[state_key] == 'Running')
        if not running or groups.get(args.running_group) != running:
            raise Failed('group %s does not hold exactly the %d Running items' % (args.running_group, len(running)))
    print('ok: %d hosts = %d items; groups %s' % (len(hostvars), len(items),
                                                  ', '.join('%s=%d' % (g, len(h)) for g, h in sorted(expected.items()))))


def check_requests(args):
    _collection, action, _id_key, _label, _state_key = PLUGINS[args.plugin]
    log = get(args.url, '/_emulator/requests?endpoint=%s' % action)
    requests = log['requests']
    if args.expect is not None and len(requests) != args.expect:
        raise Failed('%d %s requests, expected %d' % (len(requests), action, args.expect))
    if not requests:
        raise Failed('no %s request was made' % action)
    if not args.any_status:
        bad = [(r.get('auth'), r.get('status'), r.get('code')) for r in requests
               if r.get('auth') != 'ok' or r.get('status') != 200]
        if bad:
            raise Failed('%d of %d %s requests were not signed and answered well: %s'
                         % (len(bad), len(requests), action, bad[:3]))
        keys = set(r.get('access_key_id') for r in requests)
        if args.access_key_id and keys != {args.access_key_id}:
            raise Failed('requests signed with %s, expected %s' % (sorted(map(str, keys)), args.access_key_id))
    print(len(requests))


def check_secrets(args):
    found = []
    for path in args.paths:
        files = [path] if os.path.isfile(path) else [os.path.join(d, f) for d, _s, fs in os.walk(path) for f in fs]
        if os.path.isdir(path) and not files and args.nonempty:
            raise Failed('%s is empty' % path)
        for name in files:
            with open(name, encoding='utf-8', errors='replace') as handle:
                text = handle.read()
            found.extend('%s in %s' % (secret, name) for secret in SECRETS if secret in text)
    if found:
        raise Failed('secrets shown or stored: %s' % ', '.join(found))
    print('ok: no secret in %s' % ', '.join(args.paths))


def check_groups(args):
    hostvars, groups = load_inventory(args.inventory)
    for spec in args.expect:
        name, _sep, count = spec.partition('=')
        if name not in groups or (count and len(groups[name]) != int(count)):
            raise Failed('group %s: %s, expected %s hosts' % (name, len(groups.get(name, ())) if name in groups
                                                              else 'missing', count or 'some'))
    if args.hosts is not None and len(hostvars) != args.hosts:
        raise Failed('%d hosts, expected %d' % (len(hostvars), args.hosts))
    print('ok: %d hosts; groups %s' % (len(hostvars), ', '.join(args.expect) or '-'))


def control(args):
    """A call to the emulator's control API, for example POST /faults '{"faults": [...]}'."""
    data = args.body.encode('utf-8') if args.body else None
    request = urllib.request.Request(args.url + '/_emulator' + args.path, data=data, method=args.method,
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=30) as response:
        print(response.read().decode('utf-8'))


def check_rendered(args):
    with open(args.rendered, encoding='utf-8') as handle:
        rendered = json.load(handle)
    literal = '{{ 6 * 7 }}'
    hits = [entry for entry in rendered if entry.split('|')[0] == literal]
    if hits != ['%s|%s' % (literal, literal)]:
        raise Failed('the cluster named %s was not kept literal in its name and hostname: %s; 42 seen: %s'
                     % (literal, hits, [entry for entry in rendered if entry.split('|')[0] == '42']))
    print('ok: %s stayed literal (%d hosts templated)' % (literal, len(rendered)))


def main(argv=None):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest='command', required=True)
    hosts = sub.add_parser('hosts', help='every item is a host, with its default groups')
    hosts.add_argument('--url', required=True)
    hosts.add_argument('--plugin', required=True, choices=sorted(PLUGINS))
    hosts.add_argument('--inventory', required=True)
    hosts.add_argument('--prefix', default='jobscope_')
    hosts.add_argument('--running-group')
    hosts.set_defaults(run=check_hosts)
    requests = sub.add_parser('requests', help='the endpoint requests, all validly signed; prints their number')
    requests.add_argument('--url', required=True)
    requests.add_argument('--plugin', required=True, choices=sorted(PLUGINS))
    requests.add_argument('--expect', type=int)
    requests.add_argument('--access-key-id')
    requests.add_argument('--any-status', action='store_true')
    requests.set_defaults(run=check_requests)
    secrets = sub.add_parser('secrets', help='no credential in these files or directories')
    secrets.add_argument('paths', nargs='+')
    secrets.add_argument('--nonempty', action='store_true')
    secrets.set_defaults(run=check_secrets)
    groups = sub.add_parser('groups', help='these groups exist (NAME or NAME=COUNT)')
    groups.add_argument('--inventory', required=True)
    groups.add_argument('--hosts', type=int)
    groups.add_argument('expect', nargs='*')
    groups.set_defaults(run=check_groups)
    rendered = sub.add_parser('rendered', help='the template-like cluster name stayed literal')
    rendered.add_argument('rendered')
    rendered.set_defaults(run=check_rendered)
    ctl = sub.add_parser('control', help='call the emulator control API')
    ctl.add_argument('--url', required=True)
    ctl.add_argument('method', choices=['GET', 'POST', 'DELETE'])
    ctl.add_argument('path')
    ctl.add_argument('body', nargs='?')
    ctl.set_defaults(run=control)
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except Failed as exc:
        print('FAILED: %s' % exc, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
