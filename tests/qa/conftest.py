"""The QA toolkit tested as a QA team uses it: a test project run by pytest, and the audit."""

# The test project under project/ runs in its own pytest process (as a QA
# team's would), against the sites here; it is not part of this suite.
collect_ignore = ["project"]
