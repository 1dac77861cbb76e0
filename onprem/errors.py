"""Errors a person can act on: one line naming the thing and what to do."""

# Exit codes shared by every command (see README, "Conventions").
EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2


class UserError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""

    exit_code = EXIT_USAGE


class InputError(UserError):
    """One input (file, row, page) is bad; the others can still be processed."""

    exit_code = EXIT_PARTIAL


def where(error: BaseException | None) -> str:
    """" at FOLDER/FILE.py:LINE" of the innermost frame of the error's traceback in onprem's own code
    (else the innermost frame; "" without a traceback): where a failure happened, for a one-line
    report that must not quote the error's message (it may hold a transcript or a pair)."""
    import traceback

    frames = traceback.extract_tb(error.__traceback__) if error is not None else []
    ours = [f for f in frames if any(part in f.filename for part in ("/onprem/", "/redaction/", "/tui/", "/prompts/"))]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return ""
    folder, file = frame.filename.rsplit("/", 2)[-2:]
    return f" at {folder}/{file}:{frame.lineno}"
