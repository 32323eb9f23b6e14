# granted: the `assume` command for nushell.
#
# Save it once, then source it from config.nu:
#   granted shell-init nu | save -f ($nu.default-config-dir | path join granted.nu)
#   source ($nu.default-config-dir | path join granted.nu)

# Profile names for completion (`granted profiles` prints one a line).
def __granted_profiles [] {
    try {
        let result = (^granted profiles | complete)
        if $result.exit_code == 0 { $result.stdout | lines } else { [] }
    } catch {
        []
    }
}

# Runs --exec's program with its environment; a command without --env, so the
# caller's environment is untouched. The program is looked up on PATH only, and each
# argument is passed as it is.
def __granted_exec [spec: record] {
    hide-env -i ...$spec.unset
    load-env $spec.env
    run-external ...$spec.argv
}

# Assume an AWS profile with granted.
#
# The binary prints JSON on stdout; its stderr and the terminal stay free for the
# profile picker and prompts. When it exits non-zero, its error (with its exit code) is
# raised before anything changes. Otherwise the managed variables are loaded or hidden,
# or, with --exec, the program runs and its exit code is the result.
def --env --wrapped assume [...args: string@__granted_profiles] {
    let spec = (^granted assume --shell nu ...$args | from json)
    if 'argv' in $spec {
        __granted_exec $spec
    } else {
        hide-env -i ...$spec.unset
        load-env $spec.set
    }
}
