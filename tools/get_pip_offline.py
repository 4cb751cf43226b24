# -*- coding: utf-8 -*-
# Copyright: jobscope.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the ``get-pip.py`` bootstrap script used by ansible-test.

Why this file exists
--------------------
``ansible-test sanity`` (and ``units``/``integration`` with ``--venv``) create one virtual
environment per test *without* pip and then seed pip in it by running a bootstrap script that it
downloads from the ansible-test CI file host. That host is not reachable from our development and
CI machines (only the package registries are). Before downloading, ansible-test looks for a cached
copy at ``~/.ansible/test/cache/get_pip_<pip version with underscores>.py``; ``make sanity``
(through ``tools/install_get_pip.py``) puts this file there.

ansible-test runs the cached file as ``__main__`` with the arguments it would give the real
``get-pip.py``, for example::

    --disable-pip-version-check pip==24.2 --no-setuptools --no-wheel

This stand-in:

1. seeds pip from the interpreter's own bundled wheel (``python -m ensurepip``), in a child
   process so that the ``PIP_CONFIG_FILE=/dev/null`` that ensurepip sets cannot leak into the
   real install below (it is also dropped from our environment if present, otherwise the
   machine's pip configuration, its package index settings and CA bundle would be ignored);
2. drops ``--no-setuptools`` / ``--no-wheel``, which only the real get-pip.py understands;
3. runs ``pip install`` with the remaining arguments, so the requested pip version comes from the
   package registry through the machine's normal pip configuration.
"""

from __future__ import annotations

import os
import subprocess
import sys

GET_PIP_ONLY_FLAGS = frozenset(('--no-setuptools', '--no-wheel'))


def _clean_environment() -> dict:
    env = dict(os.environ)
    if env.get('PIP_CONFIG_FILE') == os.devnull:
        del env['PIP_CONFIG_FILE']
    return env


def main(argv: list) -> int:
    env = _clean_environment()
    pip_args = [arg for arg in argv if arg not in GET_PIP_ONLY_FLAGS]

    seed = [sys.executable, '-m', 'ensurepip', '--default-pip']
    if subprocess.call(seed, env=env, stdout=subprocess.DEVNULL) != 0:
        sys.stderr.write('get_pip_offline: %s failed\n' % ' '.join(seed))
        return 1

    install = [sys.executable, '-m', 'pip', 'install'] + pip_args
    return subprocess.call(install, env=env)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
