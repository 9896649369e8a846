"""Print HTML documents to PDF in a child process that imports nothing but WeasyPrint.

The worker prints a long tracking book part after part (documents.book). WeasyPrint's layout
and font subsetting of one part take tens of MB on top of the worker's own ~70 MB (the whole
application is imported); printing in this small child keeps each process under the worker's
150 MB target, and the child's memory is returned to the system when the book is done.

Protocol on stdin/stdout: a 4-byte big-endian length then the UTF-8 HTML; the answer is a
4-byte length then the PDF. Run as `python -m motcua.documents.pdfchild BASE_URL`.
"""

from __future__ import annotations

import struct
import subprocess
import sys

_LENGTH = struct.Struct(">I")


def _read(stream, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("the other side closed the pipe")
    return data


class ChildPrinter:
    """`with ChildPrinter(base_url) as printer: pdf = printer.print(html)`"""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> ChildPrinter:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "motcua.documents.pdfchild", self.base_url],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
        return self

    def print(self, html: str) -> bytes:
        data = html.encode("utf-8")
        self.process.stdin.write(_LENGTH.pack(len(data)) + data)
        self.process.stdin.flush()
        try:
            (size,) = _LENGTH.unpack(_read(self.process.stdout, _LENGTH.size))
            return _read(self.process.stdout, size)
        except EOFError as exc:
            raise RuntimeError(f"the PDF printer stopped (exit code {self.process.poll()})") from exc

    def __exit__(self, *_exc) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main() -> None:
    from weasyprint import HTML

    base_url = sys.argv[1]
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = stdin.read(_LENGTH.size)
        if len(head) < _LENGTH.size:
            return
        html = _read(stdin, _LENGTH.unpack(head)[0]).decode("utf-8")
        pdf = HTML(string=html, base_url=base_url).write_pdf()
        stdout.write(_LENGTH.pack(len(pdf)) + pdf)
        stdout.flush()


if __name__ == "__main__":
    main()
