"""Watching pages over time: track (fetch, compare with the stored version, store a change,
write its report) and reextract (read archived pages again with this release's extractor).

May import every package below it: cpsdiff.errors, cpsdiff.model, cpsdiff.text, cpsdiff.web,
cpsdiff.inputs, cpsdiff.diff, cpsdiff.lineage, cpsdiff.store, cpsdiff.render.
"""
