"""The GitHub side: issue forms, intake of submissions, pull-request checks, CODEOWNERS."""
