"""The course folder format: parse -> validate -> render -> sync.

See courses/README.md for the format as trainers read it.
"""
