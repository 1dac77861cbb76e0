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
