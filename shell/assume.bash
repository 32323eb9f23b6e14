# shellcheck shell=bash
# granted: the `assume` function for bash.
#
# Load it from ~/.bashrc with:  eval "$(granted shell-init bash)"

# =============================================================================
# assume [ARGS...]: runs `granted assume`, then evaluates the statements it printed.
#
# The binary's stdout is captured; its stderr and the terminal stay free for the
# profile picker and prompts. When it exits non-zero nothing is evaluated and its
# status is returned; otherwise the status is that of the statements (the command's
# own with --exec). `\builtin` and `\command` keep the user's aliases and functions out.

assume() {
    \builtin local __granted_out
    __granted_out="$(\command granted assume --shell bash "$@")" || \builtin return $?
    \builtin eval "${__granted_out}"
}

# =============================================================================
# Tab completion of profile names (`granted profiles` prints one a line).

__granted_complete_assume() {
    \builtin local __granted_cur="${COMP_WORDS[COMP_CWORD]}" __granted_name
    COMPREPLY=()
    [[ ${__granted_cur} == -* ]] && \builtin return 0
    while IFS= \builtin read -r __granted_name; do
        [[ ${__granted_name} == "${__granted_cur}"* ]] && COMPREPLY+=("${__granted_name}")
    done < <(\command granted profiles 2>/dev/null)
}

\builtin complete -F __granted_complete_assume assume
