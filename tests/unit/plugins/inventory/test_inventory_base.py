# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The inventory base: hostname rules, group names, prefixed unsafe hostvars, filters, cache round trips.

The plugins run for real (loaded by name, options read from a YAML file, a real listing Plan with its
pager and shaper); only the HTTP transport is replaced by an in-memory one that counts requests.
"""

from __future__ import annotations

import json
import os
import time

import pytest
import yaml

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from ansible.template import Templar
from ansible.utils.unsafe_proxy import AnsibleUnsafe

from ansible_collections.jobscope.cloud.plugins.module_utils import listing as listing_module
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError
from ansible_collections.jobscope.cloud.plugins.plugin_utils import inventory as base

try:  # ansible-core 2.19+: templates must be trusted to render
    from ansible.template import trust_as_template
except ImportError:  # pragma: no cover - older cores render every plain string
    def trust_as_template(value):
        return value

PLUGINS = ('emr_ray_clusters', 'emr_ray_jobs', 'pai_dlc_jobs', 'maxcompute_running_jobs', 'octopus_queued_jobs')


# ---------------------------------------------------------------------------------------------
# Pure helpers

def hosts_named(*names, **extra):
    return [dict({'name': name, 'cluster_id': 'c-%d' % index}, **extra) for index, name in enumerate(names)]


def test_hostnames_first_preference_with_a_value():
    hosts = [{'name': 'alpha', 'cluster_id': 'c-1'}, {'name': '', 'cluster_id': 'c-2'}, {'cluster_id': 'c-3'}]
    assert base.assign_hostnames(hosts, base.parse_hostnames(['name', 'cluster_id']), 'cluster_id') == \
        ['alpha', 'c-2', 'c-3']


def test_hostnames_fall_back_to_the_item_id():
    hosts = [{'cluster_id': 'c-1', 'name': None}, {'cluster_id': 'c-2', 'name': True}]
    assert base.assign_hostnames(hosts, base.parse_hostnames(['name']), 'cluster_id') == ['c-1', 'c-2']


def test_colliding_names_all_get_their_id_whatever_the_order():
    hosts = hosts_named('etl', 'serve', 'etl')
    names = base.assign_hostnames(hosts, base.parse_hostnames(['name']), 'cluster_id')
    assert names == ['etl_c-0', 'serve', 'etl_c-2']
    reversed_names = base.assign_hostnames(list(reversed(hosts)), base.parse_hostnames(['name']), 'cluster_id')
    assert sorted(reversed_names) == sorted(names)


def test_a_name_that_is_another_items_id_is_disambiguated():
    hosts = [{'name': 'c-1', 'cluster_id': 'c-0'}, {'name': None, 'cluster_id': 'c-1'}]
    names = base.assign_hostnames(hosts, base.parse_hostnames(['name']), 'cluster_id')
    assert names == ['c-1_c-0', 'c-1']
    assert len(set(names)) == 2


def test_the_same_id_from_two_sources_is_numbered_in_source_order():
    hosts = [{'name': 'x', 'cluster_id': 'c-1', 'workspace_id': 'w-a'},
             {'name': 'x', 'cluster_id': 'c-1', 'workspace_id': 'w-b'},
             {'name': 'x', 'cluster_id': 'c-1', 'workspace_id': 'w-c'}]
    names = base.assign_hostnames(hosts, base.parse_hostnames(['name']), 'cluster_id')
    assert names == ['x_c-1', 'x_c-1_2', 'x_c-1_3']


def test_hostnames_with_prefix_separator_and_numbers():
    hosts = [{'job_id': 100004, 'job_type': 'DATA_AUTO_LABEL'}, {'job_id': 100005}]
    preferences = base.parse_hostnames([{'name': 'job_id', 'prefix': 'job_type'}, 'job_id'])
    assert base.assign_hostnames(hosts, preferences, 'id') == ['DATA_AUTO_LABEL-100004', '100005']
    preferences = base.parse_hostnames([{'name': 'job_id', 'prefix': 'job_type', 'separator': '/'}])
    assert base.assign_hostnames(hosts[:1], preferences, 'id') == ['DATA_AUTO_LABEL/100004']


def test_hostnames_read_dotted_paths():
    hosts = [{'head_spec': {'queue_name': 'dev_queue'}, 'cluster_id': 'c-1'}]
    assert base.assign_hostnames(hosts, base.parse_hostnames(['head_spec.queue_name']), 'cluster_id') == \
        ['dev_queue']


@pytest.mark.parametrize('entries, option', [
    (['{{ name }}'], 'hostnames[0]'),
    ([{'name': 'name', 'prefix': 'a b'}], 'hostnames[0]'),
    ([{'name': 'name', 'suffix': 'x'}], 'hostnames[0]'),
    (['name', 7], 'hostnames[1]'),
    ([], 'hostnames'),
])
def test_hostnames_are_field_names_never_templates(entries, option):
    with pytest.raises(OptionError) as caught:
        base.parse_hostnames(entries)
    assert caught.value.option == option


@pytest.mark.parametrize('parts, expected', [
    (('emr_ray_clusters', '', 'Running'), 'emr_ray_clusters_running'),
    (('emr_ray_clusters', 'workspace', 'w-d2d82aa09155'), 'emr_ray_clusters_workspace_w_d2d82aa09155'),
    (('maxcompute_running_jobs', 'quota', 'my quota'), 'maxcompute_running_jobs_quota_my_quota'),
    (('pai_dlc_jobs', 'workspace', '推荐'), 'pai_dlc_jobs_workspace___'),
    (('x', None, '{{ 6 * 7 }}'), 'x____6___7___'),
])
def test_group_names_are_safe_and_lowercase(parts, expected):
    assert base.group_name(*parts) == expected


def test_host_variables_are_prefixed_and_never_reserved():
    variables = base.host_variables({'name': 'a', 'tags': {'Env': 'prod'}, 'environment': 'x', 'odd-key': 1},
                                    'jobscope_')
    assert variables == {'jobscope_name': 'a', 'jobscope_tags': {'Env': 'prod'}, 'jobscope_environment': 'x',
                         'jobscope_odd_key': 1}
    assert not set(variables) & base.reserved_names()
    assert {'name', 'tags', 'environment', 'hostvars'} <= base.reserved_names()


def test_filters_are_jmespath_over_the_item():
    filters = base.Filters(include=["state == 'Running'", "contains(name, 'prod')"], exclude=["name == 'prod-old'"])
    assert filters.keep({'state': 'Running', 'name': 'a'})
    assert filters.keep({'state': 'Stopped', 'name': 'prod-1'})
    assert not filters.keep({'state': 'Stopped', 'name': 'dev'})
    assert not filters.keep({'state': 'Running', 'name': 'prod-old'})
    assert base.Filters().keep({})


def test_filters_speak_of_time():
    now = time.time()
    filters = base.Filters(include=['age(submitted_at_time) > `1800`'], exclude=['to_epoch(create_time) > now()'])
    assert filters.keep({'submitted_at_time': int(now - 3600)})                  # epoch seconds
    assert filters.keep({'submitted_at_time': int((now - 3600) * 1000)})         # epoch milliseconds
    assert not filters.keep({'submitted_at_time': int(now - 60)})
    assert not filters.keep({'submitted_at_time': 0})                            # not set: neither old nor young
    assert not filters.keep({'submitted_at_time': int(now - 3600), 'create_time': '2999-01-01T00:00:00Z'})
    with pytest.raises(OptionError) as caught:
        filters.keep({'submitted_at_time': 'garbled'})
    assert caught.value.option == 'include_filters[0]'


def test_an_invalid_filter_names_its_option():
    with pytest.raises(OptionError) as caught:
        base.Filters(exclude=['ok', 'state =='])
    assert caught.value.option == 'exclude_filters[1]'


def test_unsafe_values_are_never_templated():
    variables = base.make_unsafe({'jobscope_name': '{{ 6 * 7 }}', 'jobscope_spec': {'cmd': ['{{ 6 * 7 }}']}})
    templar = Templar(loader=DataLoader(), variables=variables)
    assert templar.template(trust_as_template('{{ jobscope_name }}')) == '{{ 6 * 7 }}'
    assert templar.template(trust_as_template('{{ jobscope_spec.cmd[0] }}')) == '{{ 6 * 7 }}'
    # strings that cannot be templates stay as they are, keys with braces are marked too
    plain_values = base.make_unsafe({'state': 'Running', 'n': 3, 'keys': {'{{ k }}': ['a', b'{b}']}})
    assert plain_values['state'] == 'Running' and not isinstance(plain_values['state'], AnsibleUnsafe)
    assert plain_values['n'] == 3
    templar = Templar(loader=DataLoader(), variables={'v': list(plain_values['keys'])[0]})
    assert templar.template(trust_as_template('{{ v }}')) == '{{ k }}'
    # the control: the same text from a trusted place is a template
    templar = Templar(loader=DataLoader(), variables={'trusted': trust_as_template('{{ 6 * 7 }}')})
    assert str(templar.template(trust_as_template('{{ trusted }}'))) == '42'


# ---------------------------------------------------------------------------------------------
# The plugins, end to end with an in-memory transport

def cluster(index, state='Running', name=None):
    cluster_id = 'ray-%04d' % index
    return {
        'clusterId': cluster_id, 'name': name or 'ray-dev-%d' % index, 'state': state,
        'headSpec': {'queueName': 'dev_queue', 'cpu': '4'},
        'dashboardUrl': 'https://gw.example.com/?token=dashtok-%s' % cluster_id,
    }


class FakeCloud(object):
    """The ListRayCluster API for a few workspaces, as pages; counts requests; can fail on a path."""

    def __init__(self, workspaces, fail_on=None):
        self.workspaces = workspaces
        self.fail_on = fail_on
        self.requests = []

    def transport(self, dialect, **_kwargs):
        cloud = self

        class Transport(object):
            def get(self, operation, path, params, limiter=None, check=None, deadline=None):
                cloud.requests.append((dialect.base, path, dict(params)))
                workspace = path.split('/')[4]
                if cloud.fail_on and cloud.fail_on in path:
                    raise CloudError('The request processing has failed.', status=500, code='InternalError',
                                     request_id='REQ-1', operation=operation)
                number, size = int(params['pageNum']), int(params['pageSize'])
                return {'rayClusters': cloud.workspaces.get(workspace, [])[(number - 1) * size:number * size]}

            def close(self):
                pass

        return Transport()


@pytest.fixture
def cloud(monkeypatch):
    fake = FakeCloud({
        'w-a': [cluster(1), cluster(2, 'Stopped'), cluster(3, name='{{ 6 * 7 }}'), cluster(4, name='twin'),
                cluster(5, name='twin', state='Starting')],
        'w-b': [cluster(10 + index, 'Running' if index % 2 else 'Error') for index in range(150)],
    })
    monkeypatch.setattr(listing_module, 'Transport', fake.transport)
    for name in list(os.environ):
        if name.startswith(('ALIBABA_CLOUD_', 'HUAWEICLOUD_SDK_')):
            monkeypatch.delenv(name)
    monkeypatch.setenv('ALIBABA_CLOUD_ACCESS_KEY_ID', 'unitKeyId')
    monkeypatch.setenv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'unitKeySecret')
    return fake


def run_plugin(tmp_path, config, name='emr_ray_clusters', cache=True, filename=None):
    config = dict({'plugin': 'jobscope.cloud.%s' % name}, **config)
    path = tmp_path / (filename or 'unit.%s.yml' % name)
    path.write_text(yaml.safe_dump(config))
    plugin = inventory_loader.get('jobscope.cloud.%s' % name)
    assert plugin.verify_file(str(path))
    inventory = InventoryData()
    plugin.parse(inventory, DataLoader(), str(path), cache=cache)
    if getattr(plugin, '_cache', None):
        plugin.update_cache_if_changed()
    return inventory


def plain(value):
    return json.loads(json.dumps(value))


def group_hosts(inventory, group):
    return sorted(host.name for host in inventory.groups[group].get_hosts()) if group in inventory.groups else []


EMULATED = {'endpoint': 'http://127.0.0.1:9', 'workspace_ids': ['w-a', 'w-b']}


def test_every_item_is_a_host_with_prefixed_unsafe_vars(tmp_path, cloud):
    inventory = run_plugin(tmp_path, EMULATED)
    assert len(inventory.hosts) == 155
    host = inventory.get_host('ray-dev-1')
    variables = host.get_vars()
    assert variables['jobscope_cluster_id'] == 'ray-0001'
    assert variables['jobscope_workspace_id'] == 'w-a'
    assert variables['jobscope_head_spec'] == {'queue_name': 'dev_queue', 'cpu': '4'}
    assert variables['ansible_connection'] == 'local'
    assert variables['jobscope_dashboard_url'] == 'https://gw.example.com/?token=********'
    assert not [key for key in variables if not key.startswith(('jobscope_', 'ansible_', 'inventory_', 'group_names'))]
    templar = Templar(loader=DataLoader(), variables=inventory.get_host('{{ 6 * 7 }}').get_vars())
    assert templar.template(trust_as_template('{{ jobscope_name }}|{{ inventory_hostname }}')) == \
        '{{ 6 * 7 }}|{{ 6 * 7 }}'
    assert 'dashtok-' not in json.dumps(dict((h, plain(inventory.get_host(h).vars)) for h in inventory.hosts))


def test_colliding_names_and_default_groups(tmp_path, cloud):
    inventory = run_plugin(tmp_path, EMULATED)
    assert 'twin_ray-0004' in inventory.hosts and 'twin_ray-0005' in inventory.hosts and 'twin' not in inventory.hosts
    running = group_hosts(inventory, 'emr_ray_clusters_running')
    assert len(running) == 3 + 75
    assert running == sorted(name for name, host in inventory.hosts.items()
                             if host.vars['jobscope_state'] == 'Running')
    assert group_hosts(inventory, 'emr_ray_clusters_stopped') == ['ray-dev-2']
    assert len(group_hosts(inventory, 'emr_ray_clusters_workspace_w_b')) == 150
    assert len(group_hosts(inventory, 'emr_ray_clusters')) == 155


def test_constructed_filters_and_no_default_groups(tmp_path, cloud):
    inventory = run_plugin(tmp_path, dict(
        EMULATED, default_groups=False, hostnames=['cluster_id'], hostvar_prefix='ray_',
        include_filters=["state == 'Running'", "state == 'Stopped'"], exclude_filters=["contains(name, '6')"],
        keyed_groups=[{'key': 'ray_state', 'prefix': 'state'}], groups={'dev': "ray_head_spec.queue_name == 'dev_queue'"},
        compose={'ansible_connection': "'ssh'", 'queue': 'ray_head_spec.queue_name'}))
    names = sorted(inventory.hosts)
    assert 'ray-0001' in names and 'ray-0002' in names
    assert all('6' not in inventory.get_host(name).vars['ray_name'] for name in names)
    assert 'emr_ray_clusters_running' not in inventory.groups
    assert sorted(group_hosts(inventory, 'state_Running') + group_hosts(inventory, 'state_Stopped')) == names
    assert group_hosts(inventory, 'dev') == names
    host = inventory.get_host('ray-0001')
    assert host.vars['ansible_connection'] == 'ssh' and host.vars['queue'] == 'dev_queue'


def test_a_failed_call_fails_the_whole_source_with_the_vendor_error(tmp_path, cloud):
    cloud.fail_on = '/w-b/'
    with pytest.raises(AnsibleParserError) as caught:
        run_plugin(tmp_path, EMULATED)
    message = str(caught.value)
    assert 'ListRayCluster HTTP 500 InternalError: The request processing has failed. (request id REQ-1)' in message
    assert 'workspace w-b' in message


def test_a_failed_call_adds_no_host(tmp_path, cloud):
    cloud.fail_on = '/w-b/'
    path = tmp_path / 'unit.emr_ray_clusters.yml'
    path.write_text(yaml.safe_dump(dict(EMULATED, plugin='jobscope.cloud.emr_ray_clusters')))
    inventory = InventoryData()
    with pytest.raises(AnsibleParserError):
        inventory_loader.get('jobscope.cloud.emr_ray_clusters').parse(inventory, DataLoader(), str(path))
    assert not inventory.hosts


def test_options_are_checked_before_any_request(tmp_path, cloud):
    for config, expected in [
        (dict(EMULATED, page_size=500), 'page_size must be between 1 and 100'),
        (dict(EMULATED, include_filters=['state ==']), 'include_filters[0]'),
        (dict(EMULATED, hostvar_prefix='ansible_'), 'hostvar_prefix'),
        (dict(EMULATED, hostnames=['{{ name }}']), 'hostnames[0]'),
        (dict(EMULATED, workspace_ids=['cn-hangzhou/']), 'workspace_ids'),
        ({'workspace_ids': ['w-a']}, 'region is required'),
    ]:
        with pytest.raises(AnsibleError) as caught:
            run_plugin(tmp_path, config)
        assert expected in str(caught.value)
    assert cloud.requests == []


def test_a_prefix_that_makes_a_reserved_name_is_refused(tmp_path, cloud):
    with pytest.raises(AnsibleError) as caught:
        run_plugin(tmp_path, dict(EMULATED, hostvar_prefix='role_'))
    assert 'role_name' in str(caught.value)


def test_sources_fan_out_over_regions_and_workspaces(tmp_path, cloud, monkeypatch):
    monkeypatch.setenv('ALIBABA_CLOUD_REGION_ID', 'cn-hangzhou')
    inventory = run_plugin(tmp_path, {'workspace_ids': ['w-a', 'cn-shanghai/w-b']})
    bases = sorted(set((b, p.split('/')[4]) for b, p, _params in cloud.requests))
    assert bases == [('https://emr-serverless-spark.cn-hangzhou.aliyuncs.com', 'w-a'),
                     ('https://emr-serverless-spark.cn-shanghai.aliyuncs.com', 'w-b')]
    assert inventory.get_host('ray-dev-1').vars['jobscope_region'] == 'cn-hangzhou'
    assert inventory.get_host('ray-dev-11').vars['jobscope_region'] == 'cn-shanghai'


def test_cache_round_trip_holds_listings_not_the_inventory(tmp_path, cloud):
    cache_dir = tmp_path / 'cache'
    cached = dict(EMULATED, cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(cache_dir))
    first = run_plugin(tmp_path, cached)
    requests = len(cloud.requests)
    assert requests > 0
    stored = ''.join(path.read_text() for path in cache_dir.iterdir())
    assert 'dashtok-' not in stored and 'unitKeySecret' not in stored and '********' in stored

    second = run_plugin(tmp_path, dict(cached, keyed_groups=[{'key': 'jobscope_state', 'prefix': 'kg'}]))
    assert len(cloud.requests) == requests  # a cache hit makes no request
    assert sorted(second.hosts) == sorted(first.hosts)
    assert len(group_hosts(second, 'kg_Running')) == 78  # a new keyed group, without a flush

    run_plugin(tmp_path, cached, cache=False)  # --flush-cache
    assert len(cloud.requests) == 2 * requests

    run_plugin(tmp_path, dict(cached, workspace_ids=['w-a']))  # another query: another listing
    assert len(cloud.requests) > 2 * requests


def test_an_incomplete_listing_is_read_again_and_never_cached(tmp_path, cloud, monkeypatch):
    results = iter([False, False, True])
    real_run = listing_module.Plan.run

    def run(self, deadline=None):
        result, listing = real_run(self, deadline=deadline)
        result['complete'] = next(results)
        listing.warnings = [] if result['complete'] else ['the listing changed while it was read']
        return result, listing

    monkeypatch.setattr(listing_module.Plan, 'run', run)
    cached = dict(EMULATED, workspace_ids=['w-a'], cache=True, cache_plugin='ansible.builtin.jsonfile',
                  cache_connection=str(tmp_path / 'cache'))
    # Listings are counted by their first page (a short page without a total is followed by a look past it).
    run_plugin(tmp_path, cached)
    assert sum(1 for request in cloud.requests if request[2]['pageNum'] == '1') == 2  # twice: both inconsistent
    run_plugin(tmp_path, cached)
    assert sum(1 for request in cloud.requests if request[2]['pageNum'] == '1') == 3  # not cached, read again


@pytest.mark.parametrize('name', PLUGINS)
def test_plugins_are_declarations_whose_docs_match(name):
    plugin = inventory_loader.get('jobscope.cloud.%s' % name)
    assert isinstance(plugin, base.JobscopeInventory)
    assert plugin.NAME == 'jobscope.cloud.%s' % name
    assert plugin.verify_file.__func__ is base.JobscopeInventory.verify_file
    module = __import__('ansible_collections.jobscope.cloud.plugins.inventory.%s' % name, fromlist=['DOCUMENTATION'])
    documented = yaml.safe_load(module.DOCUMENTATION)['options']['hostnames']['default']
    assert documented == [dict(entry) if isinstance(entry, dict) else entry for entry in plugin.HOSTNAMES]
    base.parse_hostnames(list(plugin.HOSTNAMES))


@pytest.mark.parametrize('filename, accepted', [
    ('prod.emr_ray_clusters.yml', True), ('emr_ray_clusters.yaml', True), ('a.b.emr_ray_clusters.yaml', True),
    ('prodemr_ray_clusters.yml', False), ('prod.emr_ray_jobs.yml', False), ('emr_ray_clusters.json', False),
])
def test_verify_file(tmp_path, filename, accepted):
    path = tmp_path / filename
    path.write_text('plugin: jobscope.cloud.emr_ray_clusters\n')
    assert inventory_loader.get('jobscope.cloud.emr_ray_clusters').verify_file(str(path)) is accepted
