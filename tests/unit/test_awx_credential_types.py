# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The credential types of docs/awx/ against the collection's own names.

The controller types are rendered as AWX renders injectors (Jinja2 with the inputs, and tower.filename for a
file injector) and the result goes through the clouds' own credential chain and endpoint resolution: what an
administrator types in comes out as the credentials and the region the modules, inventory plugins and the gate
use. Every injected name is then taken away in turn, and something the collection resolves must change:
a name injected but never read would fail here. The EDA types inject extra variables: each must be templated
by one of the shipped rulebooks into an argument of jobscope.cloud.job_state_changes, which validates it as the
info module's own option and resolves it into credentials the same way.
"""

from __future__ import annotations

import os
import re

import pytest

yaml = pytest.importorskip('yaml')
jinja2 = pytest.importorskip('jinja2')
nativetypes = pytest.importorskip('jinja2.nativetypes')

from ansible_collections.jobscope.cloud.plugins.module_utils import alibaba, huawei  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TYPES = os.path.join(ROOT, 'docs', 'awx')
RULEBOOKS = os.path.join(ROOT, 'extensions', 'eda', 'rulebooks')
EVENT_SOURCE = os.path.join(ROOT, 'extensions', 'eda', 'plugins', 'event_source', 'job_state_changes.py')
SOURCE_KEY = 'jobscope.cloud.job_state_changes'

CLOUDS = {'alibaba': alibaba.CLOUD, 'huawei': huawei.CLOUD}
SERVICE = {'alibaba': 'pai-dlc', 'huawei': 'octopus'}
REGION = {'alibaba': 'cn-shanghai', 'huawei': 'cn-north-4'}

# What an administrator fills in: every field, AK/SK without the optional ones, and (Huawei) an IAM token alone.
SCENARIOS = {
    'alibaba': [
        {'access_key_id': 'LTAI-example-id', 'access_key_secret': 'sk/with+odd=chars%', 'security_token': 'sts-token',
         'region': 'cn-shanghai'},
        {'access_key_id': 'LTAI-example-id', 'access_key_secret': 'sk-only'},
    ],
    'huawei': [
        {'access_key_id': 'HW-AK', 'access_key_secret': 'hw/sk+%', 'security_token': 'hw-sts', 'project_id': 'p0123',
         'region': 'cn-north-4'},
        {'access_key_id': 'HW-AK', 'access_key_secret': 'hw-sk', 'project_id': 'p0123'},
        {'auth_token': 'MIIiam-token', 'project_id': 'p0123', 'region': 'cn-north-4'},
    ],
}


def load_types():
    found = []
    for name in sorted(os.listdir(TYPES)):
        if name.endswith('.yml'):
            with open(os.path.join(TYPES, name), encoding='utf-8') as handle:
                found.append((name, yaml.safe_load(handle)))
    return found


def cloud_of(name):
    return 'huawei' if 'huawei' in name else 'alibaba'


def controller_types():
    return [(name, spec) for name, spec in load_types() if 'extra_vars' not in spec['injectors']]


def eda_types():
    return [(name, spec) for name, spec in load_types() if 'extra_vars' in spec['injectors']]


def render(template, context):
    # AWX renders an input that was left empty as an empty string.
    return jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(template).render(**context)


def inject(spec, inputs, tmp_path):
    """The job's environment from a controller credential type, as AWX builds it."""
    context = dict((field['id'], inputs.get(field['id'], '')) for field in spec['inputs']['fields'])
    file_injector = spec['injectors'].get('file')
    if file_injector:
        path = tmp_path / 'credential'
        path.write_text(render(file_injector['template'], context), encoding='utf-8')
        os.chmod(str(path), 0o600)
        context['tower'] = {'filename': str(path)}
    return dict((name, render(value, context)) for name, value in spec['injectors']['env'].items())


def task_options(cloud_name, inputs):
    """A credential without a region leaves it to the task (module_defaults, the inventory source's file)."""
    return {} if inputs.get('region') else {'region': REGION[cloud_name]}


def outcome(cloud_name, env, inputs):
    """What the collection makes of an environment: credentials and base URL, or the option an error names."""
    cloud = CLOUDS[cloud_name]
    try:
        credentials = cloud.resolve_credentials({}, env=env)
        url = cloud.resolve_endpoint(SERVICE[cloud_name], task_options(cloud_name, inputs), env=env,
                                     credentials=credentials)
    except OptionError as exc:
        return ('error', exc.option)
    return (tuple(sorted((key, value) for key, value in vars(credentials).items() if key != 'source')), url)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """No credential file of the machine running the tests may be found."""
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    return tmp_path


def test_the_types_are_there():
    names = [name for name, _spec in load_types()]
    for expected in ('alibaba_cloud.yml', 'alibaba_cloud_file.yml', 'huawei_cloud.yml', 'huawei_cloud_file.yml',
                     'eda_alibaba_cloud.yml', 'eda_huawei_cloud.yml'):
        assert expected in names


