# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 11: hostnames that cannot collide, trust marking for AWX, cache and item checks."""

from __future__ import annotations

import pytest

from ansible_collections.jobscope.cloud.plugins.plugin_utils import inventory as base


@pytest.mark.parametrize('name', ['localhost', 'LOCALHOST', 'localhost.', 'localhost.localdomain', 'app.localhost',
                                  'ip6-localhost', '127.0.0.1', '127.8.9.10', '127.1', '2130706433', '0x7f.1',
                                  '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '0.0.0.0', '::'])
def test_names_of_this_machine(name):
    assert base.is_local_name(name)


@pytest.mark.parametrize('name', ['prod-db-1', 'localhost-jobs', 'my localhost', '10.0.0.1', '128.0.0.1', '12345',
                                  'fe80::1', u'训练-1', '', '{{ 6 * 7 }}'])
def test_other_names(name):
    assert not base.is_local_name(name)


def hosts(*names):
    return [{'name': name, 'job_id': 'j%d' % index} for index, name in enumerate(names)]


def test_forbidden_names_get_their_id_deterministically():
    taken = set(['all', 'grp'])
    renamed = []
    names = base.assign_hostnames(hosts('all', 'ok', 'grp', 'localhost', 'ok'), base.parse_hostnames(['name']),
                                  'job_id', forbidden=lambda name: name in taken or base.is_local_name(name),
                                  renamed=renamed)
    assert names == ['all_j0', 'ok_j1', 'grp_j2', 'localhost_j3', 'ok_j4']
    assert renamed == [('all', 'all_j0'), ('grp', 'grp_j2'), ('localhost', 'localhost_j3')]
    # Reversed listing: each host keeps its own name.
    again = base.assign_hostnames(list(reversed(hosts('all', 'ok', 'grp', 'localhost', 'ok'))),
                                  base.parse_hostnames(['name']), 'job_id',
                                  forbidden=lambda name: name in taken or base.is_local_name(name))
    assert sorted(again) == sorted(names)


def test_a_forbidden_id_or_suffix_is_numbered_on():
    taken = set(['all', 'x', 'x_j0', 'x_j0_2'])
    names = base.assign_hostnames([{'job_id': 'all'}, {'name': 'x', 'job_id': 'j0'}], base.parse_hostnames(['name']),
                                  'job_id', forbidden=lambda name: name in taken)
    assert names == ['all_2', 'x_j0_3']


def test_strings_that_cannot_be_templates_are_trusted_the_others_unsafe():
    from ansible.utils.unsafe_proxy import AnsibleUnsafe
    made = base.make_unsafe({'state': 'Running', 'name': '{{ 6 * 7 }}', 'header': '#jinja2:x:y\n[[ 1 ]]',
                             'list': ['a', 'b}'], 'n': 1})
    try:
        from ansible.template import is_trusted_as_template
    except ImportError:  # before 2.19: plain str for the safe, AnsibleUnsafe for the others
        assert made['state'].__class__ is str
        assert isinstance(made['name'], AnsibleUnsafe) and isinstance(made['header'], AnsibleUnsafe)
        return
    assert is_trusted_as_template(made['state']) and is_trusted_as_template(made['list'][0])
    assert not is_trusted_as_template(made['name']) and not is_trusted_as_template(made['header'])
    assert not is_trusted_as_template(made['list'][1])
    assert made['n'] == 1


def test_cached_listings_are_checked():
    good = [{'facts': {'region': 'r'}, 'items': [{'a': 1}], 'complete': True, 'total': 1}]
    assert base._valid_listings(good)
    assert not base._valid_listings({'x': 1})
    assert not base._valid_listings([dict(good[0], items=['x'])])
    assert not base._valid_listings([dict(good[0], items=None)])
    assert not base._valid_listings([dict(good[0], complete='yes')])
    assert not base._valid_listings(['listing'])
