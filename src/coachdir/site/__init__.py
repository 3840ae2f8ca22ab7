"""The site: model -> Markdown and assets (render), -> HTML via mkdocs (build), serve.

Nothing here may import coachdir.records (see tests/test_architecture.py).
"""
