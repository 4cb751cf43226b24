# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The five info modules: argument specs against their documentation, and run_info_module end to end with
requests faked at the HTTP adapter."""

from __future__ import annotations

import contextlib
import importlib
import io
import json

import pytest

yaml = pytest.importorskip('yaml')
requests = pytest.importorskip('requests')

from requests.structures import CaseInsensitiveDict  # noqa: E402

from ansible_collections.jobscope.cloud.plugins.module_utils import info  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS  # noqa: E402

COLLECTION = 'ansible_collections.jobscope.cloud.plugins'
SECRETS = ('access_key_secret', 'security_token', 'auth_token')


def module_of(name):
    return importlib.import_module('%s.modules.%s_info' % (COLLECTION, name))


def documented_options(module):
    """The module's options merged with those of its doc fragments, as ansible-doc would."""
    doc = yaml.safe_load(module.DOCUMENTATION)
    options = {}
    for fragment in doc.get('extends_documentation_fragment', []):
        parts = fragment.split('.')
        assert parts[:2] == ['jobscope', 'cloud'], fragment
        holder = importlib.import_module('%s.doc_fragments.%s' % (COLLECTION, parts[2])).ModuleDocFragment
        text = getattr(holder, parts[3].upper()) if len(parts) > 3 else holder.DOCUMENTATION
        options.update(yaml.safe_load(text).get('options') or {})
    options.update(doc.get('options') or {})
    return doc, options


def compare(documented, spec, where):
    assert set(documented) == set(spec), where
    for name, doc in documented.items():
        arg = spec[name]
        here = '%s.%s' % (where, name)
        assert doc.get('type', 'str') == arg.get('type', 'str'), here
        assert doc.get('default') == arg.get('default'), here
        assert bool(doc.get('required', False)) == bool(arg.get('required', False)), here
        assert doc.get('choices') == arg.get('choices'), here
        if arg.get('type') == 'list':
            assert doc.get('elements') == arg.get('elements'), here
        if 'suboptions' in doc or 'options' in arg:
            compare(doc.get('suboptions') or {}, arg.get('options') or {}, here)


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_argument_spec_matches_the_documentation(name):
    module = module_of(name)
    doc, options = documented_options(module)
    assert doc['module'] == '%s_info' % name
    compare(options, info.argument_spec(ENDPOINTS[name]), doc['module'])


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_credentials_are_no_log(name):
    spec = info.argument_spec(ENDPOINTS[name])
    for option in SECRETS:
        if option in spec:
            assert spec[option].get('no_log') is True, option
    for option in ('page_size', 'max_items', 'concurrency', 'redact', 'wait', 'timeout', 'max_retries',
                   'validate_certs'):
        assert option in spec
        assert not spec[option].get('no_log')
    if ENDPOINTS[name].cloud.name == 'ray':
        # The address too: a dashboard URL may carry its token.
        assert [option for option in spec if spec[option].get('no_log')] == ['address', 'headers', 'auth_token']
        return
    assert spec['access_key_secret']['no_log'] is True
    assert spec['security_token']['no_log'] is True
    if ENDPOINTS[name].cloud.name == 'huawei':
        assert spec['auth_token']['no_log'] is True
        assert 'project_id' in spec and 'endpoint_type' not in spec and 'profile' not in spec
    else:
        assert 'auth_token' not in spec
        assert spec['endpoint_type']['choices'] == ['public', 'vpc'] and 'profile' in spec
    # Nothing else is marked no_log (an id is not a secret; marking it would mask ids in results).
    assert spec['access_key_id'].get('no_log') is False
    for option in ('endpoint', 'region', 'page_size', 'max_items', 'concurrency', 'redact', 'wait', 'timeout',
                   'max_retries', 'validate_certs'):
        assert option in spec
        assert not spec[option].get('no_log')


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_module_main_runs_its_endpoint(name, monkeypatch):
    module = module_of(name)
    seen = []
    monkeypatch.setattr(module, 'run_info_module', seen.append)
    module.main()
    assert seen == [name]


# --- run_info_module end to end -----------------------------------------------------------------

def response(status, body, headers=None):
    result = requests.Response()
    result.status_code = status
    result.raw = io.BytesIO(json.dumps(body).encode('utf-8'))
    result.raw.release_conn = lambda: None
    result.raw.read = lambda amt=None, decode_content=True, read=result.raw.read: read(amt)
    result.headers = CaseInsensitiveDict(headers or {})
    result.encoding = 'utf-8'
    return result


@pytest.fixture
def http(monkeypatch):
    """Fake HTTP at the adapter: a function of the prepared request returns each response."""
    state = {'handler': None, 'sent': []}

    def send(self, request, **kwargs):
        state['sent'].append(request)
        answer = state['handler'](request)
        answer.request = request
        answer.url = request.url
        return answer

    monkeypatch.setattr(requests.adapters.HTTPAdapter, 'send', send)
    return state


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    monkeypatch.setenv('HOME', str(tmp_path))
    for name in ('ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN',
                 'ALIBABA_CLOUD_PROFILE', 'ALIBABA_CLOUD_REGION_ID', 'HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK',
                 'HUAWEICLOUD_SDK_PROJECT_ID'):
        monkeypatch.delenv(name, raising=False)


