"""User-facing errors: one base class, with messages that never carry answer values."""

from __future__ import annotations

from dataclasses import dataclass


class FieldAppError(Exception):
    """An error the user can act on; the CLI prints it on one line and exits non-zero."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FormIssue:
    """One problem found in a questionnaire, located by sheet, row and column."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        prefix = f"[{', '.join(where)}] " if where else ""
        text = f"{prefix}{self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


#: Problems of one questionnaire listed in a message; the rest are counted.
MAX_LISTED_ISSUES = 50


class FormError(FieldAppError):
    """A questionnaire could not be loaded; carries every issue found, not just the first
    (its message lists the first :data:`MAX_LISTED_ISSUES` and counts the rest)."""

    def __init__(self, path: str, issues: list[FormIssue]) -> None:
        self.path = path
        self.issues = list(issues)
        shown = self.issues[:MAX_LISTED_ISSUES]
        lines = [f"  {issue}" for issue in shown]
        rest = len(self.issues) - len(shown)
        if rest:
            lines.append(f"  … and {rest} more problem(s) not listed")
        text = "\n".join(lines)
        super().__init__(f"{path}: {len(self.issues)} problem(s)\n{text}")


class ExpressionError(FieldAppError):
    """A questionnaire expression is malformed or cannot be evaluated."""

    def __init__(self, message: str, expression: str = "", position: int | None = None) -> None:
        self.expression = expression
        self.position = position
        self.reason = message
        where = f" at position {position}" if position is not None else ""
        shown = f" in '{expression}'" if expression else ""
        super().__init__(f"{message}{where}{shown}")
