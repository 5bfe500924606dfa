"""The letter kind: schema.py, composer.py, template.md.j2 and its starter (see speechgen.doctypes)."""
