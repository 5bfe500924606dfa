"""Writers: the document tree as .docx (GB/T 9704), Markdown, HTML and PDF.

``docx.render_docx``, ``markdown.render_markdown``, ``html.render_html`` and
``pdf.convert_to_pdf``; import the module you need. The html preview is laid out
from the model like the printed page (``linebreak.break_lines`` cuts its lines).
"""
