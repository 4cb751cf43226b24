# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One object per cloud: every endpoint names one, and the modules and inventory plugins of the endpoint
take the cloud's options and documentation from it."""

from __future__ import annotations

import importlib

import pytest

yaml = pytest.importorskip('yaml')

from ansible_collections.jobscope.cloud.plugins.module_utils import info  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.cloud import Cloud  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS  # noqa: E402

COLLECTION = 'ansible_collections.jobscope.cloud.plugins'


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_every_endpoint_names_a_cloud_object(name):
    cloud = ENDPOINTS[name].cloud
    assert isinstance(cloud, Cloud)
    assert str(cloud) == cloud.name
    assert set(cloud.chain_options) <= set(cloud.spec)
    assert set(cloud.inventory_options) <= set(cloud.spec)
    assert not set(cloud.chain_options) & set(cloud.inventory_options)


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_the_module_spec_holds_the_cloud_spec_and_its_documentation(name):
    cloud = ENDPOINTS[name].cloud
    spec = info.argument_spec(ENDPOINTS[name])
    for option, option_spec in cloud.spec.items():
        assert spec[option] == option_spec, option
    doc = yaml.safe_load(importlib.import_module('%s.modules.%s_info' % (COLLECTION, name)).DOCUMENTATION)
    assert cloud.doc_fragment in doc['extends_documentation_fragment']


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_secret_options_are_the_no_log_ones(name):
    cloud = ENDPOINTS[name].cloud
    assert cloud.secret_options == frozenset(option for option, spec in cloud.spec.items() if spec.get('no_log'))
    assert 'access_key_id' not in cloud.secret_options
