"""The SQLite corpus store and the work done for it: opening and locking it, its failures as
one-line errors (connect); its tables and their upgrade (schema); what is written for a version
(analysis); the Store itself, writing and reading versions (versions) and their rows (records);
the raw pages track archives (pages); lineage read from a store (lineage); where the heavy steps
run (engines); and ingest.

May import the top level (cpsdiff.__version__, cpsdiff.errors, cpsdiff.model), cpsdiff.text,
cpsdiff.web, cpsdiff.inputs, cpsdiff.diff, cpsdiff.lineage; nothing above it.
"""
