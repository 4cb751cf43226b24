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
    if cloud.doc_fragment is None:
        # A cloud with one module documents its options in the module (test_info_modules compares them).
        assert set(cloud.spec) <= set(doc['options'])
    else:
        assert cloud.doc_fragment in doc['extends_documentation_fragment']


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_secret_options_are_the_no_log_ones(name):
    cloud = ENDPOINTS[name].cloud
    assert cloud.secret_options == frozenset(option for option, spec in cloud.spec.items() if spec.get('no_log'))
    assert 'access_key_id' not in cloud.secret_options


# --- secret values ------------------------------------------------------------------------------

def test_scrub_replaces_every_form_a_url_carries():
    from ansible_collections.jobscope.cloud.plugins.module_utils.cloud import scrub
    secret = 'to k/en+=&'
    text = ('plain %s, quoted %s, plus %s' % (secret, 'to%20k%2Fen%2B%3D%26', 'to+k%2Fen%2B%3D%26'))
    assert scrub(text, [secret]) == 'plain ********, quoted ********, plus ********'
    assert scrub(text, []) == text and scrub(None, [secret]) is None


def test_the_default_secret_values_are_the_no_log_options_and_credentials():
    from ansible_collections.jobscope.cloud.plugins.module_utils import alibaba, huawei
    creds = alibaba.Credentials('AK', 'SK-from-chain', 'STS-from-chain')
    assert alibaba.CLOUD.secret_values({'access_key_secret': 'given', 'access_key_id': 'AK'}, creds) == \
        frozenset(['given', 'SK-from-chain', 'STS-from-chain'])
    assert huawei.CLOUD.secret_values({'auth_token': 'tok'}) == frozenset(['tok'])


def test_a_listing_error_never_carries_a_secret(monkeypatch):
    from ansible_collections.jobscope.cloud.plugins.module_utils import listing
    from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError

    class Leaky(object):
        def __init__(self, *args, **kwargs):
            pass

        def get(self, operation, path, params, limiter=None, check=None, deadline=None):
            raise CloudError('connection failed: url /x?secret=SK-secret%2Fvalue and SK-secret/value', operation=operation)

        def close(self):
            pass

    monkeypatch.setattr(listing, 'Transport', Leaky)
    plan = listing.Plan(ENDPOINTS['pai_dlc_job'], {'access_key_id': 'AK', 'access_key_secret': 'SK-secret/value',
                                                   'region': 'cn-hangzhou'}, env={})
    with pytest.raises(CloudError) as info:
        plan.run()
    assert 'SK-secret' not in str(info.value) and str(info.value).count('********') == 2
