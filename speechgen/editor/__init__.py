"""``speechgen edit``: the browser editor (server.py), its form (forms.py), YAML edits (yamledit.py)."""
