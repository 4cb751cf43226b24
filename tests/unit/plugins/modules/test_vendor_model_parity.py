# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The endpoint table and the module docs kept in step with the vendors' own SDK models (test-only peers).

For each Alibaba Cloud API: every request field of the SDK's request model is an option and every option a
field; each option goes on the wire exactly as the SDK client puts it there (its request building is run
with the HTTP call replaced); every response field of the SDK's item model, at the top level and one level
down, is in the module's RETURN. Failures name what is missing.

The SDKs are imported unconditionally: a missing package fails this file, it never skips
(tests/unit/requirements.txt installs them).
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import itertools
import re
import typing

import pytest
import yaml

from alibabacloud_emr_serverless_spark20230808 import client as emr_client, models as emr_models
from alibabacloud_maxcompute20220104 import client as mc_client, models as mc_models
from alibabacloud_pai_dlc20201203 import client as dlc_client, models as dlc_models
from alibabacloud_tea_openapi import models as openapi_models
from darabonba.model import DaraModel
from darabonba.runtime import RuntimeOptions
import huaweicloudsdkoctopus.v2.model as octopus_models

from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS
from ansible_collections.jobscope.cloud.plugins.module_utils.options import build_request
from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import snake

# endpoint -> (client class, the client's request-building method, request model, path argument names in the
# order the method takes them, response body model)
SDK = {
    'emr_ray_cluster': (emr_client.Client, 'list_ray_cluster_with_options', emr_models.ListRayClusterRequest,
                        ('workspace_id',), emr_models.ListRayClusterResponseBody),
    'emr_ray_job': (emr_client.Client, 'list_ray_job_with_options', emr_models.ListRayJobRequest,
                    ('workspace_id',), emr_models.ListRayJobResponseBody),
    'pai_dlc_job': (dlc_client.Client, 'list_jobs_with_options', dlc_models.ListJobsRequest, (),
                    dlc_models.ListJobsResponseBody),
    'maxcompute_running_job': (mc_client.Client, 'get_running_jobs_with_options', mc_models.GetRunningJobsRequest,
                               (), mc_models.GetRunningJobsResponseBody),
}
ALIBABA = sorted(name for name, endpoint in ENDPOINTS.items() if endpoint.cloud.name == 'alibaba')


# --- Reading an SDK model ----------------------------------------------------------------------------------

def _inner(annotation):
    args = typing.get_args(annotation)
    return args[0] if typing.get_origin(annotation) is list and args else annotation


def model_class(annotation):
    """The DaraModel class of a field (itself or its list's elements), or None for scalars and maps."""
    inner = _inner(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, DaraModel) else None


def wire_fields(cls):
    """{wire name: annotation} of an SDK model, the wire name being what its to_map() writes for the field."""
    return dict((wire, annotation) for wire, (_attribute, annotation) in model_fields(cls).items())


def wire_attributes(cls):
    """{wire name: Python attribute} of an SDK model (MaxCompute's "from" is the attribute from_)."""
    return dict((wire, attribute) for wire, (attribute, _annotation) in model_fields(cls).items())


def model_fields(cls):
    hints = typing.get_type_hints(cls.__init__)
    empty = cls().to_map()
    fields = {}
    for attribute, annotation in hints.items():
        if attribute == 'return':
            continue
        nested = model_class(annotation)
        probe = cls()
        value = nested() if nested else 'x'
        setattr(probe, attribute, [value] if typing.get_origin(annotation) is list else value)
        written = [key for key, item in probe.to_map().items() if key not in empty or item != empty[key]]
        assert len(written) == 1, '%s.%s writes %r' % (cls.__name__, attribute, written)
        fields[written[0]] = (attribute, annotation)
    return fields


def item_model(body_class, dotted):
    """The model of the items at the endpoint's dotted wire path inside a response body model."""
    cls = body_class
    for part in dotted.split('.'):
        cls = model_class(wire_fields(cls)[part])
        assert cls is not None, '%s: %s is not a model' % (body_class.__name__, dotted)
    return cls


# --- What the SDK client sends -----------------------------------------------------------------------------

class Captured(Exception):
    """Stops the SDK client where it would send the request."""


