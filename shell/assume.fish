# granted: the `assume` function for fish.
#
# Load it from ~/.config/fish/config.fish with:  granted shell-init fish | source

# =============================================================================
# assume [ARGS...]: runs `granted assume`, then evaluates the statements it printed.
#
# The binary's stdout is captured whole (`string collect`); its stderr and the terminal
# stay free for the profile picker and prompts. When it exits non-zero nothing is
# evaluated and its status is returned; otherwise the status is that of the statements
# (the command's own with --exec). `eval` rather than `| source`, so a command run by
# --exec keeps the terminal as its stdin. `command` and `builtin` keep functions out.

function assume --description 'Assume an AWS profile with granted'
    set -l __granted_out (command granted assume --shell fish $argv | string collect)
    set -l __granted_status $pipestatus[1]
    if test $__granted_status -ne 0
        return $__granted_status
    end
    eval $__granted_out
end

# =============================================================================
# Tab completion of profile names (`granted profiles` prints one a line).

complete -c assume -f -a '(command granted profiles 2>/dev/null)'
