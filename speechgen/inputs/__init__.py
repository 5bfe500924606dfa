"""Reading job inputs: YAML with positions, the schema of spec/INPUT.md, CSV/XLSX rows.

```python
from speechgen.inputs import load_job
job = load_job("meeting.yaml")   # UserError(findings=[...]) with every error of the file
job.type, job.data, job.path, job.warnings, job.position("accidents[2].deaths")
```

Codes: E100 unreadable file or encoding, E101 wrong type, E102 missing key,
E103 unknown enum value, E104 invalid date, E105 out of range, E106 YAML
syntax (also duplicate keys and custom tags), E107 empty file or not a
mapping, E108 a limit exceeded, E109 control characters, E110 duplicate
recipient, E111 recipients file, E112 placeholder syntax, E113 a table cell
not readable as typed (formula without result, error value, hidden row or
column, data without a column name); W100 read as GBK/GB18030, W101 unknown
key, W102 sheets of a workbook that were not read, W103 a cited accident in the
job's own area whose scope is not local.
"""

from .jobs import Job, deep_merge, load_job, load_job_text
from .limits import Limits
from .schema import known_keys

__all__ = ["Job", "Limits", "deep_merge", "known_keys", "load_job", "load_job_text"]
