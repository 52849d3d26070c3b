"""Templates whose HTML is stored per worker and served to other people (core.layout,
learning.cards, learning.module_body, learning.course_outline, learning.dashboard_top)
may use only what their store's key names, and none of the per-request globals Flask
offers every template: a `{{ request.… }}` or `{{ g.… }}` there would be stored with one
person's request and shown to the next."""

import pytest
from jinja2 import meta, nodes

from lms import create_app

# Template: the variables it is given (everything else is a translation or url_for).
STORED = {
    "layout/head.html": set(),
    "layout/header.html": {"signed_in", "roles", "endpoint", "area"},
    "layout/footer.html": {"signed_in", "person_name", "next_path", "locale",
                           "language_names"},
    "learning/_module_text.html": {"course", "module", "done", "previous", "following",
                                   "quiz_box", "position"},
    "learning/_module_quiz_box.html": {"course", "module", "done", "best_score",
                                       "attempts_left", "open_attempt_id"},
    "learning/_course_outline.html": {"course", "done"},
    "learning/_dashboard_top.html": {"next_due", "next_due_words", "overdue", "first_time",
                                     "new_count", "jp"},
    "learning/_course_card.html": {"row", "level", "new", "certificates"},
    "learning/_catalogue_card.html": {"row"},
    # Imported with context by the cards and the quiz box.
    "macros/ui.html": {"status_labels"},
}
PER_REQUEST = {"request", "session", "g", "current_user", "config", "get_flashed_messages",
               "csrf_meta_tag"}


@pytest.fixture(scope="module")
def env():
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}).jinja_env


@pytest.mark.parametrize("name", sorted(STORED))
def test_a_stored_template_uses_only_what_its_key_names(env, name):
    tree = env.parse(env.loader.get_source(env, name)[0])
    # find_undeclared_variables leaves out the environment's globals, request among them.
    assert meta.find_undeclared_variables(tree) <= STORED[name]
    loaded = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
    assert not loaded & PER_REQUEST, loaded & PER_REQUEST
    assert set(meta.find_referenced_templates(tree)) <= set(STORED)


def test_the_check_sees_a_per_request_global(env):
    tree = env.parse("{{ request.full_path }} {{ g._login_user.name }}")
    assert {n.name for n in tree.find_all(nodes.Name)} == {"request", "g"}
