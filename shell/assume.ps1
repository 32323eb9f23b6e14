# granted: the `assume` function for PowerShell (pwsh 7, Windows PowerShell 5.1).
#
# Load it from $PROFILE with:
#   Invoke-Expression (& { (granted shell-init powershell | Out-String) })

# =============================================================================
# assume [ARGS...]: runs `granted assume`, then evaluates the statements it printed.
#
# The binary's stdout is captured (read as UTF-8, as zoxide does); its stderr and the
# console stay free for the profile picker and prompts. When it exits non-zero nothing
# is evaluated and $LASTEXITCODE keeps its status; otherwise $LASTEXITCODE is 0, or the
# command's own status with --exec. The binary is resolved as an application, so an
# alias or function named `granted` is never run.

function global:assume {
    $__granted_bin = Get-Command -Name granted -CommandType Application -TotalCount 1 -ErrorAction Stop
    $__granted_encoding = [Console]::OutputEncoding
    try {
        [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)
        $__granted_out = & $__granted_bin assume --shell powershell @args
    } finally {
        [Console]::OutputEncoding = $__granted_encoding
    }
    if ($LASTEXITCODE -ne 0) {
        return
    }
    if ($null -ne $__granted_out) {
        Invoke-Expression ($__granted_out | Out-String)
    }
}

# =============================================================================
# Tab completion of profile names (`granted profiles` prints one a line).

Register-ArgumentCompleter -Native -CommandName assume -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $__granted_bin = Get-Command -Name granted -CommandType Application -TotalCount 1 -ErrorAction SilentlyContinue
    if ($null -eq $__granted_bin) {
        return
    }
    & $__granted_bin profiles 2>$null | Where-Object { $_.StartsWith([string]$wordToComplete) } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