def sdk_sends(name, request, path_values):
    """(pathname, query) as the SDK client builds them: its *_with_options runs with call_api replaced."""
    client_class, method, _request_class, path_args, _body = SDK[name]
    client = client_class(openapi_models.Config(access_key_id='ak', access_key_secret='sk', endpoint='127.0.0.1',
                                                protocol='http'))
    seen = {}

    def call_api(params, req, runtime):
        seen['pathname'], seen['query'] = params.pathname, dict(req.query or {})
        raise Captured()

    client.call_api = call_api
    with pytest.raises(Captured):
        getattr(client, method)(*([path_values[arg] for arg in path_args] + [request, {}, RuntimeOptions()]))
    return seen['pathname'], seen['query']


TIME_STEPS = itertools.count()


def samples(param, annotation, variant):
    """(SDK value, option value) pairs meaning the same request, for one field; variant 0 or 1."""
    nested = model_class(annotation)
    if nested is not None:
        fields = model_fields(nested)
        sdk_values, option_values = {}, {}
        for field in param.fields:
            assert field.wire in fields, "%s.%s is no field of the SDK's %s" % (
                param.option, field.option, nested.__name__)
            attribute, field_annotation = fields[field.wire]
            sdk_value, option_value = samples(field, field_annotation, variant)
            sdk_values[attribute], option_values[field.option] = sdk_value, option_value
        return nested(**sdk_values), option_values
    if param.kind == 'time':
        # Each time sampled a second later than the one before (params are declared earliest first), so a
        # from/to window is never empty.
        seconds = 1768464000 + 3600 * variant + next(TIME_STEPS)
        if param.unit == 'iso':
            text = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
            return text, text
        value = seconds * 1000 if param.unit == 'ms' else seconds
        return value, value
    if param.choices:
        return param.choices[variant % len(param.choices)], param.choices[variant % len(param.choices)]
    if param.kind == 'bool':
        return bool(variant == 0), bool(variant == 0)
    if param.kind == 'int':
        return 7 + variant, 7 + variant
    if param.kind == 'list':
        items = ['q-gold', u'my quota \u8bad'] if variant == 0 else ['RAM$dev:bob', 'a+b/c']
        # The SDK types some lists as one string the caller comma-joins (DLC JobIds, ResourceIds).
        return (','.join(items) if annotation is str else list(items)), items
    if param.kind == 'map':
        value = {'team': 'ml a', 'env': 'prod', u'\u540d': u'\u503c'} if variant == 0 else {'z': '1', 'a': '2'}
        return dict(value), dict(value)
    text = u'a b+c/d*e~f\u8bad' if variant == 0 else 'plain-42'
    return text, text


# --- Request parity ----------------------------------------------------------------------------------------

def sdk_request_fields(name):
    endpoint = ENDPOINTS[name]
    paging = endpoint.paging
    paging_wires = set(w for w in (getattr(paging, 'number', None), getattr(paging, 'size', None)) if w)
    return dict((wire, annotation) for wire, annotation in wire_fields(SDK[name][2]).items()
                if wire not in paging_wires)


def test_every_alibaba_endpoint_is_covered():
    assert sorted(SDK) == ALIBABA


@pytest.mark.parametrize('name', ALIBABA)
def test_every_sdk_request_field_is_an_option_and_every_option_a_field(name):
    endpoint = ENDPOINTS[name]
    sdk = set(sdk_request_fields(name))
    ours = dict((param.wire, param.option) for param in endpoint.params if not param.in_path)
    not_options = sorted(sdk - set(ours))
    not_fields = sorted('%s (%s)' % (ours[wire], wire) for wire in set(ours) - sdk)
    assert not not_options, '%s: SDK request fields with no option: %s' % (name, ', '.join(not_options))
    assert not not_fields, '%s: options that are no SDK request field: %s' % (name, ', '.join(not_fields))
    # The SDK's paging fields are the ones the endpoint pages with.
    paging = endpoint.paging
    assert set(wire_fields(SDK[name][2])) - sdk == {paging.number, paging.size}, name


