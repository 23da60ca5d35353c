"""The comparison engine: word diffs (dmp, worddiff), pairing and aligning paragraphs (pairing,
align, moves), shared spans and where NEW's words came from (spans, provenance), boilerplate rules
(boilerplate), and compare() that runs them in order (comparison).

May import: cpsdiff.errors, cpsdiff.model, cpsdiff.text, cpsdiff.web, cpsdiff.inputs.
"""