@contextlib.contextmanager
def module_args(args):
    """The module arguments AnsibleModule reads, on every ansible-core the collection supports.

    ansible-core 2.19 added ansible.module_utils.testing.patch_module_args (its module argument
    loading changed then); 2.16 to 2.18 read the JSON in basic._ANSIBLE_ARGS.
    """
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:
        from ansible.module_utils import basic
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode('utf-8')
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved
    else:
        with patch_module_args(args):
            yield


def run_module(name, args, capsys):
    """Run the module; return its exit code, its result, and the result as JSON text as the user can see it.

    From ansible-core 2.22 a module's raw output also lists the no_log values it saw under
    _ansible_new_secrets, for the controller, which removes that key and masks those values everywhere
    (ansible/_internal/_task.py). Only that key may carry a secret: it is checked and dropped here, so the
    text returned is what reaches results, callbacks and registered variables.
    """
    with module_args(args):
        with pytest.raises(SystemExit) as exit_info:
            info.run_info_module(name)
    result = json.loads(capsys.readouterr().out)
    new_secrets = result.pop('_ansible_new_secrets', [])
    assert isinstance(new_secrets, list) and all(isinstance(value, str) for value in new_secrets)
    no_log = [args[option] for option in SECRETS if args.get(option)]
    no_log += [str(value) for value in (args.get('headers') or {}).values()]
    if args.get('address'):
        no_log.append(args['address'])  # Ray's no_log address, and the token inside it
    assert all(any(secret in value for value in no_log) for secret in new_secrets), \
        'only no_log option values (or secrets inside them) are declared as secrets'
    return exit_info.value.code, result, json.dumps(result)


DLC_ARGS = {'endpoint': 'http://127.0.0.1:9', 'access_key_id': 'AKID', 'access_key_secret': 'very-secret-sk',
            'security_token': 'very-secret-sts', 'page_size': 2, 'status': 'Running'}


def dlc_page(request, total=3):
    from urllib.parse import parse_qs, urlsplit
    query = parse_qs(urlsplit(request.url).query)
    number = int(query['PageNumber'][0])
    jobs = [{'JobId': 'dlc-%d' % index, 'Status': 'Running', 'Envs': {'MY_ENV_Key': 'v'},
             'JobSpecs': [{'ImageConfig': {'Password': 'registry-pass'}}]}
            for index in range((number - 1) * 2, min(number * 2, total))]
    return response(200, {'RequestId': 'r-%d' % number, 'TotalCount': total, 'Jobs': jobs})


def test_run_info_module_lists_shapes_and_redacts(http, clean_env, capsys):
    http['handler'] = dlc_page
    code, result, raw = run_module('pai_dlc_job', DLC_ARGS, capsys)
    assert code == 0
    assert result['changed'] is False
    assert result['complete'] is True
    assert result['total'] == 3
    assert [job['job_id'] for job in result['jobs']] == ['dlc-0', 'dlc-1', 'dlc-2']
    assert result['jobs'][0]['envs'] == {'MY_ENV_Key': 'v'}
    assert result['jobs'][0]['job_specs'][0]['image_config']['password'] == '********'
    assert 'registry-pass' not in raw
    assert 'very-secret-sk' not in raw and 'very-secret-sts' not in raw
    assert len(http['sent']) == 2
    for request in http['sent']:
        assert 'Status=Running' in request.url
        assert request.headers['x-acs-security-token'] == 'very-secret-sts'


def test_run_info_module_fails_with_the_option_named(http, clean_env, capsys):
    http['handler'] = dlc_page
    args = dict(DLC_ARGS, page_size=21, from_time=1, to_time=2)
    del args['status']
    code, result, _raw = run_module('maxcompute_running_job', args, capsys)
    assert code == 1
    assert result['failed'] is True
    assert result['option'] == 'page_size'
    assert http['sent'] == []


def test_run_info_module_reports_cloud_errors(http, clean_env, capsys):
    denied = {'Code': 'Forbidden.RAM', 'Message': 'denied', 'RequestId': 'req-403'}
    http['handler'] = lambda request: response(403, denied)
    code, result, raw = run_module('pai_dlc_job', DLC_ARGS, capsys)
    assert code == 1
    assert result['http_status'] == 403
    assert result['error_code'] == 'Forbidden.RAM'
    assert result['request_id'] == 'req-403'
    assert result['operation'] == 'ListJobs'
    assert 'denied' in result['msg']
    assert 'very-secret-sk' not in raw


def test_run_info_module_waits_and_fails_on_fail_if(http, clean_env, capsys):
    http['handler'] = dlc_page
    args = dict(DLC_ARGS, wait={'fail_if': "jobs[?job_id == 'dlc-2']", 'timeout': 10, 'sleep': 1})
    code, result, _raw = run_module('pai_dlc_job', args, capsys)
    assert code == 1
    assert 'wait.fail_if' in result['msg']
    assert len(result['jobs']) == 3
    assert result['wait']['attempts'] == 1


