"""The comparison engine: word diffs (dmp, worddiff), pairing and aligning paragraphs (pairing,
align, moves), the spans NEW reuses and where its words came from (spans, provenance), boilerplate
rules (boilerplate; the rules themselves are in cpsdiff/rules/), and compare(), which runs them in
order (comparison).

May import the top level (cpsdiff.__version__, cpsdiff.errors, cpsdiff.model), cpsdiff.text,
cpsdiff.web, cpsdiff.inputs; nothing above it.
"""
