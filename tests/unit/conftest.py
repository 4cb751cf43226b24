# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hypothesis profiles of the unit tests (loaded before any test module builds its settings).

ci        the default, and what `make units` runs on every ansible-core version (ansible-test passes no
          environment variable to pytest): derandomized, so a test draws the same examples on every run of the
          same code and Python, CI passes or fails the same way each time, and a failure it shows is
          reproduced by running `make units` again; no example database is written.
thorough  random seeds and hypothesis' example database, for exploring by hand, for example
          HYPOTHESIS_PROFILE=thorough python -m pytest tests/unit/plugins/module_utils/test_fuzz_responses.py
          (a test may also take more examples under it: see test_fuzz_responses.py).
Each test keeps its own max_examples and deadline.
"""

from __future__ import annotations

import os

try:
    from hypothesis import settings
except ImportError:  # the tests that need hypothesis skip without it
    settings = None

if settings is not None:
    settings.register_profile('ci', derandomize=True, database=None, print_blob=True)
    settings.register_profile('thorough', derandomize=False)
    settings.load_profile(os.environ.get('HYPOTHESIS_PROFILE', 'ci'))
