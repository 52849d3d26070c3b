"""The studio's domain: course folders as file trees, drafts, publishing, revisions and
ownership. Plain functions over sessions and data; the `author` blueprint calls them."""
