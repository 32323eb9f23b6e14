# shellcheck shell=sh
# granted: the `assume` function for POSIX sh (dash, ash, busybox sh, ksh).
#
# Load it from ~/.profile (or $ENV) with:  eval "$(granted shell-init sh)"

# =============================================================================
# assume [ARGS...]: runs `granted assume`, then evaluates the statements it printed.
#
# The binary's stdout is captured; its stderr and the terminal stay free for the
# profile picker and prompts. When it exits non-zero nothing is evaluated and its
# status is returned; otherwise the status is that of the statements (the command's
# own with --exec). `\command` and `\eval` keep the user's aliases out. POSIX sh has no
# `local`: the output waits in __granted_out, removed before returning, and the status
# is kept in the function's own positional parameters.

assume() {
    __granted_out="$(\command granted assume --shell sh "$@")" || {
        set -- "$?"
        \unset __granted_out
        \return "$1"
    }
    \eval "${__granted_out}"
    set -- "$?"
    \unset __granted_out
    \return "$1"
}
