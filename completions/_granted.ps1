
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'granted' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'granted'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'granted' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('credential-process', 'credential-process', [CompletionResultType]::ParameterValue, 'Print credentials for a profile as credential_process JSON (for ~/.aws/config)')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Inspect or clear what granted keeps in its encrypted store')
            [CompletionResult]::new('sso', 'sso', [CompletionResultType]::ParameterValue, 'Log in to IAM Identity Center')
            [CompletionResult]::new('sso-tokens', 'sso-tokens', [CompletionResultType]::ParameterValue, 'Inspect or forget the SSO tokens granted keeps')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'Show or change the settings in ~/.granted/config')
            [CompletionResult]::new('credentials', 'credentials', [CompletionResultType]::ParameterValue, 'Keep long-lived IAM keys in granted''s encrypted store instead of ~/.aws/credentials')
            [CompletionResult]::new('assume', 'assume', [CompletionResultType]::ParameterValue, 'Print the statements that put a profile''s credentials into your shell (the `assume` function from `granted shell-init` runs this and evaluates them)')
            [CompletionResult]::new('shell-init', 'shell-init', [CompletionResultType]::ParameterValue, 'Print the `assume` shell function for your rc file: eval "$(granted shell-init bash)" · granted shell-init fish | source')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print shell completions for granted')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'Print the profile names of ~/.aws/config and ~/.aws/credentials, one a line')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'granted;credential-process' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The AWS profile to get credentials for')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Accepted for compatibility; unused')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Refresh cached credentials when less than this remains (Go duration: 15m, 1h, 90s)')
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--auto-login', '--auto-login', [CompletionResultType]::ParameterName, 'Log in to IAM Identity Center (a browser opens on the verification page) when the SSO token is missing or rejected; also CredentialProcessAutoLogin = true')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Don''t read or write the credential cache (also GRANTED_NO_CACHE=true)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;cache' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the stored items: storage, key and, for credentials, when they expire')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Delete the items of one or more storages')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'granted;cache;list' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;cache;clear' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'A storage to clear: session-credentials, sso-tokens, client-registrations, mfa-sessions or iam-credentials (Granted''s names are accepted too)')
            [CompletionResult]::new('--storage', '--storage', [CompletionResultType]::ParameterName, 'A storage to clear: session-credentials, sso-tokens, client-registrations, mfa-sessions or iam-credentials (Granted''s names are accepted too)')
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Clear every storage except iam-credentials (long-lived keys are only cleared when named), and forget the unlocked store key')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Clear every storage except iam-credentials (long-lived keys are only cleared when named), and forget the unlocked store key')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;cache;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the stored items: storage, key and, for credentials, when they expire')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Delete the items of one or more storages')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'granted;cache;help;list' {
            break
        }
        'granted;cache;help;clear' {
            break
        }
        'granted;cache;help;help' {
            break
        }
        'granted;sso' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in with the device code (a browser opens on the verification page) and keep the token for every profile on that start URL')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'End the portal session and forget the kept token of a start URL')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'granted;sso;login' {
            [CompletionResult]::new('--sso-start-url', '--sso-start-url', [CompletionResultType]::ParameterName, 'The IAM Identity Center start URL, e.g. https://example.awsapps.com/start')
            [CompletionResult]::new('--sso-region', '--sso-region', [CompletionResultType]::ParameterName, 'The IAM Identity Center region')
            [CompletionResult]::new('--sso-scope', '--sso-scope', [CompletionResultType]::ParameterName, 'An OIDC scope to register with (repeatable); sso:account:access gives a refreshable token. Default: sso-portal:*')
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'Take the start URL, region and scopes from `[sso-session NAME]` in ~/.aws/config')
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--export-sso-token', '--export-sso-token', [CompletionResultType]::ParameterName, 'Also write the token where the AWS CLI reads it (~/.aws/sso/cache); the `ExportSSOToken` setting does this for every login')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;sso;logout' {
            [CompletionResult]::new('--sso-start-url', '--sso-start-url', [CompletionResultType]::ParameterName, 'The IAM Identity Center start URL')
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;sso;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in with the device code (a browser opens on the verification page) and keep the token for every profile on that start URL')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'End the portal session and forget the kept token of a start URL')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'granted;sso;help;login' {
            break
        }
        'granted;sso;help;logout' {
            break
        }
        'granted;sso;help;help' {
            break
        }
        'granted;sso-tokens' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the kept SSO tokens (start URL, region, expiry; never the token)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Forget a start URL''s token, or every token')
            [CompletionResult]::new('expiry', 'expiry', [CompletionResultType]::ParameterValue, 'When the kept tokens expire')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'granted;sso-tokens;list' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;sso-tokens;clear' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Every kept token')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every kept token')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;sso-tokens;expiry' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Only this start URL')
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'As JSON: [{"start_urls":[…],"expires_at":"…","is_expired":false}]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;sso-tokens;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the kept SSO tokens (start URL, region, expiry; never the token)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Forget a start URL''s token, or every token')
            [CompletionResult]::new('expiry', 'expiry', [CompletionResultType]::ParameterValue, 'When the kept tokens expire')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'granted;sso-tokens;help;list' {
            break
        }
        'granted;sso-tokens;help;clear' {
            break
        }
        'granted;sso-tokens;help;expiry' {
            break
        }
        'granted;sso-tokens;help;help' {
            break
        }
        'granted;settings' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('print', 'print', [CompletionResultType]::ParameterValue, 'Print every setting and its value')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one setting, keeping the file''s comments and layout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'granted;settings;print' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;settings;set' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The setting''s name, e.g. CredentialProcessAutoLogin or Keyring.Backend')
            [CompletionResult]::new('--setting', '--setting', [CompletionResultType]::ParameterName, 'The setting''s name, e.g. CredentialProcessAutoLogin or Keyring.Backend')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'The value: true/false for switches, a name or path otherwise')
            [CompletionResult]::new('--value', '--value', [CompletionResultType]::ParameterName, 'The value: true/false for switches, a name or path otherwise')
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;settings;help' {
            [CompletionResult]::new('print', 'print', [CompletionResultType]::ParameterValue, 'Print every setting and its value')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one setting, keeping the file''s comments and layout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'granted;settings;help;print' {
            break
        }
        'granted;settings;help;set' {
            break
        }
        'granted;settings;help;help' {
            break
        }
        'granted;credentials' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Store a profile''s keys (asked for on the terminal, or read from stdin) and set its credential_process to granted')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the profiles whose keys are stored')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a profile''s stored keys and its granted credential_process line')
            [CompletionResult]::new('export-plaintext', 'export-plaintext', [CompletionResultType]::ParameterValue, 'Move stored keys into ~/.aws/credentials, in plaintext')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'granted;credentials;add' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;credentials;list' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;credentials;remove' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Every profile with stored keys')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every profile with stored keys')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;credentials;export-plaintext' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Every profile with stored keys')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every profile with stored keys')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;credentials;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Store a profile''s keys (asked for on the terminal, or read from stdin) and set its credential_process to granted')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the profiles whose keys are stored')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a profile''s stored keys and its granted credential_process line')
            [CompletionResult]::new('export-plaintext', 'export-plaintext', [CompletionResultType]::ParameterValue, 'Move stored keys into ~/.aws/credentials, in plaintext')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'granted;credentials;help;add' {
            break
        }
        'granted;credentials;help;list' {
            break
        }
        'granted;credentials;help;remove' {
            break
        }
        'granted;credentials;help;export-plaintext' {
            break
        }
        'granted;credentials;help;help' {
            break
        }
        'granted;assume' {
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'The shell to print statements for (set by the shell function)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The region to use and export; shorthands like ue1, apse2, euc1 work')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The region to use and export; shorthands like ue1, apse2, euc1 work')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Session duration for role assumption (Go duration: 1h, 90m)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Session duration for role assumption (Go duration: 1h, 90m)')
            [CompletionResult]::new('--mfa-token', '--mfa-token', [CompletionResultType]::ParameterName, 'The MFA code, instead of asking on the terminal')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run a command with the credentials instead of exporting them: --exec ''cmd args'' or --exec -- cmd args; its exit status is assume''s')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'Assume this role ARN on top of the profile''s credentials')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Accepted for compatibility with Granted; no effect')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Accepted for compatibility with Granted; no effect')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 's')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'service')
            [CompletionResult]::new('--console-destination', '--console-destination', [CompletionResultType]::ParameterName, 'console-destination')
            [CompletionResult]::new('--browser-profile', '--browser-profile', [CompletionResultType]::ParameterName, 'browser-profile')
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'For profiles with credential_process, export the credentials themselves, not just AWS_PROFILE (also DefaultExportAllEnvVar = true)')
            [CompletionResult]::new('--export-all-env-vars', '--export-all-env-vars', [CompletionResultType]::ParameterName, 'For profiles with credential_process, export the credentials themselves, not just AWS_PROFILE (also DefaultExportAllEnvVar = true)')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Clear every variable assume sets (-un)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Don''t read or write the credential cache (also GRANTED_NO_CACHE=true)')
            [CompletionResult]::new('--export-sso-token', '--export-sso-token', [CompletionResultType]::ParameterName, 'Also write the SSO token where the AWS CLI reads it (-es; also ExportSSOToken)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Accepted for compatibility with Granted; no effect')
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'Accepted for compatibility with Granted; no effect')
            [CompletionResult]::new('--skip-profile-registry-sync', '--skip-profile-registry-sync', [CompletionResultType]::ParameterName, 'Accepted for compatibility with Granted; no effect')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Granted''s console flags (-c, -s, -u, -ar, -cd, -bp, -t), which this granted doesn''t have: named in a clear error')
            [CompletionResult]::new('--console', '--console', [CompletionResultType]::ParameterName, 'Granted''s console flags (-c, -s, -u, -ar, -cd, -bp, -t), which this granted doesn''t have: named in a clear error')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'u')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'url')
            [CompletionResult]::new('--active-role', '--active-role', [CompletionResultType]::ParameterName, 'active-role')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 't')
            [CompletionResult]::new('--terminal', '--terminal', [CompletionResultType]::ParameterName, 'terminal')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Granted''s `--env` (.env file) and `--export` (credentials file), which this granted doesn''t have: named in a clear error')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Granted''s `--env` (.env file) and `--export` (credentials file), which this granted doesn''t have: named in a clear error')
            [CompletionResult]::new('--export', '--export', [CompletionResultType]::ParameterName, 'export')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;shell-init' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;completion' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'bash, zsh, fish, powershell, elvish or nushell')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'bash, zsh, fish, powershell, elvish or nushell')
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;profiles' {
            [CompletionResult]::new('--aws-config-file', '--aws-config-file', [CompletionResultType]::ParameterName, 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what happens to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'granted;help' {
            [CompletionResult]::new('credential-process', 'credential-process', [CompletionResultType]::ParameterValue, 'Print credentials for a profile as credential_process JSON (for ~/.aws/config)')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Inspect or clear what granted keeps in its encrypted store')
            [CompletionResult]::new('sso', 'sso', [CompletionResultType]::ParameterValue, 'Log in to IAM Identity Center')
            [CompletionResult]::new('sso-tokens', 'sso-tokens', [CompletionResultType]::ParameterValue, 'Inspect or forget the SSO tokens granted keeps')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'Show or change the settings in ~/.granted/config')
            [CompletionResult]::new('credentials', 'credentials', [CompletionResultType]::ParameterValue, 'Keep long-lived IAM keys in granted''s encrypted store instead of ~/.aws/credentials')
            [CompletionResult]::new('assume', 'assume', [CompletionResultType]::ParameterValue, 'Print the statements that put a profile''s credentials into your shell (the `assume` function from `granted shell-init` runs this and evaluates them)')
            [CompletionResult]::new('shell-init', 'shell-init', [CompletionResultType]::ParameterValue, 'Print the `assume` shell function for your rc file: eval "$(granted shell-init bash)" · granted shell-init fish | source')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print shell completions for granted')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'Print the profile names of ~/.aws/config and ~/.aws/credentials, one a line')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'granted;help;credential-process' {
            break
        }
        'granted;help;cache' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the stored items: storage, key and, for credentials, when they expire')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Delete the items of one or more storages')
            break
        }
        'granted;help;cache;list' {
            break
        }
        'granted;help;cache;clear' {
            break
        }
        'granted;help;sso' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in with the device code (a browser opens on the verification page) and keep the token for every profile on that start URL')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'End the portal session and forget the kept token of a start URL')
            break
        }
        'granted;help;sso;login' {
            break
        }
        'granted;help;sso;logout' {
            break
        }
        'granted;help;sso-tokens' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the kept SSO tokens (start URL, region, expiry; never the token)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Forget a start URL''s token, or every token')
            [CompletionResult]::new('expiry', 'expiry', [CompletionResultType]::ParameterValue, 'When the kept tokens expire')
            break
        }
        'granted;help;sso-tokens;list' {
            break
        }
        'granted;help;sso-tokens;clear' {
            break
        }
        'granted;help;sso-tokens;expiry' {
            break
        }
        'granted;help;settings' {
            [CompletionResult]::new('print', 'print', [CompletionResultType]::ParameterValue, 'Print every setting and its value')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one setting, keeping the file''s comments and layout')
            break
        }
        'granted;help;settings;print' {
            break
        }
        'granted;help;settings;set' {
            break
        }
        'granted;help;credentials' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Store a profile''s keys (asked for on the terminal, or read from stdin) and set its credential_process to granted')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the profiles whose keys are stored')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a profile''s stored keys and its granted credential_process line')
            [CompletionResult]::new('export-plaintext', 'export-plaintext', [CompletionResultType]::ParameterValue, 'Move stored keys into ~/.aws/credentials, in plaintext')
            break
        }
        'granted;help;credentials;add' {
            break
        }
        'granted;help;credentials;list' {
            break
        }
        'granted;help;credentials;remove' {
            break
        }
        'granted;help;credentials;export-plaintext' {
            break
        }
        'granted;help;assume' {
            break
        }
        'granted;help;shell-init' {
            break
        }
        'granted;help;completion' {
            break
        }
        'granted;help;profiles' {
            break
        }
        'granted;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
