# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Both credential chains, with fake environments and a temporary home directory."""

from __future__ import annotations

import json

import pytest

from ansible_collections.jobscope.cloud.plugins.module_utils import alibaba, huawei
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError

SECRET = 'S3cr3t-never-shown'
TOKEN = 'T0ken-never-shown'


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty home; the real one (and the real environment) must never be read."""
    monkeypatch.setenv('HOME', str(tmp_path))
    for name in ('ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN',
                 'ALIBABA_CLOUD_PROFILE', 'ALIBABA_CLOUD_CREDENTIALS_FILE', 'ALIBABA_CLOUD_REGION_ID',
                 'HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_SDK_PROJECT_ID',
                 'HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HUAWEICLOUD_SDK_CREDENTIALS_FILE', 'HUAWEICLOUD_SDK_AUTH_TOKEN'):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding='utf-8')
    return path


def cli_config(home, profiles, current=None):
    config = {'profiles': profiles}
    if current:
        config['current'] = current
    return _write(home / '.aliyun' / 'config.json', json.dumps(config))


def ini(path, text):
    return _write(path, text)


def assert_no_secret(exc, *secrets):
    text = str(exc) + ' ' + repr(exc) + ' ' + str(getattr(exc, 'message', ''))
    for secret in secrets:
        assert secret not in text


# --- Alibaba ------------------------------------------------------------------------------------

def test_alibaba_options_win_over_environment_and_files(home):
    cli_config(home, [{'name': 'default', 'mode': 'AK', 'access_key_id': 'FILE', 'access_key_secret': 'fs'}],
               current='default')
    env = {'ALIBABA_CLOUD_ACCESS_KEY_ID': 'ENV', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET': 'es'}
    creds = alibaba.resolve_credentials({'access_key_id': 'OPT', 'access_key_secret': SECRET,
                                         'security_token': TOKEN}, env=env, home=str(home))
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == ('OPT', SECRET, TOKEN)
    assert creds.source == 'module options'


def test_alibaba_environment_wins_over_files(home):
    cli_config(home, [{'name': 'default', 'mode': 'AK', 'access_key_id': 'FILE', 'access_key_secret': 'fs'}],
               current='default')
    env = {'ALIBABA_CLOUD_ACCESS_KEY_ID': 'ENV', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET': 'es',
           'ALIBABA_CLOUD_SECURITY_TOKEN': 'etok'}
    creds = alibaba.resolve_credentials({}, env=env, home=str(home))
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == ('ENV', 'es', 'etok')


def test_alibaba_empty_options_fall_through_to_environment(home):
    env = {'ALIBABA_CLOUD_ACCESS_KEY_ID': 'ENV', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET': 'es'}
    creds = alibaba.resolve_credentials({'access_key_id': None, 'access_key_secret': None, 'security_token': None},
                                        env=env, home=str(home))
    assert creds.access_key_id == 'ENV'
    assert creds.security_token is None


def test_alibaba_cli_profile_ak_mode_current(home):
    cli_config(home, [
        {'name': 'other', 'mode': 'AK', 'access_key_id': 'OTHER', 'access_key_secret': 'os'},
        {'name': 'work', 'mode': 'AK', 'access_key_id': 'WORK', 'access_key_secret': 'ws', 'sts_token': 'ignored',
         'region_id': 'cn-shanghai'},
    ], current='work')
    creds = alibaba.resolve_credentials({}, env={}, home=str(home))
    assert (creds.access_key_id, creds.access_key_secret) == ('WORK', 'ws')
    assert creds.security_token is None  # AK mode ignores any sts_token
    assert creds.region == 'cn-shanghai'


def test_alibaba_cli_profile_sts_mode(home):
    cli_config(home, [{'name': 'sts', 'mode': 'StsToken', 'access_key_id': 'STS.ID', 'access_key_secret': 'ss',
                       'sts_token': TOKEN}], current='sts')
    creds = alibaba.resolve_credentials({}, env={}, home=str(home))
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == ('STS.ID', 'ss', TOKEN)


def test_alibaba_profile_from_environment_wins_over_current(home):
    cli_config(home, [
        {'name': 'a', 'mode': 'AK', 'access_key_id': 'A', 'access_key_secret': 'as'},
        {'name': 'b', 'mode': 'AK', 'access_key_id': 'B', 'access_key_secret': 'bs'},
    ], current='a')
    creds = alibaba.resolve_credentials({}, env={'ALIBABA_CLOUD_PROFILE': 'b'}, home=str(home))
    assert creds.access_key_id == 'B'


def test_alibaba_profile_option_skips_the_environment(home):
    cli_config(home, [{'name': 'b', 'mode': 'AK', 'access_key_id': 'B', 'access_key_secret': 'bs'}])
    env = {'ALIBABA_CLOUD_ACCESS_KEY_ID': 'ENV', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET': 'es',
           'ALIBABA_CLOUD_PROFILE': 'nope'}
    creds = alibaba.resolve_credentials({'profile': 'b'}, env=env, home=str(home))
    assert creds.access_key_id == 'B'


def test_alibaba_default_profile_without_current(home):
    cli_config(home, [{'name': 'default', 'access_key_id': 'D', 'access_key_secret': 'ds'}])
    creds = alibaba.resolve_credentials({}, env={}, home=str(home))
    assert creds.access_key_id == 'D'  # mode defaults to AK


@pytest.mark.parametrize('mode', ['RamRoleArn', 'EcsRamRole', 'ChainableRamRoleArn'])
def test_alibaba_unsupported_cli_mode_fails_naming_profile(home, mode):
    cli_config(home, [{'name': 'r', 'mode': mode, 'access_key_id': 'R', 'access_key_secret': SECRET}], current='r')
    with pytest.raises(OptionError) as info:
        alibaba.resolve_credentials({}, env={}, home=str(home))
    assert info.value.option == 'profile'
    assert mode in str(info.value)
    assert 'AK and StsToken' in str(info.value)
    assert_no_secret(info.value, SECRET)


def test_alibaba_unparsable_cli_config_fails_naming_profile(home):
    _write(home / '.aliyun' / 'config.json', '{"profiles": [')
    with pytest.raises(OptionError) as info:
        alibaba.resolve_credentials({}, env={}, home=str(home))
    assert info.value.option == 'profile'
    assert 'config.json' in str(info.value)


def test_alibaba_ini_default_section(home):
    ini(home / '.alibabacloud' / 'credentials.ini',
        '[default]\ntype = access_key\naccess_key_id = INI\naccess_key_secret = is\n'
        '[other]\naccess_key_id = O\naccess_key_secret = os\n')
    creds = alibaba.resolve_credentials({}, env={}, home=str(home))
    assert (creds.access_key_id, creds.access_key_secret) == ('INI', 'is')


def test_alibaba_cli_profile_wins_over_ini(home):
    cli_config(home, [{'name': 'default', 'mode': 'AK', 'access_key_id': 'CLI', 'access_key_secret': 'cs'}])
    ini(home / '.alibabacloud' / 'credentials.ini', '[default]\naccess_key_id = INI\naccess_key_secret = is\n')
    assert alibaba.resolve_credentials({}, env={}, home=str(home)).access_key_id == 'CLI'


def test_alibaba_ini_from_credentials_file_variable_and_profile_section(home, tmp_path):
    path = ini(tmp_path / 'elsewhere' / 'creds.ini',
               '[default]\naccess_key_id = D\naccess_key_secret = ds\n'
               '[team]\ntype = sts\naccess_key_id = T\naccess_key_secret = ts\nsecurity_token = %s\n' % TOKEN)
    # The default location exists too, and must be ignored when the variable is set.
    ini(home / '.alibabacloud' / 'credentials.ini', '[team]\naccess_key_id = WRONG\naccess_key_secret = w\n')
    env = {'ALIBABA_CLOUD_CREDENTIALS_FILE': str(path), 'ALIBABA_CLOUD_PROFILE': 'team'}
    creds = alibaba.resolve_credentials({}, env=env, home=str(home))
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == ('T', 'ts', TOKEN)


def test_alibaba_ini_unsupported_type_fails_naming_profile(home):
    ini(home / '.alibabacloud' / 'credentials.ini',
        '[default]\ntype = ecs_ram_role\naccess_key_id = X\naccess_key_secret = %s\n' % SECRET)
    with pytest.raises(OptionError) as info:
        alibaba.resolve_credentials({}, env={}, home=str(home))
    assert info.value.option == 'profile'
    assert 'ecs_ram_role' in str(info.value)
    assert_no_secret(info.value, SECRET)


@pytest.mark.parametrize('given, missing', [
    ({'access_key_id': 'AK'}, 'access_key_secret'),
    ({'access_key_secret': SECRET}, 'access_key_id'),
    ({'security_token': TOKEN}, 'access_key_id'),
    ({'access_key_secret': SECRET, 'security_token': TOKEN}, 'access_key_id'),
])
def test_alibaba_incomplete_options_name_the_missing_option(home, given, missing):
    env = {'ALIBABA_CLOUD_ACCESS_KEY_ID': 'ENV', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET': 'es'}
    with pytest.raises(OptionError) as info:
        alibaba.resolve_credentials(given, env=env, home=str(home))
    assert info.value.option == missing
    assert '%s is missing' % missing in str(info.value)
    assert 'module options' in str(info.value)
    assert_no_secret(info.value, SECRET, TOKEN)


@pytest.mark.parametrize('env, missing', [
    ({'ALIBABA_CLOUD_ACCESS_KEY_ID': 'ENV'}, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'),
    ({'ALIBABA_CLOUD_ACCESS_KEY_SECRET': SECRET}, 'ALIBABA_CLOUD_ACCESS_KEY_ID'),
])
def test_alibaba_incomplete_environment_names_the_missing_variable(home, env, missing):
    with pytest.raises(OptionError) as info:
        alibaba.resolve_credentials({}, env=env, home=str(home))
    assert missing in str(info.value)
    assert 'environment' in str(info.value)
    assert_no_secret(info.value, SECRET)


def test_alibaba_incomplete_cli_profile_names_the_missing_key(home):
    cli_config(home, [{'name': 'default', 'mode': 'StsToken', 'access_key_id': 'X', 'sts_token': TOKEN}])
    with pytest.raises(OptionError) as info:
        alibaba.resolve_credentials({}, env={}, home=str(home))
    assert info.value.option == 'access_key_secret'
    assert 'config.json' in str(info.value)
    assert_no_secret(info.value, TOKEN)


def test_alibaba_nothing_found_lists_where_it_looked(home):
    with pytest.raises(OptionError) as info:
        alibaba.resolve_credentials({}, env={'ALIBABA_CLOUD_PROFILE': 'ghost'}, home=str(home))
    message = str(info.value)
    assert info.value.option == 'access_key_id'
    assert 'no Alibaba Cloud credentials found' in message
    assert 'options access_key_id/access_key_secret' in message
    assert 'ALIBABA_CLOUD_ACCESS_KEY_ID' in message
    assert str(home / '.aliyun' / 'config.json') in message
    assert str(home / '.alibabacloud' / 'credentials.ini') in message
    assert 'ghost' in message


def test_alibaba_profile_that_exists_nowhere_is_not_found(home):
    cli_config(home, [{'name': 'default', 'mode': 'AK', 'access_key_id': 'D', 'access_key_secret': 'ds'}])
    with pytest.raises(OptionError) as info:
        alibaba.resolve_credentials({'profile': 'ghost'}, env={}, home=str(home))
    assert 'ghost' in str(info.value)


def test_alibaba_defaults_to_the_real_environment_and_home(home, monkeypatch):
    monkeypatch.setenv('ALIBABA_CLOUD_ACCESS_KEY_ID', 'REAL')
    monkeypatch.setenv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'rs')
    assert alibaba.resolve_credentials({}).access_key_id == 'REAL'
    monkeypatch.delenv('ALIBABA_CLOUD_ACCESS_KEY_ID')
    monkeypatch.delenv('ALIBABA_CLOUD_ACCESS_KEY_SECRET')
    cli_config(home, [{'name': 'default', 'mode': 'AK', 'access_key_id': 'HOME', 'access_key_secret': 'hs'}])
    assert alibaba.resolve_credentials({}).access_key_id == 'HOME'


# --- Secrets never appear in error messages -----------------------------------------------------

def test_alibaba_ini_without_section_header_does_not_echo_the_secret(home):
    """configparser quotes the offending line of a file it cannot parse; that line may be the secret."""
    ini(home / '.alibabacloud' / 'credentials.ini', 'access_key_secret = %s\naccess_key_id = AK\n' % SECRET)
    with pytest.raises(OptionError) as info:
        alibaba.resolve_credentials({}, env={}, home=str(home))
    assert info.value.option == 'profile'
    assert 'credentials.ini' in str(info.value)
    assert_no_secret(info.value, SECRET)


def test_alibaba_ini_with_a_stray_secret_line_does_not_echo_it(home):
    ini(home / '.alibabacloud' / 'credentials.ini', '[default]\naccess_key_id = AK\n%s\n' % SECRET)
    with pytest.raises(OptionError) as info:
        alibaba.resolve_credentials({}, env={}, home=str(home))
    assert_no_secret(info.value, SECRET)


def test_alibaba_ini_secret_with_percent_sign_is_read_as_written(home):
    """A '%' in a secret is a plain character in a credentials file, not configparser interpolation:
    the value is read as is (or, at worst, an OptionError that does not quote it - never a traceback)."""
    secret = 'ab%cd' + SECRET
    ini(home / '.alibabacloud' / 'credentials.ini', '[default]\naccess_key_id = AK\naccess_key_secret = %s\n' % secret)
    try:
        creds = alibaba.resolve_credentials({}, env={}, home=str(home))
    except OptionError as exc:
        assert_no_secret(exc, SECRET, 'cd' + SECRET)
    else:
        assert creds.access_key_secret == secret


def test_huawei_credentials_file_without_section_does_not_echo_the_secret(home):
    ini(home / '.huaweicloud' / 'credentials', 'sk = %s\nak = AK\nproject_id = p\n' % SECRET)
    with pytest.raises(OptionError) as info:
        huawei.resolve_credentials({}, env={}, home=str(home))
    assert_no_secret(info.value, SECRET)


def test_huawei_credentials_file_secret_with_percent_sign_is_read_as_written(home):
    secret = 'ab%cd' + SECRET
    ini(home / '.huaweicloud' / 'credentials', '[basic]\nak = AK\nsk = %s\nproject_id = p\n' % secret)
    try:
        creds = huawei.resolve_credentials({}, env={}, home=str(home))
    except OptionError as exc:
        assert_no_secret(exc, SECRET, 'cd' + SECRET)
    else:
        assert creds.access_key_secret == secret


# --- Huawei -------------------------------------------------------------------------------------

def test_huawei_auth_token_wins_over_ak_sk(home):
    env = {'HUAWEICLOUD_SDK_AK': 'EAK', 'HUAWEICLOUD_SDK_SK': 'esk', 'HUAWEICLOUD_SDK_PROJECT_ID': 'envproj'}
    creds = huawei.resolve_credentials({'auth_token': TOKEN, 'access_key_id': 'OAK', 'access_key_secret': SECRET},
                                       env=env, home=str(home))
    assert creds.auth_token == TOKEN
    assert creds.access_key_id is None and creds.access_key_secret is None
    assert creds.project_id == 'envproj'


def test_huawei_auth_token_from_environment(home):
    creds = huawei.resolve_credentials({'project_id': 'p'}, env={'HUAWEICLOUD_SDK_AUTH_TOKEN': TOKEN},
                                       home=str(home))
    assert creds.auth_token == TOKEN


def test_huawei_options_win_over_environment_and_file(home):
    ini(home / '.huaweicloud' / 'credentials', '[basic]\nak = FAK\nsk = fsk\nproject_id = fileproj\n')
    env = {'HUAWEICLOUD_SDK_AK': 'EAK', 'HUAWEICLOUD_SDK_SK': 'esk', 'HUAWEICLOUD_SDK_PROJECT_ID': 'envproj',
           'HUAWEICLOUD_SDK_SECURITY_TOKEN': 'etok'}
    creds = huawei.resolve_credentials({'access_key_id': 'OAK', 'access_key_secret': SECRET,
                                        'security_token': TOKEN, 'project_id': 'optproj'}, env=env, home=str(home))
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token, creds.project_id) == (
        'OAK', SECRET, TOKEN, 'optproj')


def test_huawei_environment_wins_over_file_and_keeps_its_own_token(home):
    ini(home / '.huaweicloud' / 'credentials', '[basic]\nak = FAK\nsk = fsk\nsecurity_token = ftok\n')
    env = {'HUAWEICLOUD_SDK_AK': 'EAK', 'HUAWEICLOUD_SDK_SK': 'esk', 'HUAWEICLOUD_SDK_PROJECT_ID': 'envproj'}
    creds = huawei.resolve_credentials({}, env=env, home=str(home))
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == ('EAK', 'esk', None)


@pytest.mark.parametrize('where', ['options', 'environment', 'file'])
def test_huawei_project_id_from_any_source(home, where):
    """The project id is independent of where AK/SK come from."""
    env = {'HUAWEICLOUD_SDK_AK': 'EAK', 'HUAWEICLOUD_SDK_SK': 'esk'}
    options = {}
    if where == 'options':
        options['project_id'] = 'from-options'
    elif where == 'environment':
        env['HUAWEICLOUD_SDK_PROJECT_ID'] = 'from-environment'
    else:
        ini(home / '.huaweicloud' / 'credentials', '[basic]\nproject_id = from-file\n')
    creds = huawei.resolve_credentials(options, env=env, home=str(home))
    assert creds.project_id == 'from-' + where
    assert creds.access_key_id == 'EAK'


def test_huawei_missing_project_id_fails_naming_it(home):
    with pytest.raises(OptionError) as info:
        huawei.resolve_credentials({'access_key_id': 'AK', 'access_key_secret': SECRET}, env={}, home=str(home))
    assert info.value.option == 'project_id'
    assert 'HUAWEICLOUD_SDK_PROJECT_ID' in str(info.value)
    assert_no_secret(info.value, SECRET)


@pytest.mark.parametrize('section', ['basic', 'global'])
def test_huawei_credentials_file_sections(home, section):
    ini(home / '.huaweicloud' / 'credentials',
        '[%s]\nak = FAK\nsk = %s\nproject_id = fp\nsecurity_token = %s\n' % (section, SECRET, TOKEN))
    creds = huawei.resolve_credentials({}, env={}, home=str(home))
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token, creds.project_id) == (
        'FAK', SECRET, TOKEN, 'fp')


def test_huawei_basic_section_wins_over_global(home):
    ini(home / '.huaweicloud' / 'credentials',
        '[global]\nak = GAK\nsk = gsk\n[basic]\nak = BAK\nsk = bsk\nproject_id = p\n')
    assert huawei.resolve_credentials({}, env={}, home=str(home)).access_key_id == 'BAK'


def test_huawei_credentials_file_variable(home, tmp_path):
    path = ini(tmp_path / 'other' / 'hw', '[basic]\nak = VAK\nsk = vsk\nproject_id = vp\n')
    ini(home / '.huaweicloud' / 'credentials', '[basic]\nak = WRONG\nsk = w\nproject_id = w\n')
    creds = huawei.resolve_credentials({}, env={'HUAWEICLOUD_SDK_CREDENTIALS_FILE': str(path)}, home=str(home))
    assert (creds.access_key_id, creds.project_id) == ('VAK', 'vp')


@pytest.mark.parametrize('options, missing', [
    ({'access_key_id': 'AK', 'project_id': 'p'}, 'access_key_secret'),
    ({'access_key_secret': SECRET, 'project_id': 'p'}, 'access_key_id'),
])
def test_huawei_incomplete_pair_names_the_missing_option(home, options, missing):
    with pytest.raises(OptionError) as info:
        huawei.resolve_credentials(options, env={}, home=str(home))
    assert info.value.option == missing
    assert 'module options' in str(info.value)
    assert_no_secret(info.value, SECRET)


def test_huawei_nothing_found_lists_where_it_looked(home):
    with pytest.raises(OptionError) as info:
        huawei.resolve_credentials({'project_id': 'p'}, env={}, home=str(home))
    message = str(info.value)
    assert info.value.option == 'access_key_id'
    assert 'auth_token' in message and 'HUAWEICLOUD_SDK_AK' in message
    assert str(home / '.huaweicloud' / 'credentials') in message
