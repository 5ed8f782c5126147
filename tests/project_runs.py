"""How the suite runs pytest in a subprocess on a project of its own (the QA
project, the docs' snippets, the example QA project)."""

# No cache folder left in the project. And Hypothesis, installed for this suite
# and used by none of these projects, would load its plugin into each run and
# import itself at the end: about 1.5 CPU s and 2 to 4 s of wall each, here.
QUIET_PLUGINS = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")
