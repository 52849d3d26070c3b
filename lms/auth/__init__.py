"""Signing in and out (public pages): the login with its throttle, the browser's login
session, the language switch and setting a password through a one-time link."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