def test_run_info_module_wait_until_already_true(http, clean_env, capsys):
    http['handler'] = dlc_page
    args = dict(DLC_ARGS, wait={'until': "length(jobs) == `3`", 'timeout': 10, 'sleep': 1})
    code, result, _raw = run_module('pai_dlc_job', args, capsys)
    assert code == 0
    assert result['wait']['attempts'] == 1


def test_run_info_module_invalid_wait_expression_fails_before_requests(http, clean_env, capsys):
    http['handler'] = dlc_page
    args = dict(DLC_ARGS, wait={'until': 'jobs[?', 'timeout': 10, 'sleep': 1})
    code, result, _raw = run_module('pai_dlc_job', args, capsys)
    assert code == 1
    assert result['option'] == 'wait.until'
    assert http['sent'] == []


def test_run_info_module_huawei(http, clean_env, capsys):
    def handler(request):
        page = {'list': [{'id': 'q1', 'queue_type': 'USER', 'job_id': 7}],
                'page_info': {'offset': 0, 'limit': 100, 'total': 1}}
        return response(200, {'meta_info': {'current_time': 1}, 'payload': page})

    http['handler'] = handler
    code, result, raw = run_module('octopus_queued_job', {
        'endpoint': 'http://127.0.0.1:9', 'access_key_id': 'HWAK', 'access_key_secret': 'hw-secret-sk',
        'project_id': 'proj1', 'queue_type': 'USER'}, capsys)
    assert code == 0
    assert result['jobs'] == [{'id': 'q1', 'queue_type': 'USER', 'job_id': 7}]
    request = http['sent'][0]
    assert request.url == 'http://127.0.0.1:9/v1.0/proj1/data/queuing-jobs?limit=100&offset=0&queue_type=USER'
    assert request.headers['Authorization'].startswith('SDK-HMAC-SHA256 Access=HWAK, ')
    assert 'hw-secret-sk' not in raw


# --- Ray: a dashboard URL with its token ---------------------------------------------------------

RAY_TOKEN = 'emr-dashboard-token-7c1d'
RAY_ARGS = {'address': 'https://ray-c-1.example.com/dashboard?token=' + RAY_TOKEN,
            'headers': {'X-Proxy-Auth': 'proxy-secret-value'}}
RAY_JOBS = [
    {'type': 'SUBMISSION', 'submission_id': 'raysubmit_1', 'job_id': None, 'status': 'SUCCEEDED',
     'entrypoint': 'python train.py', 'message': 'Job finished successfully.', 'start_time': 1796146502594,
     'end_time': 1796146509533, 'metadata': {'team': 'ml'}, 'runtime_env': None},
    {'type': 'SUBMISSION', 'submission_id': 'raysubmit_2', 'job_id': None, 'status': 'FAILED',
     'entrypoint': 'python etl.py', 'message': 'exit code 3', 'start_time': 1796146502830,
     'end_time': 1796146512615, 'metadata': None, 'runtime_env': None},
]


def test_ray_job_info_sends_the_token_as_given_and_never_shows_it(http, clean_env, capsys):
    http['handler'] = lambda request: response(200, RAY_JOBS)
    code, result, raw = run_module('ray_job', dict(RAY_ARGS, status='FAILED'), capsys)
    assert code == 0 and result['complete'] is True
    assert [job['submission_id'] for job in result['jobs']] == ['raysubmit_2']
    assert http['sent'][0].url == 'https://ray-c-1.example.com/dashboard/api/jobs/?token=' + RAY_TOKEN
    assert http['sent'][0].headers['X-Proxy-Auth'] == 'proxy-secret-value'
    assert RAY_TOKEN not in raw and 'proxy-secret-value' not in raw


@pytest.mark.parametrize('args', [
    dict(RAY_ARGS, status='bogus'),            # refused by AnsibleModule itself
    dict(RAY_ARGS, page_size=10),              # refused by the Plan
    dict(RAY_ARGS, wait={'until': '[[['}),     # refused by the gate
])
def test_ray_job_info_failures_never_show_the_token(http, clean_env, capsys, args):
    http['handler'] = lambda request: response(200, RAY_JOBS)
    code, result, raw = run_module('ray_job', args, capsys)
    assert code == 1 and result['failed'] is True
    # shown from -vvv on, masked; not every ansible-core returns an invocation with these failures
    # (2.16 to 2.18 never do, 2.21 not for a failure inside argument parsing)
    if 'invocation' in result:
        assert result['invocation']['module_args']['address']
    assert RAY_TOKEN not in raw and 'proxy-secret-value' not in raw
    assert http['sent'] == []


def test_ray_job_info_cloud_errors_never_show_the_token(http, clean_env, capsys):
    def refuse(request):
        raise requests.exceptions.ConnectionError('Max retries exceeded with url: %s' % request.url)

    http['handler'] = refuse
    code, result, raw = run_module('ray_job', dict(RAY_ARGS, max_retries=0), capsys)
    assert code == 1 and 'connection failed' in result['msg']
    assert RAY_TOKEN not in raw
