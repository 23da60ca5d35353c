"""Lineage across a corpus: families of sentences (families), the order of the versions
(chronology, over who comes before whom: precedence), where every sentence first appeared and how it changed (trace), and blame for one
version (blame).

May import the top level (cpsdiff.__version__, cpsdiff.errors, cpsdiff.model), cpsdiff.text,
cpsdiff.web, cpsdiff.inputs, cpsdiff.diff; nothing above it.
"""
