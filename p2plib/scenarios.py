"""Named scenarios of the outage model (re-exported from :mod:`p2plib.outage.presets`).

``from p2plib import scenarios`` keeps working: ``scenarios.PRESETS`` (five names),
``scenarios.load_ramp`` and the preset functions live in :mod:`p2plib.outage.presets`.

Examples
--------
>>> from p2plib import scenarios
>>> len(scenarios.PRESETS)
5
"""

from p2plib.outage.presets import (
    CRASH_2010_H,
    PATCH_RELEASE_H,
    PRESETS,
    load_ramp,
    skype_2007,
    skype_2007_jittered_backoff,
    skype_2007_staggered_reboots,
    skype_2010,
    skype_2010_no_mega_supernodes,
)

__all__ = [
    "CRASH_2010_H",
    "PATCH_RELEASE_H",
    "PRESETS",
    "load_ramp",
    "skype_2007",
    "skype_2007_jittered_backoff",
    "skype_2007_staggered_reboots",
    "skype_2010",
    "skype_2010_no_mega_supernodes",
]
