"""Lineage across a corpus: families of sentences (families), the order of versions
(chronology), where every sentence first appeared and how it changed (trace), and blame for one
version (blame).

May import: cpsdiff.errors, cpsdiff.model, cpsdiff.text, cpsdiff.web, cpsdiff.inputs, cpsdiff.diff.
"""
