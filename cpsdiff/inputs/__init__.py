"""Reading what the user names: one source (a file, an http(s) URL or stdin; loading) or a
corpus of versions (files, directories, globs, JSON Lines; corpus).

May import the top level (cpsdiff.__version__, cpsdiff.errors, cpsdiff.model), cpsdiff.text,
cpsdiff.web; nothing above it.
"""
