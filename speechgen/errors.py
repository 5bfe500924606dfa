"""Findings and the exceptions that carry them to the command line.

A :class:`Finding` is one located message (an input error, a lint result).
Errors are classes that know their exit code, the way click's exceptions do:
:class:`UserError` exits 1 and :class:`UsageProblem` exits 2. The CLI prints
``str(finding)`` lines and never a traceback for either.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "错误"
WARNING = "警告"


@dataclass(frozen=True)
class Finding:
    """One located message.

    ``location`` is ``line:column`` for YAML, ``row N`` for table rows, or
    ``段N「开头几个字」`` for a paragraph of a document; ``key`` is the key
    path (``accidents[2].deaths``) when there is one.
    """

    path: str
    location: str
    severity: str  # ERROR or WARNING
    code: str
    message: str
    key: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.location}" if self.location else self.path
        key = f"{self.key} " if self.key else ""
        return f"{where}: {self.severity} {self.code} {key}{self.message}"

    def as_dict(self) -> dict[str, str]:
        return {
            "path": self.path,
            "location": self.location,
            "severity": self.severity,
            "code": self.code,
            "key": self.key,
            "message": self.message,
        }


class SpeechgenError(Exception):
    """Base of every error the CLI turns into a message and an exit code."""

    exit_code = 1

    def __init__(self, message: str = "", findings: list[Finding] | None = None):
        super().__init__(message)
        self.message = message
        self.findings: list[Finding] = list(findings or [])

    def lines(self) -> list[str]:
        out = [str(f) for f in self.findings]
        if self.message:
            out.append(self.message)
        return out


class UserError(SpeechgenError):
    """Invalid input or a document that failed the checks (exit 1)."""

    exit_code = 1


class UsageProblem(SpeechgenError):
    """Wrong command-line use: unknown option, missing file (exit 2)."""

    exit_code = 2


class NeedsFirstLook(SpeechgenError):
    """A recipients list read without its first look (``load_job(quick=True)``) is not
    what its beginning promised: the first look (the whole list read before any row)
    would have refused it, or found a limit exceeded; the job must be loaded again
    without ``quick``. Raised by a read of its rows; the message is for a file that
    changed while it was read (the only way one can reach the user)."""

    def __init__(self) -> None:
        super().__init__(
            "错误 E100 读取过程中输入文件发生了变化（或无法逐行读取），已停止：请重新运行"
        )


class TemplateProblem(UserError):
    """A template or snippet that fails to compile, escape the sandbox or fill a slot."""


class TemplateTimeout(TemplateProblem):
    """A template or snippet ran past its time limit (``render --template-timeout``)."""
