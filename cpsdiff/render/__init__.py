"""Renderers: every output form of a comparison, a lineage or a blame (terminal views,
--stat, JSON and JSON Lines, CSV/TSV tables, Markdown and HTML reports), the labels, summaries and
digests they share, and the colour, width and pager decisions (output).

May import the top level (cpsdiff.__version__, cpsdiff.errors, cpsdiff.model), cpsdiff.text,
cpsdiff.web, cpsdiff.inputs, cpsdiff.diff, cpsdiff.lineage, cpsdiff.store; nothing above it.
"""
