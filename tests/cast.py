"""What each member of the cast should get, for the kinds of page that recur.

A case's pages are read by HQ and the case's own centre; another centre gets a 404 (the case
"does not exist" for it), the analyst a 403 (the role never sees case files), and a visitor
is sent to sign in. A centre's forms are the same, but read-only HQ officers get a 403.
"""

READS_CASE = [
    ("admin", 200),
    ("officer", 200),
    ("analyst", 403),
    ("coordinator_a", 200),
    ("coordinator_b", 404),
    ("anonymous", 302),
]

WRITES_CASE = [
    ("admin", 200),
    ("officer", 403),
    ("analyst", 403),
    ("coordinator_a", 200),
    ("coordinator_b", 404),
    ("anonymous", 302),
]
