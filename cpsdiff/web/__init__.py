"""Pages from the web: fetching under a time and size budget (fetch, deadline), politeness
towards hosts (polite), RSS and Atom feeds (feeds), and an HTML page's article text (pages).

May import the top level (cpsdiff.__version__, cpsdiff.errors, cpsdiff.model), cpsdiff.text; nothing
above it.
"""
