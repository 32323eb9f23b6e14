module completions {

  # AWS credentials for your shell and for credential_process
  export extern granted [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Print credentials for a profile as credential_process JSON (for ~/.aws/config)
  export extern "granted credential-process" [
    --profile: string         # The AWS profile to get credentials for
    --url: string             # Accepted for compatibility; unused
    --window: string          # Refresh cached credentials when less than this remains (Go duration: 15m, 1h, 90s)
    --auto-login              # Log in to IAM Identity Center (a browser opens on the verification page) when the SSO token is missing or rejected; also CredentialProcessAutoLogin = true
    --no-cache                # Don't read or write the credential cache (also GRANTED_NO_CACHE=true)
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Inspect or clear what granted keeps in its encrypted store
  export extern "granted cache" [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # List the stored items: storage, key and, for credentials, when they expire
  export extern "granted cache list" [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Delete the items of one or more storages
  export extern "granted cache clear" [
    --storage(-s): string     # A storage to clear: session-credentials, sso-tokens, client-registrations, mfa-sessions or iam-credentials (Granted's names are accepted too)
    --all(-a)                 # Clear every storage except iam-credentials (long-lived keys are only cleared when named), and forget the unlocked store key
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "granted cache help" [
  ]

  # List the stored items: storage, key and, for credentials, when they expire
  export extern "granted cache help list" [
  ]

  # Delete the items of one or more storages
  export extern "granted cache help clear" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "granted cache help help" [
  ]

  # Log in to IAM Identity Center
  export extern "granted sso" [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Log in with the device code (a browser opens on the verification page) and keep the token for every profile on that start URL
  export extern "granted sso login" [
    --sso-start-url: string   # The IAM Identity Center start URL, e.g. https://example.awsapps.com/start
    --sso-region: string      # The IAM Identity Center region
    --sso-scope: string       # An OIDC scope to register with (repeatable); sso:account:access gives a refreshable token. Default: sso-portal:*
    --sso-session: string     # Take the start URL, region and scopes from `[sso-session NAME]` in ~/.aws/config
    --export-sso-token        # Also write the token where the AWS CLI reads it (~/.aws/sso/cache); the `ExportSSOToken` setting does this for every login
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # End the portal session and forget the kept token of a start URL
  export extern "granted sso logout" [
    --sso-start-url: string   # The IAM Identity Center start URL
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "granted sso help" [
  ]

  # Log in with the device code (a browser opens on the verification page) and keep the token for every profile on that start URL
  export extern "granted sso help login" [
  ]

  # End the portal session and forget the kept token of a start URL
  export extern "granted sso help logout" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "granted sso help help" [
  ]

  # Inspect or forget the SSO tokens granted keeps
  export extern "granted sso-tokens" [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # List the kept SSO tokens (start URL, region, expiry; never the token)
  export extern "granted sso-tokens list" [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Forget a start URL's token, or every token
  export extern "granted sso-tokens clear" [
    --all(-a)                 # Every kept token
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
    start_url?: string        # The start URL
  ]

  # When the kept tokens expire
  export extern "granted sso-tokens expiry" [
    --url: string             # Only this start URL
    --json                    # As JSON: [{"start_urls":[…],"expires_at":"…","is_expired":false}]
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "granted sso-tokens help" [
  ]

  # List the kept SSO tokens (start URL, region, expiry; never the token)
  export extern "granted sso-tokens help list" [
  ]

  # Forget a start URL's token, or every token
  export extern "granted sso-tokens help clear" [
  ]

  # When the kept tokens expire
  export extern "granted sso-tokens help expiry" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "granted sso-tokens help help" [
  ]

  # Show or change the settings in ~/.granted/config
  export extern "granted settings" [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Print every setting and its value
  export extern "granted settings print" [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Set one setting, keeping the file's comments and layout
  export extern "granted settings set" [
    --setting(-s): string     # The setting's name, e.g. CredentialProcessAutoLogin or Keyring.Backend
    --value(-v): string       # The value: true/false for switches, a name or path otherwise
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "granted settings help" [
  ]

  # Print every setting and its value
  export extern "granted settings help print" [
  ]

  # Set one setting, keeping the file's comments and layout
  export extern "granted settings help set" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "granted settings help help" [
  ]

  # Keep long-lived IAM keys in granted's encrypted store instead of ~/.aws/credentials
  export extern "granted credentials" [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Store a profile's keys (asked for on the terminal, or read from stdin) and set its credential_process to granted
  export extern "granted credentials add" [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
    profile: string           # The profile to store keys for
  ]

  # List the profiles whose keys are stored
  export extern "granted credentials list" [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Delete a profile's stored keys and its granted credential_process line
  export extern "granted credentials remove" [
    --all(-a)                 # Every profile with stored keys
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
    profile?: string          # The profile
  ]

  # Move stored keys into ~/.aws/credentials, in plaintext
  export extern "granted credentials export-plaintext" [
    --all(-a)                 # Every profile with stored keys
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
    profile?: string          # The profile
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "granted credentials help" [
  ]

  # Store a profile's keys (asked for on the terminal, or read from stdin) and set its credential_process to granted
  export extern "granted credentials help add" [
  ]

  # List the profiles whose keys are stored
  export extern "granted credentials help list" [
  ]

  # Delete a profile's stored keys and its granted credential_process line
  export extern "granted credentials help remove" [
  ]

  # Move stored keys into ~/.aws/credentials, in plaintext
  export extern "granted credentials help export-plaintext" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "granted credentials help help" [
  ]

  # Print the statements that put a profile's credentials into your shell (the `assume` function from `granted shell-init` runs this and evaluates them)
  export extern "granted assume" [
    --shell: string           # The shell to print statements for (set by the shell function)
    --export-all-env-vars(-x) # For profiles with credential_process, export the credentials themselves, not just AWS_PROFILE (also DefaultExportAllEnvVar = true)
    --unset                   # Clear every variable assume sets (-un)
    --region(-r): string      # The region to use and export; shorthands like ue1, apse2, euc1 work
    --duration(-d): string    # Session duration for role assumption (Go duration: 1h, 90m)
    --mfa-token: string       # The MFA code, instead of asking on the terminal
    --exec: string            # Run a command with the credentials instead of exporting them: --exec 'cmd args' or --exec -- cmd args; its exit status is assume's
    --chain: string           # Assume this role ARN on top of the profile's credentials
    --no-cache                # Don't read or write the credential cache (also GRANTED_NO_CACHE=true)
    --export-sso-token        # Also write the SSO token where the AWS CLI reads it (-es; also ExportSSOToken)
    --reason: string          # Accepted for compatibility with Granted; no effect
    --confirm(-y)             # Accepted for compatibility with Granted; no effect
    --wait: string            # Accepted for compatibility with Granted; no effect
    --skip-profile-registry-sync # Accepted for compatibility with Granted; no effect
    --console(-c)             # Granted's console flags (-c, -s, -u, -ar, -cd, -bp, -t), which this granted doesn't have: named in a clear error
    --service(-s): string
    --url(-u)
    --active-role
    --console-destination: string
    --browser-profile: string
    --terminal(-t)
    --env(-e)                 # Granted's `--env` (.env file) and `--export` (credentials file), which this granted doesn't have: named in a clear error
    --export
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
    profile?: string          # The profile to assume; without it a picker opens on the terminal
  ]

  # Print the `assume` shell function for your rc file: eval "$(granted shell-init bash)" · granted shell-init fish | source
  export extern "granted shell-init" [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
    shell: string             # bash, zsh, sh, fish, powershell or nu
  ]

  # Print shell completions for granted
  export extern "granted completion" [
    --shell(-s): string       # bash, zsh, fish, powershell, elvish or nushell
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Print the profile names of ~/.aws/config and ~/.aws/credentials, one a line
  export extern "granted profiles" [
    --verbose                 # Log what happens to stderr
    --aws-config-file: path   # Read this AWS config file instead of ~/.aws/config (sets AWS_CONFIG_FILE)
    --help(-h)                # Print help
    --version(-V)             # Print version
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "granted help" [
  ]

  # Print credentials for a profile as credential_process JSON (for ~/.aws/config)
  export extern "granted help credential-process" [
  ]

  # Inspect or clear what granted keeps in its encrypted store
  export extern "granted help cache" [
  ]

  # List the stored items: storage, key and, for credentials, when they expire
  export extern "granted help cache list" [
  ]

  # Delete the items of one or more storages
  export extern "granted help cache clear" [
  ]

  # Log in to IAM Identity Center
  export extern "granted help sso" [
  ]

  # Log in with the device code (a browser opens on the verification page) and keep the token for every profile on that start URL
  export extern "granted help sso login" [
  ]

  # End the portal session and forget the kept token of a start URL
  export extern "granted help sso logout" [
  ]

  # Inspect or forget the SSO tokens granted keeps
  export extern "granted help sso-tokens" [
  ]

  # List the kept SSO tokens (start URL, region, expiry; never the token)
  export extern "granted help sso-tokens list" [
  ]

  # Forget a start URL's token, or every token
  export extern "granted help sso-tokens clear" [
  ]

  # When the kept tokens expire
  export extern "granted help sso-tokens expiry" [
  ]

  # Show or change the settings in ~/.granted/config
  export extern "granted help settings" [
  ]

  # Print every setting and its value
  export extern "granted help settings print" [
  ]

  # Set one setting, keeping the file's comments and layout
  export extern "granted help settings set" [
  ]

  # Keep long-lived IAM keys in granted's encrypted store instead of ~/.aws/credentials
  export extern "granted help credentials" [
  ]

  # Store a profile's keys (asked for on the terminal, or read from stdin) and set its credential_process to granted
  export extern "granted help credentials add" [
  ]

  # List the profiles whose keys are stored
  export extern "granted help credentials list" [
  ]

  # Delete a profile's stored keys and its granted credential_process line
  export extern "granted help credentials remove" [
  ]

  # Move stored keys into ~/.aws/credentials, in plaintext
  export extern "granted help credentials export-plaintext" [
  ]

  # Print the statements that put a profile's credentials into your shell (the `assume` function from `granted shell-init` runs this and evaluates them)
  export extern "granted help assume" [
  ]

  # Print the `assume` shell function for your rc file: eval "$(granted shell-init bash)" · granted shell-init fish | source
  export extern "granted help shell-init" [
  ]

  # Print shell completions for granted
  export extern "granted help completion" [
  ]

  # Print the profile names of ~/.aws/config and ~/.aws/credentials, one a line
  export extern "granted help profiles" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "granted help help" [
  ]

}

export use completions *
