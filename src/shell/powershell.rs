//! PowerShell (pwsh 7 and Windows PowerShell 5.1): `$Env:NAME = '…'` and
//! `Remove-Item -LiteralPath Env:NAME`; for exec a script block that sets, runs the
//! program with `&`, and restores every managed variable in `finally`.

use std::fmt::Write as _;

use super::MANAGED;

/// Quotes `value` as a PowerShell expression that evaluates to it exactly.
///
/// Printable text goes in a verbatim single-quoted string, where nothing is expanded
/// (`$`, backtick, `\` and `"` are literal). Inside it, each of PowerShell's four
/// single-quote characters, `'` and U+2018–U+201B (`‘ ’ ‚ ‛`, all string delimiters to its
/// tokenizer), is written twice: a doubled quote stands for its second character. direnv
/// doubles only the ASCII `'`, so a value holding `’` ends its string early.
///
/// Control characters (U+0000–U+001F and U+007F) are written outside the quotes as
/// `[char]N` and joined with `+`, the whole in parentheses: `('a' + [char]10 + 'b')`. The
/// wrapper captures the binary's output as lines, and PowerShell splits those on LF, CRLF
/// and CR alike, so a raw CR or LF inside a literal would not survive the trip back
/// through `Out-String`. The output is therefore always one line of text per statement.
pub fn quote(value: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut literal: Option<String> = None;
    for c in value.chars() {
        if c.is_ascii_control() {
            if let Some(text) = literal.take() {
                parts.push(format!("'{text}'"));
            }
            parts.push(format!("[char]{}", u32::from(c)));
        } else {
            let text = literal.get_or_insert_with(String::new);
            if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
                text.push(c);
            }
            text.push(c);
        }
    }
    if let Some(text) = literal {
        parts.push(format!("'{text}'"));
    }
    match parts.as_slice() {
        [] => "''".to_owned(),
        [one] if one.starts_with('\'') => one.clone(),
        [first, ..] => {
            // `[char]10 + [char]13` would add two numbers: start from a string.
            let lead = if first.starts_with('\'') { "" } else { "'' + " };
            format!("({lead}{})", parts.join(" + "))
        }
    }
}

/// PowerShell may drop a variable assigned an empty string (Windows cannot hold an empty
/// environment variable), so an empty value can read back as unset there.
pub fn export(unset: &[&str], set: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for name in unset {
        let _ = writeln!(
            out,
            "Remove-Item -LiteralPath Env:{name} -ErrorAction SilentlyContinue"
        );
    }
    for (name, value) in set {
        let _ = writeln!(out, "$Env:{name} = {}", quote(value));
    }
    out
}

/// The program is resolved with `Get-Command -CommandType Application` (PATH only, never a
/// function, alias or cmdlet; the name's wildcards escaped) and run with `&`, arguments
/// passed one by one (`$PSNativeCommandArgumentPassing = 'Standard'` where supported).
/// `$LASTEXITCODE` ends as the program's status, or 127 when it is not found. The
/// managed variables are saved first and put back in `finally`, so the shell's own are
/// untouched even when the program fails or is interrupted.
pub fn exec(unset: &[&str], env: &[(&str, &str)], argv: &[String]) -> String {
    let names: Vec<String> = MANAGED.iter().map(|n| format!("'{n}'")).collect();
    let program = argv.first().map(String::as_str).unwrap_or_default();
    let mut out = String::from("& {\n");
    out.push_str("    $__granted_saved = @{}\n");
    let _ = writeln!(
        out,
        "    foreach ($__granted_name in @({})) {{",
        names.join(", ")
    );
    out.push_str(
        "        $__granted_saved[$__granted_name] = [Environment]::GetEnvironmentVariable($__granted_name)\n",
    );
    out.push_str("    }\n");
    out.push_str("    $PSNativeCommandArgumentPassing = 'Standard'\n");
    out.push_str("    try {\n");
    // Indenting line by line is safe: `quote` never writes a raw line break.
    for line in export(unset, env).lines() {
        let _ = writeln!(out, "        {line}");
    }
    let _ = writeln!(
        out,
        "        $__granted_program = Get-Command -CommandType Application -TotalCount 1 -ErrorAction SilentlyContinue -Name ([WildcardPattern]::Escape({}))",
        quote(program)
    );
    out.push_str("        if ($null -eq $__granted_program) {\n");
    let _ = writeln!(
        out,
        "            Write-Error -Message ('command not found: ' + {})",
        quote(program)
    );
    out.push_str("            $global:LASTEXITCODE = 127\n");
    out.push_str("        } else {\n");
    out.push_str("            & $__granted_program");
    for arg in argv.iter().skip(1) {
        out.push(' ');
        out.push_str(&quote(arg));
    }
    out.push('\n');
    out.push_str("        }\n");
    out.push_str("    } finally {\n");
    out.push_str("        foreach ($__granted_name in $__granted_saved.Keys) {\n");
    out.push_str(
        "            [Environment]::SetEnvironmentVariable($__granted_name, $__granted_saved[$__granted_name])\n",
    );
    out.push_str("        }\n");
    out.push_str("    }\n");
    out.push_str("}\n");
    out
}
