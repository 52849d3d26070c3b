"""Admins: the organiser, the signing official, the number pattern and the images."""