@pytest.mark.parametrize('name,spec', load_types())
def test_inputs_are_complete_and_secrets_are_secret(name, spec):
    fields = dict((field['id'], field) for field in spec['inputs']['fields'])
    assert set(spec['inputs'].get('required', [])) <= set(fields), name
    for field_id, field in fields.items():
        assert field['label'] and field['type'] == 'string', (name, field_id)
        assert bool(field.get('secret')) == (field_id in ('access_key_secret', 'security_token', 'auth_token')), \
            (name, field_id)
    # Every input is injected somewhere, and only inputs are.
    text = yaml.safe_dump(spec['injectors'])
    used = set(re.findall(r'\b([a-z_]+)\b', ' '.join(re.findall(r'{[{%](.*?)[}%]}', text))))
    assert set(fields) <= used, name
    assert used - set(fields) <= {'if', 'else', 'endif', 'tower', 'filename'}, name


@pytest.mark.parametrize('name,spec', controller_types())
def test_controller_type_gives_the_collection_what_was_typed_in(name, spec, home):
    cloud_name = cloud_of(name)
    fields = set(field['id'] for field in spec['inputs']['fields'])
    for inputs in SCENARIOS[cloud_name]:
        if not set(inputs) <= fields:
            continue  # an IAM token has no place in a credentials file
        env = inject(spec, inputs, home)
        credentials = CLOUDS[cloud_name].resolve_credentials({}, env=env)
        for key in ('access_key_id', 'access_key_secret', 'security_token', 'auth_token', 'project_id'):
            if key in fields:
                assert getattr(credentials, key, None) == (inputs.get(key) or None), (name, key, inputs)
        url = CLOUDS[cloud_name].resolve_endpoint(SERVICE[cloud_name], task_options(cloud_name, inputs), env=env,
                                                  credentials=credentials)
        assert REGION[cloud_name] in url, (name, url)


@pytest.mark.parametrize('name,spec', controller_types())
def test_every_injected_variable_is_one_the_collection_reads(name, spec, home):
    cloud_name = cloud_of(name)
    fields = set(field['id'] for field in spec['inputs']['fields'])
    unread = set(spec['injectors']['env'])
    for inputs in SCENARIOS[cloud_name]:
        if not set(inputs) <= fields:
            continue
        env = inject(spec, inputs, home)
        whole = outcome(cloud_name, env, inputs)
        assert whole[0] != 'error', (name, inputs, whole)
        for variable in list(unread):
            if outcome(cloud_name, dict((k, v) for k, v in env.items() if k != variable), inputs) != whole:
                unread.discard(variable)
    assert not unread, '%s injects %s, which jobscope.cloud does not read' % (name, ', '.join(sorted(unread)))


def rulebook_sources():
    """(rulebook, arguments of each jobscope.cloud.job_state_changes source) of the shipped rulebooks."""
    found = []
    for name in sorted(os.listdir(RULEBOOKS)):
        if name.endswith(('.yml', '.yaml')):
            with open(os.path.join(RULEBOOKS, name), encoding='utf-8') as handle:
                for ruleset in yaml.safe_load(handle):
                    for source in ruleset.get('sources', []):
                        if SOURCE_KEY in source:
                            found.append((name, source[SOURCE_KEY]))
    return found


def event_source():
    """The event source module, imported from its file (extensions/ is no Python package)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location('jobscope_job_state_changes', EVENT_SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('name,spec', eda_types())
def test_every_extra_variable_reaches_the_event_source(name, spec, home):
    cloud_name = cloud_of(name)
    injected = spec['injectors']['extra_vars']
    source = event_source()
    native = nativetypes.NativeEnvironment()
    read_by = {}
    for inputs in SCENARIOS[cloud_name]:
        context = dict((field['id'], inputs.get(field['id'], '')) for field in spec['inputs']['fields'])
        extra_vars = dict((var, render(template, context)) for var, template in injected.items())
        for rulebook, arguments in rulebook_sources():
            templated = dict((key, value) for key, value in arguments.items()
                             if isinstance(value, str) and set(re.findall(r'\b(\w+)\b', value)) & set(injected))
            if not templated:
                continue
            variables = dict(extra_vars, workspace_id='w-1', dlc_workspace_id='w-1')
            args = {}
            for key, value in arguments.items():
                args[key] = native.from_string(value).render(**variables) if isinstance(value, str) else value
                if args[key] == '':
                    args[key] = None
            for key, value in templated.items():
                for var in set(re.findall(r'\b(\w+)\b', value)) & set(injected):
                    read_by.setdefault(var, set()).add('%s:%s' % (rulebook, key))
            endpoint, options = source.validate(args)[:2]
            assert endpoint.cloud is CLOUDS[cloud_name], (rulebook, name)
            credentials = CLOUDS[cloud_name].resolve_credentials(options, env={})
            for key in ('access_key_id', 'access_key_secret', 'security_token', 'auth_token', 'project_id'):
                if 'huawei_%s' % key in injected or 'alibaba_%s' % key in injected:
                    assert getattr(credentials, key, None) == (inputs.get(key) or None), (rulebook, key, inputs)
    missing = sorted(set(injected) - set(read_by))
    assert not missing, '%s injects %s, which no shipped rulebook passes to %s' % (name, ', '.join(missing), SOURCE_KEY)


def test_the_guide_shows_every_type():
    with open(os.path.join(ROOT, 'docs', 'awx.md'), encoding='utf-8') as handle:
        guide = handle.read()
    for name, spec in load_types():
        assert 'awx/%s' % name in guide, name
        assert spec['name'] in guide, name
    assert 'enabled_var' in guide and 'unparsed_is_failed' in guide
    assert 'execution-environment.yml' in guide
