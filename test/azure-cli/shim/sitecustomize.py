# The one client shim the Azure CLI test layer allows (issue 14): Debian pairs azure-cli 2.45,
# whose "latest" profile asks for compute API 2022-11-01, with python3-azure, whose newest compute
# API with virtual machines is 2022-08-01, so `az vm ...` fails inside az before sending anything
# (the same error as Azure/azure-cli#25826). Map the missing default version to the newest
# installed one. Only on PYTHONPATH of the az processes the test starts.
import os
import re

from azure.cli.core.profiles import _shared
import azure.mgmt.compute as _compute

_profile = _shared.AZURE_API_PROFILES['latest'][_shared.ResourceType.MGMT_COMPUTE]
_dir = os.path.dirname(_compute.__file__)
_installed = sorted(
    name[1:].replace('_', '-')
    for name in os.listdir(_dir)
    if re.match(r'^v\d{4}_\d\d_\d\d$', name) and os.path.exists(os.path.join(_dir, name, 'operations', '_virtual_machines_operations.py'))
)
if _installed and _profile.profile[None] not in _installed:
    _profile.profile[None] = _installed[-1]
