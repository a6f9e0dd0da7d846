"""p2plib: the models behind the course on peer-to-peer systems and the 2007 Skype outage.

One module per concept (``overlay``, ``capacity``, ``failures``, ...), or a subpackage where
a concept needs several files (``outage``, ``supernodes``, ``gossip``, ``swarm``), plus ``viz``
for the course's figures, ``widgets`` for the notebook explorers and ``checks`` for exercise
checks, each with one module per concept. Model modules depend only on numpy, scipy and
networkx. The map: CONTRIBUTING.md, *Layout and layering*.
"""

__version__ = "0.1.0"
