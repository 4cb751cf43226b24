# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every inventory plugin documents the options its cloud object says an inventory reads."""

from __future__ import annotations

import importlib
import os

import pytest

yaml = pytest.importorskip('yaml')

from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS  # noqa: E402

COLLECTION = 'ansible_collections.jobscope.cloud.plugins'
INVENTORY_DIR = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'plugins', 'inventory')


def inventory_plugins():
    """(module name, plugin class) of every inventory plugin of the collection."""
    names = sorted(name[:-3] for name in os.listdir(INVENTORY_DIR) if name.endswith('.py') and name != '__init__.py')
    plugins = [(name, importlib.import_module('%s.inventory.%s' % (COLLECTION, name))) for name in names]
    assert plugins
    return plugins


def test_every_inventory_plugin_documents_its_clouds_options():
    for module_name, module in inventory_plugins():
        cloud = ENDPOINTS[module.InventoryModule.ENDPOINT].cloud
        doc = yaml.safe_load(module.DOCUMENTATION)
        if cloud.inventory_fragment is None:
            options = doc['options']  # a cloud with one plugin documents its options in the plugin
        else:
            assert cloud.inventory_fragment in doc['extends_documentation_fragment'], module_name
            holder = importlib.import_module('%s.doc_fragments.%s'
                                             % (COLLECTION, cloud.inventory_fragment.split('.')[2]))
            attribute = cloud.inventory_fragment.split('.')[3].upper()
            options = yaml.safe_load(getattr(holder.ModuleDocFragment, attribute))['options']
        for option in cloud.chain_options + cloud.inventory_options:
            assert option in options, (module_name, option)
