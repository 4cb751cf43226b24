# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Ray cloud object (address, headers, token) and the ray_job listing, against a response recorded from
a real Ray 2.60.0 head (fixtures/ray_api_jobs.json: GET /api/jobs/ after one job succeeded, one failed and one
was stopped; tests/functional/test_ray.py runs the same against a live head)."""

from __future__ import annotations

import io
import json
import os

import pytest

requests = pytest.importorskip('requests')

from requests.adapters import BaseAdapter  # noqa: E402
from requests.structures import CaseInsensitiveDict  # noqa: E402

from ansible_collections.jobscope.cloud.plugins.module_utils import listing, ray  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError  # noqa: E402

ENDPOINT = ENDPOINTS['ray_job']
RECORDED = os.path.join(os.path.dirname(__file__), 'fixtures', 'ray_api_jobs.json')
TOKEN = 'emr-dashboard-token-3f9a'
EMR_URL = 'https://ray-c-123.cn-hangzhou.emr.aliyuncs.com/dashboard/?token=' + TOKEN


def recorded():
    with open(RECORDED) as handle:
        return handle.read()


class Recorded(BaseAdapter):
    """Answers every request with a status and body; keeps the requests."""

    def __init__(self, status=200, text=None, headers=None):
        super(Recorded, self).__init__()
        self.status, self.text, self.headers = status, recorded() if text is None else text, headers or {}
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append(request)
        response = requests.Response()
        response.status_code = self.status
        response.raw = io.BytesIO(self.text.encode('utf-8'))  # read raw, as urllib3's response is
        response.raw.release_conn = lambda: None
        response.raw.read = lambda amt=None, decode_content=True, read=response.raw.read: read(amt)
        response.headers = CaseInsensitiveDict(self.headers)
        response.encoding = 'utf-8'
        response.request = request
        response.url = request.url
        return response

    def close(self):
        pass


def run(options, adapter=None, env=None):
    adapter = adapter or Recorded()
    plan = listing.Plan(ENDPOINT, options, env=env or {})
    transport = plan.transport()
    transport.session.mount('http://', adapter)
    transport.session.mount('https://', adapter)
    try:
        result, outcome = plan.run(transport)
    finally:
        transport.close()
    return result, outcome, adapter


# --- the address, headers and token ---------------------------------------------------------------

def test_the_address_option_comes_first_then_the_environment_as_ray_reads_it():
    env = {'RAY_API_SERVER_ADDRESS': 'http://api:8265', 'RAY_ADDRESS': 'http://other:8265'}
    assert ray.resolve_credentials({'address': 'http://given:8265/'}, env=env).base == 'http://given:8265'
    assert ray.resolve_credentials({}, env=env).base == 'http://api:8265'
    assert ray.resolve_credentials({}, env={'RAY_ADDRESS': 'https://h/x/'}).base == 'https://h/x'


@pytest.mark.parametrize('options, env, words', [
    ({}, {}, ['address is required', 'RAY_API_SERVER_ADDRESS']),
    ({}, {'RAY_ADDRESS': 'auto'}, ['environment RAY_ADDRESS', 'dashboard URL']),
    ({}, {'RAY_ADDRESS': '127.0.0.1:6379'}, ['dashboard URL']),
    ({'address': 'ray://head:10001'}, {}, ['dashboard URL']),
    ({'address': 'http://user:pw-secret@head:8265'}, {}, ['user:password@']),
    ({'address': 'http://head:8265/#x'}, {}, ['fragment']),
    ({'address': 'http://head:99999'}, {}, ['not a valid URL']),
])
def test_a_bad_address_fails_naming_the_option_without_quoting_it(options, env, words):
    with pytest.raises(OptionError) as info:
        ray.resolve_credentials(options, env=env)
    assert info.value.option == 'address'
    for word in words:
        assert word in str(info.value)
    assert 'pw-secret' not in str(info.value)


def test_the_query_of_the_address_goes_with_every_request_and_never_into_the_base():
    creds = ray.resolve_credentials({'address': EMR_URL}, env={})
    assert creds.base == 'https://ray-c-123.cn-hangzhou.emr.aliyuncs.com/dashboard'
    assert creds.query == [('token', TOKEN)]
    dialect = ray.RayDialect(creds.base, ENDPOINT.action, None, creds)
    url, headers = dialect.sign('GET', ENDPOINT.path, {})
    assert url == 'https://ray-c-123.cn-hangzhou.emr.aliyuncs.com/dashboard/api/jobs/?token=' + TOKEN
    assert headers == {'Accept': 'application/json'}
    assert TOKEN not in dialect.base


def test_headers_from_the_option_or_ray_job_headers():
    assert ray.resolve_credentials({'address': 'http://h', 'headers': {'X-Proxy': 'p', 'X-N': 3}}, env={}).headers \
        == {'X-Proxy': 'p', 'X-N': '3'}
    env = {'RAY_JOB_HEADERS': '{"Authorization": "Basic abc"}'}
    assert ray.resolve_credentials({'address': 'http://h'}, env=env).headers == {'Authorization': 'Basic abc'}
    # The option wins, even an empty one.
    assert ray.resolve_credentials({'address': 'http://h', 'headers': {}}, env=env).headers == {}


@pytest.mark.parametrize('options, env', [
    ({'headers': {'Bad Name': 'x'}}, {}),
    ({'headers': {'X-A': 'line\nbreak'}}, {}),
    ({'headers': {'X-A': None}}, {}),
    ({'headers': {'X-A': {'nested': 1}}}, {}),
    ({}, {'RAY_JOB_HEADERS': 'not json'}),
    ({}, {'RAY_JOB_HEADERS': '["a"]'}),
])
def test_bad_headers_fail_naming_headers(options, env):
    with pytest.raises(OptionError) as info:
        ray.resolve_credentials(dict(options, address='http://h'), env=env)
    assert info.value.option == 'headers'


def test_the_token_is_a_bearer_header_unless_the_headers_authorize_already(tmp_path):
    assert ray.resolve_credentials({'address': 'http://h', 'auth_token': 't1'}, env={}).headers == \
        {'Authorization': 'Bearer t1'}
    assert ray.resolve_credentials({'address': 'http://h'}, env={'RAY_AUTH_TOKEN': 't2'}).headers == \
        {'Authorization': 'Bearer t2'}
    path = tmp_path / 'auth_token'
    path.write_text('t3\n')
    assert ray.resolve_credentials({'address': 'http://h'}, env={'RAY_AUTH_TOKEN_PATH': str(path)}).headers == \
        {'Authorization': 'Bearer t3'}
    given = {'address': 'http://h', 'auth_token': 't1', 'headers': {'authorization': 'Basic x'}}
    assert ray.resolve_credentials(given, env={}).headers == {'authorization': 'Basic x'}


@pytest.mark.parametrize('content', [None, ''])
def test_an_unreadable_or_empty_token_file_fails_naming_auth_token(tmp_path, content):
    path = tmp_path / 'auth_token'
    if content is not None:
        path.write_text(content)
    with pytest.raises(OptionError) as info:
        ray.resolve_credentials({'address': 'http://h'}, env={'RAY_AUTH_TOKEN_PATH': str(path)})
    assert info.value.option == 'auth_token' and 'RAY_AUTH_TOKEN_PATH' in str(info.value)


def test_the_secret_values_are_the_token_of_the_url_the_headers_and_the_bearer_token():
    options = {'address': EMR_URL, 'headers': {'X-Proxy': 'proxy-secret'}, 'auth_token': 'bearer-secret'}
    creds = ray.resolve_credentials(options, env={})
    values = ray.CLOUD.secret_values(options, creds)
    assert {TOKEN, 'proxy-secret', 'bearer-secret', 'Bearer bearer-secret'} <= values
    # Found in the environment only: still known to the listing's scrubber.
    creds = ray.resolve_credentials({}, env={'RAY_ADDRESS': EMR_URL, 'RAY_AUTH_TOKEN': 'env-token'})
    assert {TOKEN, 'env-token'} <= ray.CLOUD.secret_values({}, creds)


# --- the listing, from the recorded response ------------------------------------------------------

def test_the_recorded_listing_is_returned_whole_in_one_request():
    result, outcome, adapter = run({'address': 'http://127.0.0.1:8265'})
    raw = json.loads(recorded())
    assert len(adapter.sent) == 1
    assert adapter.sent[0].url == 'http://127.0.0.1:8265/api/jobs/'
    assert result['complete'] is True and 'total' not in result and outcome.warnings == []
    jobs = result['jobs']
    assert [job['submission_id'] for job in jobs] == [job['submission_id'] for job in raw]
    assert sorted(job['status'] for job in jobs) == ['FAILED', 'STOPPED', 'SUCCEEDED']
    for job in jobs:
        assert all(key == key.lower() and ' ' not in key for key in job), job
    succeeded = next(job for job in jobs if job['status'] == 'SUCCEEDED')
    # The user's own maps keep their keys.
    assert succeeded['metadata'] == {'team': 'ml', 'Owner': 'Ann'}
    assert succeeded['runtime_env'] == {'env_vars': {'MY_VAR': 'x'}}
    assert isinstance(succeeded['start_time'], int) and isinstance(succeeded['end_time'], int)


@pytest.mark.parametrize('options, ids', [
    ({'status': 'FAILED'}, ['rec-fail']),
    ({'status': 'RUNNING'}, []),
    ({'submission_id': 'rec-ok'}, ['rec-ok']),
    ({'type': 'SUBMISSION'}, ['rec-long', 'rec-ok', 'rec-fail']),
    ({'type': 'DRIVER'}, []),
    ({'entrypoint': 'sys.exit'}, ['rec-fail']),
    ({'metadata': {'team': 'ml'}}, ['rec-ok']),
    ({'metadata': {'team': 'ml', 'Owner': 'Bob'}}, []),
    ({'status': 'SUCCEEDED', 'metadata': {'Owner': 'Ann'}}, ['rec-ok']),
])
def test_the_controller_side_filters(options, ids):
    result, _outcome, adapter = run(dict(options, address='http://127.0.0.1:8265'))
    assert [job['submission_id'] for job in result['jobs']] == ids
    assert adapter.sent[0].url == 'http://127.0.0.1:8265/api/jobs/'  # nothing of them is sent


def test_max_items_and_fields():
    result, _outcome, _adapter = run({'address': 'http://h:8265', 'max_items': 2, 'fields': ['submission_id']})
    assert result['jobs'] == [{'submission_id': 'rec-long'}, {'submission_id': 'rec-ok'}]


def test_an_emr_url_sends_its_token_and_no_error_shows_it():
    adapter = Recorded()
    run({'address': EMR_URL}, adapter)
    assert adapter.sent[0].url.endswith('/dashboard/api/jobs/?token=' + TOKEN)

    class Refusing(Recorded):
        def send(self, request, **kwargs):
            raise requests.exceptions.ConnectionError('Max retries exceeded with url: %s' % request.url)

    with pytest.raises(CloudError) as info:
        run({'address': EMR_URL, 'max_retries': 0}, Refusing())
    assert TOKEN not in str(info.value) and 'connection failed' in str(info.value)


@pytest.mark.parametrize('status, text, words', [
    (401, 'Unauthorized', ['HTTP 401', 'token']),
    (404, '404: Not Found', ['HTTP 404', '14 bytes']),  # described, never quoted
    (500, '{"message": "job manager down"}', ['HTTP 500', 'job manager down']),
    (200, '{"jobs": []}', ['not a list']),
    (200, '', ['malformed']),
])
def test_errors_and_bodies_of_the_wrong_shape_fail_loudly(status, text, words):
    with pytest.raises(CloudError) as info:
        run({'address': 'http://h:8265', 'max_retries': 0}, Recorded(status, text))
    for word in words:
        assert word in str(info.value)


def test_a_garbled_body_is_retried():
    class Flaky(Recorded):
        def send(self, request, **kwargs):
            self.text = '"garbled' if not self.sent else recorded()
            return super(Flaky, self).send(request, **kwargs)

    adapter = Flaky()
    plan = listing.Plan(ENDPOINT, {'address': 'http://h:8265', 'max_retries': 1}, env={})
    transport = plan.transport()
    transport.sleep = lambda seconds: None
    transport.session.mount('http://', adapter)
    try:
        result, _outcome = plan.run(transport)
    finally:
        transport.close()
    assert len(adapter.sent) == 2 and len(result['jobs']) == 3


@pytest.mark.parametrize('option, value', [('page_size', 10), ('status', 'running'), ('type', 'driver'),
                                           ('metadata', {'team': ['ml']})])
def test_bad_options_fail_before_any_request(option, value):
    with pytest.raises(OptionError) as info:
        run({'address': 'http://h:8265', option: value})
    assert info.value.option == option


def test_a_driver_job_is_identified_by_its_job_id():
    # A DRIVER job (a script that connected to the cluster itself) has no submission ID.
    jobs = json.loads(recorded())
    driver = dict(jobs[0], type='DRIVER', submission_id=None, job_id='02000000', status='RUNNING')
    text = json.dumps(jobs + [driver, dict(driver)])
    result, outcome, _adapter = run({'address': 'http://h:8265'}, Recorded(text=text))
    assert [job['job_id'] for job in result['jobs'] if job['type'] == 'DRIVER'] == ['02000000']
    assert result['complete'] is False and outcome.warnings  # the same driver twice: the listing changed
    assert ENDPOINT.id_of(driver) == '02000000' and ENDPOINT.id_of(jobs[0]) == jobs[0]['submission_id']