@pytest.mark.parametrize('variant', [0, 1])
@pytest.mark.parametrize('name', ALIBABA)
def test_every_option_is_encoded_as_the_sdk_encodes_it(name, variant):
    endpoint = ENDPOINTS[name]
    fields = sdk_request_fields(name)
    attributes = wire_attributes(SDK[name][2])
    request_values, options = {}, {}
    for param in endpoint.params:
        if param.in_path:
            options[param.option] = u'w-d2d82aa0 9155/\u8bad' if variant == 0 else 'w-plain'
            continue
        sdk_value, option_value = samples(param, fields[param.wire], variant)
        request_values[attributes[param.wire]] = sdk_value
        options[param.option] = option_value
    pathname, sdk_query = sdk_sends(name, SDK[name][2](**request_values),
                                    dict((p.option, options[p.option]) for p in endpoint.params if p.in_path))
    path_values, query = build_request(endpoint, options)
    different = sorted('%s: ours %r, the SDK %r' % (wire, query.get(wire), sdk_query.get(wire))
                       for wire in set(query) | set(sdk_query) if query.get(wire) != sdk_query.get(wire))
    assert not different, '%s: wire encodings differ from the SDK: %s' % (name, '; '.join(different))
    assert endpoint.path.format(**path_values) == pathname


def sdk_comment(cls, attribute):
    """The comment the SDK's generated __init__ puts above ``self.<attribute> = ...``."""
    lines = inspect.getsource(cls.__init__).split('\n')
    index = next(i for i, line in enumerate(lines) if line.strip().startswith('self.%s = ' % attribute))
    comment = []
    for line in reversed(lines[:index]):
        if not line.strip().startswith('#'):
            break
        comment.insert(0, line.strip().lstrip('#').strip())
    return ' '.join(comment)


@pytest.mark.parametrize('name', ALIBABA)
def test_page_size_maxima_are_documented_only_where_the_sdk_documents_one(name):
    paging = ENDPOINTS[name].paging
    comment = sdk_comment(SDK[name][2], wire_attributes(SDK[name][2])[paging.size])
    match = re.search(r'Maximum value: (\d+)', comment)
    if match:
        assert paging.documented and paging.maximum == int(match.group(1)), (name, comment)
    else:
        # Assumed: the module asks for this many, and the listing survives a server that serves fewer.
        assert not paging.documented, '%s: the SDK documents no maximum page size (%r)' % (name, comment)


def test_octopus_has_no_sdk_request_model():
    # The docs say the Octopus options come from the API reference page because the Huawei Cloud SDK has no
    # request model for QueryQueuedJobList. When one appears, this fails: take its fields, as above.
    names = [name for name in dir(octopus_models) if 'queu' in name.lower()]
    assert not names, 'the Octopus SDK now models the queued jobs: %s' % ', '.join(names)


# --- Response parity ---------------------------------------------------------------------------------------

def returned(name):
    endpoint = ENDPOINTS[name]
    module = importlib.import_module('ansible_collections.jobscope.cloud.plugins.modules.%s_info' % name)
    return yaml.safe_load(module.RETURN)[endpoint.result_key]['contains']


@pytest.mark.parametrize('name', ALIBABA)
def test_every_sdk_response_field_is_documented_in_return(name):
    endpoint = ENDPOINTS[name]
    item = item_model(SDK[name][4], endpoint.items)
    contains = returned(name)
    missing = []
    for wire, annotation in sorted(wire_fields(item).items()):
        key = snake(wire)
        if key not in contains:
            missing.append(key)
            continue
        nested = model_class(annotation)
        if nested is None:
            continue
        below = contains[key].get('contains') or {}
        missing.extend('%s.%s' % (key, snake(sub)) for sub in sorted(wire_fields(nested)) if snake(sub) not in below)
    assert not missing, '%s_info RETURN %s lacks SDK response fields: %s' % (
        name, endpoint.result_key, ', '.join(missing))


@pytest.mark.parametrize('name', ALIBABA)
def test_every_documented_field_is_a_sdk_response_field(name):
    # The other direction, so the docs do not promise what the API never returns.
    endpoint = ENDPOINTS[name]
    sdk = set(snake(wire) for wire in wire_fields(item_model(SDK[name][4], endpoint.items)))
    extra = sorted(set(returned(name)) - sdk)
    assert not extra, '%s_info RETURN documents fields the SDK model lacks: %s' % (name, ', '.join(extra))
