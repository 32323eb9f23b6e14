# granted: the `assume` function for zsh.
#
# Load it from ~/.zshrc (after compinit, for completion) with:
#   eval "$(granted shell-init zsh)"

# =============================================================================
# assume [ARGS...]: runs `granted assume`, then evaluates the statements it printed.
#
# The binary's stdout is captured; its stderr and the terminal stay free for the
# profile picker and prompts. When it exits non-zero nothing is evaluated and its
# status is returned; otherwise the status is that of the statements (the command's
# own with --exec). `\builtin` and `\command` keep the user's aliases and functions out.

assume() {
    \builtin local __granted_out
    __granted_out="$(\command granted assume --shell zsh "$@")" || \builtin return $?
    \builtin eval "${__granted_out}"
}

# =============================================================================
# Tab completion of profile names (`granted profiles` prints one a line), registered
# only when the completion system (compinit) is loaded.

__granted_complete_assume() {
    \builtin local -a __granted_profiles
    __granted_profiles=(${(f)"$(\command granted profiles 2>/dev/null)"})
    compadd -a __granted_profiles
}

if (( ${+functions[compdef]} )); then
    compdef __granted_complete_assume assume
fi
