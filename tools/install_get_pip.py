# Copyright: jobscope.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Install tools/get_pip_offline.py where the installed ansible-test looks for its pip bootstrap.

Run it with the interpreter that has ansible-core installed (``.venv/bin/python``). The pip
version is read from ansible-test itself, so an ansible-core upgrade that changes the pinned pip
version needs no edit here. See tools/get_pip_offline.py for why the stand-in is needed.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import sys
import types


def ansible_test_pip_version() -> str:
    # ansible_test._internal.python_requirements.get_venv_packages() is what ansible-test uses
    # to decide which pip it bootstraps into each virtual environment (and so which
    # ~/.ansible/test/cache/get_pip_<version>.py it looks for).
    from ansible_test._internal.python_requirements import get_venv_packages

    python = types.SimpleNamespace(version='%d.%d' % sys.version_info[:2])
    return get_venv_packages(python)['pip']


def main() -> int:
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'get_pip_offline.py')
    version = ansible_test_pip_version()
    cache_dir = os.path.expanduser('~/.ansible/test/cache')
    target = os.path.join(cache_dir, 'get_pip_%s.py' % version.replace('.', '_'))

    if os.path.exists(target) and filecmp.cmp(source, target, shallow=False):
        print('pip %s bootstrap stand-in already at %s' % (version, target))
        return 0

    os.makedirs(cache_dir, exist_ok=True)
    # A temporary name of this process's own: `make test` prepares several ansible-core versions at once.
    temporary = '%s.%d.tmp' % (target, os.getpid())
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)
    print('installed pip %s bootstrap stand-in: %s' % (version, target))
    return 0


if __name__ == '__main__':
    sys.exit(main())
