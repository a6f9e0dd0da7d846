"""p2plib: the models behind the course on peer-to-peer systems and the 2007 Skype outage.

One module per concept (``overlay``, ``capacity``, ``failures``, ...), plus ``viz`` for the
course's figures, ``widgets`` for the notebook explorers and ``checks`` for exercise checks.
Model modules depend only on numpy, scipy and networkx.
"""

__version__ = "0.1.0"
