"""Watching pages over time: track (fetch each page, compare it with its last stored version,
store a change and write its report) and reextract (read the archived pages again with this
release's extractor).

May import the top level (cpsdiff.__version__, cpsdiff.errors, cpsdiff.model), cpsdiff.text,
cpsdiff.web, cpsdiff.inputs, cpsdiff.diff, cpsdiff.lineage, cpsdiff.store, cpsdiff.render; nothing
above it.
"""
