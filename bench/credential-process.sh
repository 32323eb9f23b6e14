#!/usr/bin/env bash
# Times `granted credential-process` for a static-keys profile (no network) with a
# 10-profile and a 10,000-profile ~/.aws/config, against a do-nothing Rust binary built
# with the same release profile (the start-up floor). Needs hyperfine (apt-get install
# hyperfine). Usage: bench/credential-process.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-500}
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }

cargo build --quiet --release --bin granted --example noop
bin=$PWD/target/release/granted
noop=$PWD/target/release/examples/noop

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.aws"

# N Granted-style SSO profiles, then the static-keys profile being asked for, last.
gen() {
    python3 - "$1" > "$2" <<'PY'
import sys
n = int(sys.argv[1])
out = []
for i in range(n - 1):
    out.append(f"[profile account-{i:05d}/AWSAdministratorAccess]\n"
               "granted_sso_start_url = https://example.awsapps.com/start\n"
               "granted_sso_region = ap-southeast-2\n"
               f"granted_sso_account_id = {100000000000 + i}\n"
               "granted_sso_role_name = AWSAdministratorAccess\n"
               "common_fate_generated_from = aws-sso\n"
               f"credential_process = granted credential-process --profile account-{i:05d}/AWSAdministratorAccess\n")
out.append("[profile bench]\naws_access_key_id = AKIABENCHEXAMPLE0001\n"
           "aws_secret_access_key = benchsecretbenchsecretbenchsecret0000000\nregion = us-east-1\n")
sys.stdout.write("\n".join(out))
PY
}
gen 10 "$work/config-10"
gen 10000 "$work/config-10000"
echo "config sizes: $(wc -c < "$work/config-10") bytes, $(wc -c < "$work/config-10000") bytes" >&2

export HOME=$work AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
"$bin" --aws-config-file "$work/config-10000" credential-process --profile bench >/dev/null

hyperfine -N --warmup 50 --runs "$runs" --export-markdown "$work/result.md" \
    -n "do-nothing binary" "$noop" \
    -n "credential-process, 10 profiles" "$bin --aws-config-file $work/config-10 credential-process --profile bench" \
    -n "credential-process, 10000 profiles" "$bin --aws-config-file $work/config-10000 credential-process --profile bench"
cat "$work/result.md"
