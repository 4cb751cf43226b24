# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Filters the server does not offer, applied by the controller (Param.match): never sent, validated before
any request, applied to the raw items before shaping, counted by max_items, and never ending a listing
early when a whole page is filtered out."""

from __future__ import annotations

import pytest

from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS, Endpoint, PageNumbers
from ansible_collections.jobscope.cloud.plugins.module_utils.options import (
    OptionError, Param, build_request, local_filter)
from ansible_collections.jobscope.cloud.plugins.module_utils.paging import list_all


class Declared(object):
    """Just what build_request, local_filter and list_all read of an endpoint."""

    id_of = Endpoint.id_of
    alternate_ids = ()

    def __init__(self, params, items='items', item_id='id', total=None):
        self.params = params
        self.ordered = ()
        self.together = ()
        self.strictly_ordered = ()
        self.failure = None
        self.paging = PageNumbers('page', 'size', default=10, maximum=10)
        self.items = items
        self.item_id = item_id
        self.total = total
        self.action = 'List'


PARAMS = (
    Param('status', 'status', choices=('RUNNING', 'FAILED', 'SUCCEEDED'), match='equals'),
    Param('kind', 'type', match='equals'),
    Param('entrypoint', 'entrypoint', match='contains'),
    Param('metadata', 'metadata', kind='map', match='entries'),
    Param('owner', 'spec.owner', match='equals'),
    Param('name', 'name'),
)
ENDPOINT = Declared(PARAMS)

ITEMS = [
    {'id': 'a', 'status': 'RUNNING', 'type': 'SUBMISSION', 'entrypoint': 'python train.py --epochs 3',
     'metadata': {'team': 'ml', 'priority': '1', 'urgent': 'true'}, 'spec': {'owner': 'ann'}},
    {'id': 'b', 'status': 'FAILED', 'type': 'DRIVER', 'entrypoint': 'python etl.py',
     'metadata': {'team': 'data'}, 'spec': {'owner': 'bob'}},
    {'id': 'c', 'status': 'RUNNING', 'type': 'SUBMISSION', 'entrypoint': None, 'metadata': None},
    {'id': 'd', 'status': {'nested': 'RUNNING'}, 'type': 'SUBMISSION', 'metadata': ['team', 'ml']},
]


def kept(**options):
    keep = local_filter(ENDPOINT, options)
    return [item['id'] for item in ITEMS if keep(item)]


def test_controller_filters_are_never_sent():
    options = {'status': 'RUNNING', 'kind': 'SUBMISSION', 'entrypoint': 'train', 'metadata': {'team': 'ml'},
               'owner': 'ann', 'name': 'n'}
    path_values, query = build_request(ENDPOINT, options)
    assert query == {'name': 'n'} and path_values == {}


def test_no_filter_set_keeps_everything_without_a_predicate():
    assert local_filter(ENDPOINT, {}) is None
    assert local_filter(ENDPOINT, {'status': None, 'metadata': {}, 'name': 'n'}) is None


@pytest.mark.parametrize('options, ids', [
    ({'status': 'RUNNING'}, ['a', 'c']),
    ({'status': 'FAILED'}, ['b']),
    ({'kind': 'SUBMISSION'}, ['a', 'c', 'd']),
    ({'kind': 'submission'}, []),  # exact, as the API spells it
    ({'entrypoint': 'train'}, ['a']),
    ({'entrypoint': 'python'}, ['a', 'b']),  # a missing entrypoint never matches
    ({'metadata': {'team': 'ml'}}, ['a']),
    ({'metadata': {'team': 'ml', 'priority': 1}}, ['a']),  # values compared as text
    ({'metadata': {'urgent': True}}, ['a']),  # a YAML boolean as JSON spells it
    ({'metadata': {'team': 'ml', 'priority': '2'}}, []),  # every entry must hold
    ({'metadata': {'absent': ''}}, []),
    ({'owner': 'bob'}, ['b']),  # a dotted wire path
    ({'status': 'RUNNING', 'entrypoint': 'train'}, ['a']),  # all filters hold at once
])
def test_matching(options, ids):
    assert kept(**options) == ids


@pytest.mark.parametrize('options, option', [
    ({'status': 'running'}, 'status'),
    ({'entrypoint': '  '}, 'entrypoint'),
    ({'metadata': {'team': {'nested': 1}}}, 'metadata'),
    ({'metadata': {'team': None}}, 'metadata'),
    ({'metadata': {'': 'x'}}, 'metadata'),
    ({'metadata': 'team=ml'}, 'metadata'),
])
def test_bad_filter_values_fail_naming_the_option_before_any_request(options, option):
    with pytest.raises(OptionError) as info:
        build_request(ENDPOINT, options)
        local_filter(ENDPOINT, options)
    assert info.value.option == option


def test_a_match_that_does_not_fit_the_parameter_is_a_declaration_error():
    with pytest.raises(ValueError):
        Param('x', 'x', match='entries')
    with pytest.raises(ValueError):
        Param('x', 'x', kind='map', match='equals')
    with pytest.raises(ValueError):
        Param('x', 'x', match='regex')
    with pytest.raises(ValueError):
        Param('x', 'x', match='equals', in_path=True)


def pages_of(items, size):
    def fetch(params, limiter, check):
        number = int(params['page'])
        return {'items': items[(number - 1) * size:number * size]}
    return fetch


def test_a_page_whose_items_are_all_filtered_out_does_not_end_the_listing():
    # 30 items on pages of 10; only the last page holds matches.
    items = [{'id': 'i%02d' % number, 'status': 'FAILED' if number >= 25 else 'RUNNING'} for number in range(30)]
    keep = local_filter(ENDPOINT, {'status': 'FAILED'})
    listing = list_all(ENDPOINT, pages_of(items, 10), dict, 10, concurrency=2, keep=keep)
    assert [item['id'] for item in listing.items] == ['i25', 'i26', 'i27', 'i28', 'i29']
    assert listing.complete


def test_max_items_counts_the_kept_items():
    items = [{'id': 'i%02d' % number, 'status': 'FAILED' if number % 3 == 0 else 'RUNNING'} for number in range(30)]
    keep = local_filter(ENDPOINT, {'status': 'FAILED'})
    listing = list_all(ENDPOINT, pages_of(items, 10), dict, 10, max_items=5, concurrency=2, keep=keep)
    assert [item['id'] for item in listing.items] == ['i00', 'i03', 'i06', 'i09', 'i12']


def test_the_filter_sees_raw_items_and_the_shape_only_kept_ones():
    shaped = []

    def shape(item):
        shaped.append(item['id'])
        return {'ID': item['id']}

    keep = local_filter(ENDPOINT, {'kind': 'DRIVER'})
    listing = list_all(ENDPOINT, pages_of(ITEMS, 10), shape, 10, keep=keep)
    assert listing.items == [{'ID': 'b'}] and shaped == ['b']


def test_plan_drops_the_server_total_when_the_controller_filters(monkeypatch):
    from ansible_collections.jobscope.cloud.plugins.module_utils import listing as listing_module

    class Transport(object):
        def __init__(self, *args, **kwargs):
            self.calls = []

        def get(self, operation, path, params, limiter=None, check=None, deadline=None):
            self.calls.append(dict(params))
            return {'rayJobs': [{'submissionId': 's1', 'status': 'Running'}], 'totalCount': 1}

        def close(self):
            pass

    monkeypatch.setattr(listing_module, 'Transport', Transport)
    endpoint = ENDPOINTS['emr_ray_job']
    plan = listing_module.Plan(endpoint, {'access_key_id': 'AK', 'access_key_secret': 'S', 'region': 'cn-hangzhou',
                                          'workspace_id': 'w-1'}, env={})
    assert plan.keep is None
    result, _listing = plan.run()
    assert result['total'] == 1
    plan.keep = lambda item: item.get('status') == 'Running'
    transport = plan.transport()
    result, _listing = plan.run(transport, first_page=True)
    assert result == {'jobs': [{'submission_id': 's1', 'status': 'Running'}], 'complete': True}
    assert transport.calls[-1]['pageSize'] == '100'  # the whole listing, not one item of it
