"""Delivering a rendered scan: the stdout format, `--output` files, and GitHub Actions extras.

Machine formats on stdout carry nothing else: annotations are printed only with the terminal
format. Files are written atomically.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from drift.platform.files import write_atomic
from drift.report import github
from drift.report.document import Document
from drift.report.formats import Format, pieces, render


def needs_matrix(stdout: Format, outputs: Sequence[tuple[Format, Path]]) -> bool:
    """Whether any requested format shows the matrix."""
    return stdout.needs_matrix or any(fmt.needs_matrix for fmt, _ in outputs)


def emit(
    document: Document,
    stdout: Format,
    outputs: Sequence[tuple[Format, Path]],
    color: bool,
    sarif_suppressed: bool = False,
) -> Iterable[str]:
    """Write the `--output` files and return what goes to stdout, in the pieces to write
    (`formats.pieces`: a streamed format is rendered as it is written). SARIF leaves
    suppressed findings out unless `sarif_suppressed`: code scanning ignores SARIF's
    `suppressions` and would open each as an alert."""
    sarif = document if sarif_suppressed else {**document, "suppressed": []}
    for fmt, path in outputs:
        if fmt is Format.OPENMETRICS:  # a textfile keeps the last success time it held
            from drift.report.metrics import textfile

            write_atomic(path, textfile(document, path))
        else:
            write_atomic(path, pieces(fmt, sarif if fmt is Format.SARIF else document))
    text = pieces(stdout, sarif if stdout is Format.SARIF else document, color)
    if github.active():
        if stdout is Format.TERMINAL:
            text = (*text, github.workflow_annotations(document))
        github.append_step_summary(render(Format.MARKDOWN, document))
    return text
