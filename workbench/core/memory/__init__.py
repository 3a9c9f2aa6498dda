"""Translation memory: the index of approved units and imported memories,
fuzzy matching, concordance, repetitions, pre-translation and match analysis.

Qt-free.  All SQL lives in ``workbench.core.store.memory_rows`` (a ``Store``
mixin); the schema (tables and the triggers that keep the index in step with
``units``) in ``workbench.core.memory.schema``.
"""
