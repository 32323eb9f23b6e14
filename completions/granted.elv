
use builtin;
use str;

set edit:completion:arg-completer[granted] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'granted'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'granted'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand credential-process 'Print credentials for a profile as credential_process JSON (for ~/.aws/config)'
            cand cache 'Inspect or clear what granted keeps in its encrypted store'
            cand sso 'Log in to IAM Identity Center'
            cand sso-tokens 'Inspect or forget the SSO tokens granted keeps'
            cand settings 'Show or change the settings in ~/.granted/config'
            cand credentials 'Keep long-lived IAM keys in granted''s encrypted store instead of ~/.aws/credentials'
            cand assume 'Print the statements that put a profile''s credentials into your shell (the `assume` function from `granted shell-init` runs this and evaluates them)'
            cand shell-init 'Print the `assume` shell function for your rc file: eval "$(granted shell-init bash)" · granted shell-init fish | source'
            cand completion 'Print shell completions for granted'
            cand profiles 'Print the profile names of ~/.aws/config and ~/.aws/credentials, one a line'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'granted;credential-process'= {
            cand --profile 'The AWS profile to get credentials for'
            cand --url 'Accepted for compatibility; unused'
            cand --window 'Refresh cached credentials when less than this remains (Go duration: 15m, 1h, 90s)'
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --auto-login 'Log in to IAM Identity Center (a browser opens on the verification page) when the SSO token is missing or rejected; also CredentialProcessAutoLogin = true'
            cand --no-cache 'Don''t read or write the credential cache (also GRANTED_NO_CACHE=true)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;cache'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the stored items: storage, key and, for credentials, when they expire'
            cand clear 'Delete the items of one or more storages'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'granted;cache;list'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;cache;clear'= {
            cand -s 'A storage to clear: session-credentials, sso-tokens, client-registrations, mfa-sessions or iam-credentials (Granted''s names are accepted too)'
            cand --storage 'A storage to clear: session-credentials, sso-tokens, client-registrations, mfa-sessions or iam-credentials (Granted''s names are accepted too)'
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand -a 'Clear every storage except iam-credentials (long-lived keys are only cleared when named), and forget the unlocked store key'
            cand --all 'Clear every storage except iam-credentials (long-lived keys are only cleared when named), and forget the unlocked store key'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;cache;help'= {
            cand list 'List the stored items: storage, key and, for credentials, when they expire'
            cand clear 'Delete the items of one or more storages'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'granted;cache;help;list'= {
        }
        &'granted;cache;help;clear'= {
        }
        &'granted;cache;help;help'= {
        }
        &'granted;sso'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Log in with the device code (a browser opens on the verification page) and keep the token for every profile on that start URL'
            cand logout 'End the portal session and forget the kept token of a start URL'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'granted;sso;login'= {
            cand --sso-start-url 'The IAM Identity Center start URL, e.g. https://example.awsapps.com/start'
            cand --sso-region 'The IAM Identity Center region'
            cand --sso-scope 'An OIDC scope to register with (repeatable); sso:account:access gives a refreshable token. Default: sso-portal:*'
            cand --sso-session 'Take the start URL, region and scopes from `[sso-session NAME]` in ~/.aws/config'
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --export-sso-token 'Also write the token where the AWS CLI reads it (~/.aws/sso/cache); the `ExportSSOToken` setting does this for every login'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;sso;logout'= {
            cand --sso-start-url 'The IAM Identity Center start URL'
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;sso;help'= {
            cand login 'Log in with the device code (a browser opens on the verification page) and keep the token for every profile on that start URL'
            cand logout 'End the portal session and forget the kept token of a start URL'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'granted;sso;help;login'= {
        }
        &'granted;sso;help;logout'= {
        }
        &'granted;sso;help;help'= {
        }
        &'granted;sso-tokens'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the kept SSO tokens (start URL, region, expiry; never the token)'
            cand clear 'Forget a start URL''s token, or every token'
            cand expiry 'When the kept tokens expire'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'granted;sso-tokens;list'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;sso-tokens;clear'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand -a 'Every kept token'
            cand --all 'Every kept token'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;sso-tokens;expiry'= {
            cand --url 'Only this start URL'
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --json 'As JSON: [{"start_urls":[…],"expires_at":"…","is_expired":false}]'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;sso-tokens;help'= {
            cand list 'List the kept SSO tokens (start URL, region, expiry; never the token)'
            cand clear 'Forget a start URL''s token, or every token'
            cand expiry 'When the kept tokens expire'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'granted;sso-tokens;help;list'= {
        }
        &'granted;sso-tokens;help;clear'= {
        }
        &'granted;sso-tokens;help;expiry'= {
        }
        &'granted;sso-tokens;help;help'= {
        }
        &'granted;settings'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand print 'Print every setting and its value'
            cand set 'Set one setting, keeping the file''s comments and layout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'granted;settings;print'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;settings;set'= {
            cand -s 'The setting''s name, e.g. CredentialProcessAutoLogin or Keyring.Backend'
            cand --setting 'The setting''s name, e.g. CredentialProcessAutoLogin or Keyring.Backend'
            cand -v 'The value: true/false for switches, a name or path otherwise'
            cand --value 'The value: true/false for switches, a name or path otherwise'
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;settings;help'= {
            cand print 'Print every setting and its value'
            cand set 'Set one setting, keeping the file''s comments and layout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'granted;settings;help;print'= {
        }
        &'granted;settings;help;set'= {
        }
        &'granted;settings;help;help'= {
        }
        &'granted;credentials'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Store a profile''s keys (asked for on the terminal, or read from stdin) and set its credential_process to granted'
            cand list 'List the profiles whose keys are stored'
            cand remove 'Delete a profile''s stored keys and its granted credential_process line'
            cand export-plaintext 'Move stored keys into ~/.aws/credentials, in plaintext'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'granted;credentials;add'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;credentials;list'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;credentials;remove'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand -a 'Every profile with stored keys'
            cand --all 'Every profile with stored keys'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;credentials;export-plaintext'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand -a 'Every profile with stored keys'
            cand --all 'Every profile with stored keys'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;credentials;help'= {
            cand add 'Store a profile''s keys (asked for on the terminal, or read from stdin) and set its credential_process to granted'
            cand list 'List the profiles whose keys are stored'
            cand remove 'Delete a profile''s stored keys and its granted credential_process line'
            cand export-plaintext 'Move stored keys into ~/.aws/credentials, in plaintext'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'granted;credentials;help;add'= {
        }
        &'granted;credentials;help;list'= {
        }
        &'granted;credentials;help;remove'= {
        }
        &'granted;credentials;help;export-plaintext'= {
        }
        &'granted;credentials;help;help'= {
        }
        &'granted;assume'= {
            cand --shell 'The shell to print statements for (set by the shell function)'
            cand -r 'The region to use and export; shorthands like ue1, apse2, euc1 work'
            cand --region 'The region to use and export; shorthands like ue1, apse2, euc1 work'
            cand -d 'Session duration for role assumption (Go duration: 1h, 90m)'
            cand --duration 'Session duration for role assumption (Go duration: 1h, 90m)'
            cand --mfa-token 'The MFA code, instead of asking on the terminal'
            cand --exec 'Run a command with the credentials instead of exporting them: --exec ''cmd args'' or --exec -- cmd args; its exit status is assume''s'
            cand --chain 'Assume this role ARN on top of the profile''s credentials'
            cand --reason 'Accepted for compatibility with Granted; no effect'
            cand --wait 'Accepted for compatibility with Granted; no effect'
            cand -s 's'
            cand --service 'service'
            cand --console-destination 'console-destination'
            cand --browser-profile 'browser-profile'
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand -x 'For profiles with credential_process, export the credentials themselves, not just AWS_PROFILE (also DefaultExportAllEnvVar = true)'
            cand --export-all-env-vars 'For profiles with credential_process, export the credentials themselves, not just AWS_PROFILE (also DefaultExportAllEnvVar = true)'
            cand --unset 'Clear every variable assume sets (-un)'
            cand --no-cache 'Don''t read or write the credential cache (also GRANTED_NO_CACHE=true)'
            cand --export-sso-token 'Also write the SSO token where the AWS CLI reads it (-es; also ExportSSOToken)'
            cand -y 'Accepted for compatibility with Granted; no effect'
            cand --confirm 'Accepted for compatibility with Granted; no effect'
            cand --skip-profile-registry-sync 'Accepted for compatibility with Granted; no effect'
            cand -c 'Granted''s console flags (-c, -s, -u, -ar, -cd, -bp, -t), which this granted doesn''t have: named in a clear error'
            cand --console 'Granted''s console flags (-c, -s, -u, -ar, -cd, -bp, -t), which this granted doesn''t have: named in a clear error'
            cand -u 'u'
            cand --url 'url'
            cand --active-role 'active-role'
            cand -t 't'
            cand --terminal 'terminal'
            cand -e 'Granted''s `--env` (.env file) and `--export` (credentials file), which this granted doesn''t have: named in a clear error'
            cand --env 'Granted''s `--env` (.env file) and `--export` (credentials file), which this granted doesn''t have: named in a clear error'
            cand --export 'export'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;shell-init'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;completion'= {
            cand -s 'bash, zsh, fish, powershell, elvish or nushell'
            cand --shell 'bash, zsh, fish, powershell, elvish or nushell'
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;profiles'= {
            cand --aws-config-file 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)'
            cand --verbose 'Log what happens to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'granted;help'= {
            cand credential-process 'Print credentials for a profile as credential_process JSON (for ~/.aws/config)'
            cand cache 'Inspect or clear what granted keeps in its encrypted store'
            cand sso 'Log in to IAM Identity Center'
            cand sso-tokens 'Inspect or forget the SSO tokens granted keeps'
            cand settings 'Show or change the settings in ~/.granted/config'
            cand credentials 'Keep long-lived IAM keys in granted''s encrypted store instead of ~/.aws/credentials'
            cand assume 'Print the statements that put a profile''s credentials into your shell (the `assume` function from `granted shell-init` runs this and evaluates them)'
            cand shell-init 'Print the `assume` shell function for your rc file: eval "$(granted shell-init bash)" · granted shell-init fish | source'
            cand completion 'Print shell completions for granted'
            cand profiles 'Print the profile names of ~/.aws/config and ~/.aws/credentials, one a line'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'granted;help;credential-process'= {
        }
        &'granted;help;cache'= {
            cand list 'List the stored items: storage, key and, for credentials, when they expire'
            cand clear 'Delete the items of one or more storages'
        }
        &'granted;help;cache;list'= {
        }
        &'granted;help;cache;clear'= {
        }
        &'granted;help;sso'= {
            cand login 'Log in with the device code (a browser opens on the verification page) and keep the token for every profile on that start URL'
            cand logout 'End the portal session and forget the kept token of a start URL'
        }
        &'granted;help;sso;login'= {
        }
        &'granted;help;sso;logout'= {
        }
        &'granted;help;sso-tokens'= {
            cand list 'List the kept SSO tokens (start URL, region, expiry; never the token)'
            cand clear 'Forget a start URL''s token, or every token'
            cand expiry 'When the kept tokens expire'
        }
        &'granted;help;sso-tokens;list'= {
        }
        &'granted;help;sso-tokens;clear'= {
        }
        &'granted;help;sso-tokens;expiry'= {
        }
        &'granted;help;settings'= {
            cand print 'Print every setting and its value'
            cand set 'Set one setting, keeping the file''s comments and layout'
        }
        &'granted;help;settings;print'= {
        }
        &'granted;help;settings;set'= {
        }
        &'granted;help;credentials'= {
            cand add 'Store a profile''s keys (asked for on the terminal, or read from stdin) and set its credential_process to granted'
            cand list 'List the profiles whose keys are stored'
            cand remove 'Delete a profile''s stored keys and its granted credential_process line'
            cand export-plaintext 'Move stored keys into ~/.aws/credentials, in plaintext'
        }
        &'granted;help;credentials;add'= {
        }
        &'granted;help;credentials;list'= {
        }
        &'granted;help;credentials;remove'= {
        }
        &'granted;help;credentials;export-plaintext'= {
        }
        &'granted;help;assume'= {
        }
        &'granted;help;shell-init'= {
        }
        &'granted;help;completion'= {
        }
        &'granted;help;profiles'= {
        }
        &'granted;help;help'= {
        }
    ]
    $completions[$command]
}
