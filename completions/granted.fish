# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_granted_global_optspecs
    string join \n verbose aws-config-file= h/help V/version
end

function __fish_granted_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_granted_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_granted_using_subcommand
    set -l cmd (__fish_granted_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c granted -n "__fish_granted_needs_command" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_needs_command" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_needs_command" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_needs_command" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_needs_command" -f -a "credential-process" -d 'Print credentials for a profile as credential_process JSON (for ~/.aws/config)'
complete -c granted -n "__fish_granted_needs_command" -f -a "cache" -d 'Inspect or clear what granted keeps in its encrypted store'
complete -c granted -n "__fish_granted_needs_command" -f -a "sso" -d 'Log in to IAM Identity Center'
complete -c granted -n "__fish_granted_needs_command" -f -a "sso-tokens" -d 'Inspect or forget the SSO tokens granted keeps'
complete -c granted -n "__fish_granted_needs_command" -f -a "settings" -d 'Show or change the settings in ~/.granted/config'
complete -c granted -n "__fish_granted_needs_command" -f -a "credentials" -d 'Keep long-lived IAM keys in granted\'s encrypted store instead of ~/.aws/credentials'
complete -c granted -n "__fish_granted_needs_command" -f -a "assume" -d 'Print the statements that put a profile\'s credentials into your shell (the `assume` function from `granted shell-init` runs this and evaluates them)'
complete -c granted -n "__fish_granted_needs_command" -f -a "shell-init" -d 'Print the `assume` shell function for your rc file: eval "$(granted shell-init bash)" · granted shell-init fish | source'
complete -c granted -n "__fish_granted_needs_command" -f -a "completion" -d 'Print shell completions for granted'
complete -c granted -n "__fish_granted_needs_command" -f -a "profiles" -d 'Print the profile names of ~/.aws/config and ~/.aws/credentials, one a line'
complete -c granted -n "__fish_granted_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c granted -n "__fish_granted_using_subcommand credential-process" -l profile -d 'The AWS profile to get credentials for' -r
complete -c granted -n "__fish_granted_using_subcommand credential-process" -l url -d 'Accepted for compatibility; unused' -r
complete -c granted -n "__fish_granted_using_subcommand credential-process" -l window -d 'Refresh cached credentials when less than this remains (Go duration: 15m, 1h, 90s)' -r
complete -c granted -n "__fish_granted_using_subcommand credential-process" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand credential-process" -l auto-login -d 'Log in to IAM Identity Center (a browser opens on the verification page) when the SSO token is missing or rejected; also CredentialProcessAutoLogin = true'
complete -c granted -n "__fish_granted_using_subcommand credential-process" -l no-cache -d 'Don\'t read or write the credential cache (also GRANTED_NO_CACHE=true)'
complete -c granted -n "__fish_granted_using_subcommand credential-process" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand credential-process" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand credential-process" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -f -a "list" -d 'List the stored items: storage, key and, for credentials, when they expire'
complete -c granted -n "__fish_granted_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -f -a "clear" -d 'Delete the items of one or more storages'
complete -c granted -n "__fish_granted_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from list" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from list" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from clear" -s s -l storage -d 'A storage to clear: session-credentials, sso-tokens, client-registrations, mfa-sessions or iam-credentials (Granted\'s names are accepted too)' -r
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from clear" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from clear" -s a -l all -d 'Clear every storage except iam-credentials (long-lived keys are only cleared when named), and forget the unlocked store key'
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from clear" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from clear" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the stored items: storage, key and, for credentials, when they expire'
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Delete the items of one or more storages'
complete -c granted -n "__fish_granted_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c granted -n "__fish_granted_using_subcommand sso; and not __fish_seen_subcommand_from login logout help" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand sso; and not __fish_seen_subcommand_from login logout help" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand sso; and not __fish_seen_subcommand_from login logout help" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand sso; and not __fish_seen_subcommand_from login logout help" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand sso; and not __fish_seen_subcommand_from login logout help" -f -a "login" -d 'Log in with the device code (a browser opens on the verification page) and keep the token for every profile on that start URL'
complete -c granted -n "__fish_granted_using_subcommand sso; and not __fish_seen_subcommand_from login logout help" -f -a "logout" -d 'End the portal session and forget the kept token of a start URL'
complete -c granted -n "__fish_granted_using_subcommand sso; and not __fish_seen_subcommand_from login logout help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from login" -l sso-start-url -d 'The IAM Identity Center start URL, e.g. https://example.awsapps.com/start' -r
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from login" -l sso-region -d 'The IAM Identity Center region' -r
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from login" -l sso-scope -d 'An OIDC scope to register with (repeatable); sso:account:access gives a refreshable token. Default: sso-portal:*' -r
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from login" -l sso-session -d 'Take the start URL, region and scopes from `[sso-session NAME]` in ~/.aws/config' -r
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from login" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from login" -l export-sso-token -d 'Also write the token where the AWS CLI reads it (~/.aws/sso/cache); the `ExportSSOToken` setting does this for every login'
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from login" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from login" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from login" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from logout" -l sso-start-url -d 'The IAM Identity Center start URL' -r
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from logout" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from logout" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from logout" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from logout" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "login" -d 'Log in with the device code (a browser opens on the verification page) and keep the token for every profile on that start URL'
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "logout" -d 'End the portal session and forget the kept token of a start URL'
complete -c granted -n "__fish_granted_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and not __fish_seen_subcommand_from list clear expiry help" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and not __fish_seen_subcommand_from list clear expiry help" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and not __fish_seen_subcommand_from list clear expiry help" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and not __fish_seen_subcommand_from list clear expiry help" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and not __fish_seen_subcommand_from list clear expiry help" -f -a "list" -d 'List the kept SSO tokens (start URL, region, expiry; never the token)'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and not __fish_seen_subcommand_from list clear expiry help" -f -a "clear" -d 'Forget a start URL\'s token, or every token'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and not __fish_seen_subcommand_from list clear expiry help" -f -a "expiry" -d 'When the kept tokens expire'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and not __fish_seen_subcommand_from list clear expiry help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from list" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from list" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from clear" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from clear" -s a -l all -d 'Every kept token'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from clear" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from clear" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from expiry" -l url -d 'Only this start URL' -r
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from expiry" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from expiry" -l json -d 'As JSON: [{"start_urls":[…],"expires_at":"…","is_expired":false}]'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from expiry" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from expiry" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from expiry" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the kept SSO tokens (start URL, region, expiry; never the token)'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Forget a start URL\'s token, or every token'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from help" -f -a "expiry" -d 'When the kept tokens expire'
complete -c granted -n "__fish_granted_using_subcommand sso-tokens; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c granted -n "__fish_granted_using_subcommand settings; and not __fish_seen_subcommand_from print set help" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand settings; and not __fish_seen_subcommand_from print set help" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand settings; and not __fish_seen_subcommand_from print set help" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand settings; and not __fish_seen_subcommand_from print set help" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand settings; and not __fish_seen_subcommand_from print set help" -f -a "print" -d 'Print every setting and its value'
complete -c granted -n "__fish_granted_using_subcommand settings; and not __fish_seen_subcommand_from print set help" -f -a "set" -d 'Set one setting, keeping the file\'s comments and layout'
complete -c granted -n "__fish_granted_using_subcommand settings; and not __fish_seen_subcommand_from print set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from print" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from print" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from print" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from print" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from set" -s s -l setting -d 'The setting\'s name, e.g. CredentialProcessAutoLogin or Keyring.Backend' -r
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from set" -s v -l value -d 'The value: true/false for switches, a name or path otherwise' -r
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from set" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from set" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from help" -f -a "print" -d 'Print every setting and its value'
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set one setting, keeping the file\'s comments and layout'
complete -c granted -n "__fish_granted_using_subcommand settings; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c granted -n "__fish_granted_using_subcommand credentials; and not __fish_seen_subcommand_from add list remove export-plaintext help" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand credentials; and not __fish_seen_subcommand_from add list remove export-plaintext help" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand credentials; and not __fish_seen_subcommand_from add list remove export-plaintext help" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand credentials; and not __fish_seen_subcommand_from add list remove export-plaintext help" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand credentials; and not __fish_seen_subcommand_from add list remove export-plaintext help" -f -a "add" -d 'Store a profile\'s keys (asked for on the terminal, or read from stdin) and set its credential_process to granted'
complete -c granted -n "__fish_granted_using_subcommand credentials; and not __fish_seen_subcommand_from add list remove export-plaintext help" -f -a "list" -d 'List the profiles whose keys are stored'
complete -c granted -n "__fish_granted_using_subcommand credentials; and not __fish_seen_subcommand_from add list remove export-plaintext help" -f -a "remove" -d 'Delete a profile\'s stored keys and its granted credential_process line'
complete -c granted -n "__fish_granted_using_subcommand credentials; and not __fish_seen_subcommand_from add list remove export-plaintext help" -f -a "export-plaintext" -d 'Move stored keys into ~/.aws/credentials, in plaintext'
complete -c granted -n "__fish_granted_using_subcommand credentials; and not __fish_seen_subcommand_from add list remove export-plaintext help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from add" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from add" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from list" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from list" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from remove" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from remove" -s a -l all -d 'Every profile with stored keys'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from remove" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from export-plaintext" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from export-plaintext" -s a -l all -d 'Every profile with stored keys'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from export-plaintext" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from export-plaintext" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from export-plaintext" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from help" -f -a "add" -d 'Store a profile\'s keys (asked for on the terminal, or read from stdin) and set its credential_process to granted'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the profiles whose keys are stored'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Delete a profile\'s stored keys and its granted credential_process line'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from help" -f -a "export-plaintext" -d 'Move stored keys into ~/.aws/credentials, in plaintext'
complete -c granted -n "__fish_granted_using_subcommand credentials; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c granted -n "__fish_granted_using_subcommand assume" -l shell -d 'The shell to print statements for (set by the shell function)' -r
complete -c granted -n "__fish_granted_using_subcommand assume" -s r -l region -d 'The region to use and export; shorthands like ue1, apse2, euc1 work' -r
complete -c granted -n "__fish_granted_using_subcommand assume" -s d -l duration -d 'Session duration for role assumption (Go duration: 1h, 90m)' -r
complete -c granted -n "__fish_granted_using_subcommand assume" -l mfa-token -d 'The MFA code, instead of asking on the terminal' -r
complete -c granted -n "__fish_granted_using_subcommand assume" -l exec -d 'Run a command with the credentials instead of exporting them: --exec \'cmd args\' or --exec -- cmd args; its exit status is assume\'s' -r
complete -c granted -n "__fish_granted_using_subcommand assume" -l chain -d 'Assume this role ARN on top of the profile\'s credentials' -r
complete -c granted -n "__fish_granted_using_subcommand assume" -l reason -d 'Accepted for compatibility with Granted; no effect' -r
complete -c granted -n "__fish_granted_using_subcommand assume" -l wait -d 'Accepted for compatibility with Granted; no effect' -r
complete -c granted -n "__fish_granted_using_subcommand assume" -s s -l service -r
complete -c granted -n "__fish_granted_using_subcommand assume" -l console-destination -r
complete -c granted -n "__fish_granted_using_subcommand assume" -l browser-profile -r
complete -c granted -n "__fish_granted_using_subcommand assume" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand assume" -s x -l export-all-env-vars -d 'For profiles with credential_process, export the credentials themselves, not just AWS_PROFILE (also DefaultExportAllEnvVar = true)'
complete -c granted -n "__fish_granted_using_subcommand assume" -l unset -d 'Clear every variable assume sets (-un)'
complete -c granted -n "__fish_granted_using_subcommand assume" -l no-cache -d 'Don\'t read or write the credential cache (also GRANTED_NO_CACHE=true)'
complete -c granted -n "__fish_granted_using_subcommand assume" -l export-sso-token -d 'Also write the SSO token where the AWS CLI reads it (-es; also ExportSSOToken)'
complete -c granted -n "__fish_granted_using_subcommand assume" -s y -l confirm -d 'Accepted for compatibility with Granted; no effect'
complete -c granted -n "__fish_granted_using_subcommand assume" -l skip-profile-registry-sync -d 'Accepted for compatibility with Granted; no effect'
complete -c granted -n "__fish_granted_using_subcommand assume" -s c -l console -d 'Granted\'s console flags (-c, -s, -u, -ar, -cd, -bp, -t), which this granted doesn\'t have: named in a clear error'
complete -c granted -n "__fish_granted_using_subcommand assume" -s u -l url
complete -c granted -n "__fish_granted_using_subcommand assume" -l active-role
complete -c granted -n "__fish_granted_using_subcommand assume" -s t -l terminal
complete -c granted -n "__fish_granted_using_subcommand assume" -s e -l env -d 'Granted\'s `--env` (.env file) and `--export` (credentials file), which this granted doesn\'t have: named in a clear error'
complete -c granted -n "__fish_granted_using_subcommand assume" -l export
complete -c granted -n "__fish_granted_using_subcommand assume" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand assume" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand assume" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand shell-init" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand shell-init" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand shell-init" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand shell-init" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand completion" -s s -l shell -d 'bash, zsh, fish, powershell, elvish or nushell' -r
complete -c granted -n "__fish_granted_using_subcommand completion" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand completion" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand completion" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand completion" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand profiles" -l aws-config-file -d 'Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)' -r -F
complete -c granted -n "__fish_granted_using_subcommand profiles" -l verbose -d 'Log what happens to stderr'
complete -c granted -n "__fish_granted_using_subcommand profiles" -s h -l help -d 'Print help'
complete -c granted -n "__fish_granted_using_subcommand profiles" -s V -l version -d 'Print version'
complete -c granted -n "__fish_granted_using_subcommand help; and not __fish_seen_subcommand_from credential-process cache sso sso-tokens settings credentials assume shell-init completion profiles help" -f -a "credential-process" -d 'Print credentials for a profile as credential_process JSON (for ~/.aws/config)'
complete -c granted -n "__fish_granted_using_subcommand help; and not __fish_seen_subcommand_from credential-process cache sso sso-tokens settings credentials assume shell-init completion profiles help" -f -a "cache" -d 'Inspect or clear what granted keeps in its encrypted store'
complete -c granted -n "__fish_granted_using_subcommand help; and not __fish_seen_subcommand_from credential-process cache sso sso-tokens settings credentials assume shell-init completion profiles help" -f -a "sso" -d 'Log in to IAM Identity Center'
complete -c granted -n "__fish_granted_using_subcommand help; and not __fish_seen_subcommand_from credential-process cache sso sso-tokens settings credentials assume shell-init completion profiles help" -f -a "sso-tokens" -d 'Inspect or forget the SSO tokens granted keeps'
complete -c granted -n "__fish_granted_using_subcommand help; and not __fish_seen_subcommand_from credential-process cache sso sso-tokens settings credentials assume shell-init completion profiles help" -f -a "settings" -d 'Show or change the settings in ~/.granted/config'
complete -c granted -n "__fish_granted_using_subcommand help; and not __fish_seen_subcommand_from credential-process cache sso sso-tokens settings credentials assume shell-init completion profiles help" -f -a "credentials" -d 'Keep long-lived IAM keys in granted\'s encrypted store instead of ~/.aws/credentials'
complete -c granted -n "__fish_granted_using_subcommand help; and not __fish_seen_subcommand_from credential-process cache sso sso-tokens settings credentials assume shell-init completion profiles help" -f -a "assume" -d 'Print the statements that put a profile\'s credentials into your shell (the `assume` function from `granted shell-init` runs this and evaluates them)'
complete -c granted -n "__fish_granted_using_subcommand help; and not __fish_seen_subcommand_from credential-process cache sso sso-tokens settings credentials assume shell-init completion profiles help" -f -a "shell-init" -d 'Print the `assume` shell function for your rc file: eval "$(granted shell-init bash)" · granted shell-init fish | source'
complete -c granted -n "__fish_granted_using_subcommand help; and not __fish_seen_subcommand_from credential-process cache sso sso-tokens settings credentials assume shell-init completion profiles help" -f -a "completion" -d 'Print shell completions for granted'
complete -c granted -n "__fish_granted_using_subcommand help; and not __fish_seen_subcommand_from credential-process cache sso sso-tokens settings credentials assume shell-init completion profiles help" -f -a "profiles" -d 'Print the profile names of ~/.aws/config and ~/.aws/credentials, one a line'
complete -c granted -n "__fish_granted_using_subcommand help; and not __fish_seen_subcommand_from credential-process cache sso sso-tokens settings credentials assume shell-init completion profiles help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "list" -d 'List the stored items: storage, key and, for credentials, when they expire'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clear" -d 'Delete the items of one or more storages'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from sso" -f -a "login" -d 'Log in with the device code (a browser opens on the verification page) and keep the token for every profile on that start URL'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from sso" -f -a "logout" -d 'End the portal session and forget the kept token of a start URL'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from sso-tokens" -f -a "list" -d 'List the kept SSO tokens (start URL, region, expiry; never the token)'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from sso-tokens" -f -a "clear" -d 'Forget a start URL\'s token, or every token'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from sso-tokens" -f -a "expiry" -d 'When the kept tokens expire'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from settings" -f -a "print" -d 'Print every setting and its value'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from settings" -f -a "set" -d 'Set one setting, keeping the file\'s comments and layout'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from credentials" -f -a "add" -d 'Store a profile\'s keys (asked for on the terminal, or read from stdin) and set its credential_process to granted'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from credentials" -f -a "list" -d 'List the profiles whose keys are stored'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from credentials" -f -a "remove" -d 'Delete a profile\'s stored keys and its granted credential_process line'
complete -c granted -n "__fish_granted_using_subcommand help; and __fish_seen_subcommand_from credentials" -f -a "export-plaintext" -d 'Move stored keys into ~/.aws/credentials, in plaintext'
