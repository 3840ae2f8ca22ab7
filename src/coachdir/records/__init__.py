"""Records: engagements, supervision logs and coach units (the programme's private records).

Data flows one way: ``files`` (discover + strict load + schema) -> ``rules`` -> problems;
``model`` holds the typed records and the state machine. The site never imports this package.
"""
