"""The SQLite corpus store and the work done for it: opening and locking (connect), the schema
and its upgrades (schema), analysing and writing versions (analysis, versions), the raw pages track
archives (pages), lineage read from a store (lineage), where heavy steps run (engines) and ingest.

May import: cpsdiff.errors, cpsdiff.model, cpsdiff.text, cpsdiff.web, cpsdiff.inputs, cpsdiff.diff,
cpsdiff.lineage.
"""
