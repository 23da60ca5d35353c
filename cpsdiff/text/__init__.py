"""The text model: Unicode normalisation and the hashes built on it (normalize), repair of
encoding damage (repair), a document split into paragraphs and sentences (segment), the times an
article mentions (timerefs) and its quoted speech (quotes).

May import the top level (cpsdiff.__version__, cpsdiff.errors, cpsdiff.model); nothing above it.
"""
