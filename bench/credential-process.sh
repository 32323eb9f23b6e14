#!/usr/bin/env bash
# Times `granted credential-process` against a do-nothing Rust binary built with the
# same release profile (the start-up floor), with a 10-profile and a 10,000-profile
# ~/.aws/config:
#   - a static-keys profile (no cache, no network): the cost of reading the config;
#   - an SSO profile served from the credential cache (the hot path under the AWS CLI),
#     after one call that fetched from the bundled emulator on 127.0.0.1;
#   - `granted assume --shell bash` (what the shell function runs) for both profiles;
# then checks the performance targets (cache hit <= 1.5x the floor; static keys at
# 10,000 profiles <= +1 ms over 10; assume on a cached credential_process profile <= 2x).
# Needs hyperfine (apt-get install hyperfine) and python3. Usage:
#   bench/credential-process.sh [RUNS]
#   GRANTED_BENCH_BIN=/path/to/other/granted bench/credential-process.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-500}
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }

cargo build --quiet --release --bin granted --example noop -p granted
cargo build --quiet --release -p granted-emulator
# GRANTED_BENCH_BIN: another granted binary to time (e.g. an earlier build, for a
# before/after comparison on the same machine).
bin=${GRANTED_BENCH_BIN:-$PWD/target/release/granted}
noop=$PWD/target/release/examples/noop
emulator=$PWD/target/release/granted-emulator

work=$(mktemp -d)
emu_pid=
cleanup() {
    [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/.aws/sso/cache"

# The emulator stops by itself after 120 s idle.
coproc EMU { "$emulator" --idle-timeout 120; }
emu_pid=$EMU_PID
read -r url <&"${EMU[0]}"
start_url=https://example.awsapps.com/start
token_json=$(python3 - "$url" "$start_url" <<'PY'
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/_emulator/tokens", method="POST",
      data=json.dumps({"startUrl": sys.argv[2], "expiresInSeconds": 28800}).encode(),
      headers={"content-type": "application/json"})
print(urllib.request.urlopen(req).read().decode())
PY
)
python3 - "$work" "$start_url" "$token_json" <<'PY'
import hashlib, json, sys
work, start_url, token = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
name = hashlib.sha1(start_url.encode()).hexdigest() + ".json"
json.dump({"startUrl": start_url, "region": "us-east-1", "accessToken": token["accessToken"],
           "expiresAt": token["expiresAt"]}, open(f"{work}/.aws/sso/cache/{name}", "w"))
PY

# N Granted-style SSO profiles, then the two profiles being asked for, last.
gen() {
    python3 - "$1" "$url" > "$2" <<'PY'
import sys
n, url = int(sys.argv[1]), sys.argv[2]
out = []
for i in range(n - 2):
    out.append(f"[profile account-{i:05d}/AWSAdministratorAccess]\n"
               "granted_sso_start_url = https://example.awsapps.com/start\n"
               "granted_sso_region = ap-southeast-2\n"
               f"granted_sso_account_id = {100000000000 + i}\n"
               "granted_sso_role_name = AWSAdministratorAccess\n"
               "common_fate_generated_from = aws-sso\n"
               f"credential_process = granted credential-process --profile account-{i:05d}/AWSAdministratorAccess\n")
out.append("[profile bench]\naws_access_key_id = AKIABENCHEXAMPLE0001\n"
           "aws_secret_access_key = benchsecretbenchsecretbenchsecret0000000\nregion = us-east-1\n")
out.append("[profile bench-sso]\ngranted_sso_start_url = https://example.awsapps.com/start\n"
           "granted_sso_region = us-east-1\ngranted_sso_account_id = 123456789012\n"
           "granted_sso_role_name = AWSAdministratorAccess\n"
           f"credential_process = granted credential-process --profile bench-sso\nendpoint_url = {url}\n")
sys.stdout.write("\n".join(out))
PY
}
gen 10 "$work/config-10"
gen 10000 "$work/config-10000"
echo "config sizes: $(wc -c < "$work/config-10") bytes, $(wc -c < "$work/config-10000") bytes" >&2

export HOME=$work AWS_EC2_METADATA_DISABLED=true CF_KEYRING_FILE_PASSWORD=bench-passphrase
unset AWS_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE AWS_ENDPOINT_URL AWS_REGION AWS_DEFAULT_REGION
# Warm: the first calls fetch from the emulator and fill the cache (one entry per config file).
for n in 10 10000; do
    "$bin" --aws-config-file "$work/config-$n" credential-process --profile bench >/dev/null
    "$bin" --aws-config-file "$work/config-$n" credential-process --profile bench-sso >/dev/null
done
"$bin" cache list >&2

hyperfine -N --warmup 50 --runs "$runs" --export-markdown "$work/result.md" --export-json "$work/result.json" \
    -n "do-nothing binary" "$noop" \
    -n "static keys, 10 profiles" "$bin --aws-config-file $work/config-10 credential-process --profile bench" \
    -n "static keys, 10000 profiles" "$bin --aws-config-file $work/config-10000 credential-process --profile bench" \
    -n "cache hit, 10 profiles" "$bin --aws-config-file $work/config-10 credential-process --profile bench-sso" \
    -n "cache hit, 10000 profiles" "$bin --aws-config-file $work/config-10000 credential-process --profile bench-sso" \
    -n "assume, static keys, 10 profiles" "$bin --aws-config-file $work/config-10 assume --shell bash bench" \
    -n "assume, credential_process (cache hit), 10 profiles" "$bin --aws-config-file $work/config-10 assume --shell bash bench-sso" \
    -n "assume, credential_process (cache hit), 10000 profiles" "$bin --aws-config-file $work/config-10000 assume --shell bash bench-sso"
cat "$work/result.md"
python3 - "$work/result.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
floor = results[0]["median"]
print("\nmedians:")
for r in results:
    print(f"  {r['command'][:56]:58s} {r['median'] * 1000:6.3f} ms  {r['median'] / floor:4.2f}x")
by = {r["command"]: r["median"] for r in results}
def m(name):
    return next(v for k, v in by.items() if k == name)
print("\ntargets:")
def target(what, value, limit, unit):
    mark = "ok  " if value <= limit else "OVER"
    print(f"  [{mark}] {what:62s} {value:5.2f}{unit} (at most {limit}{unit})")
for n in (10, 10000):
    target(f"credential-process cache hit, {n} profiles, vs floor", m(f"cache hit, {n} profiles") / floor, 1.5, "x")
target("static keys: 10000 profiles over 10 profiles",
       (m("static keys, 10000 profiles") - m("static keys, 10 profiles")) * 1000, 1.0, " ms")
for n in (10, 10000):
    target(f"assume credential_process (cache hit), {n} profiles, vs floor",
           m(f"assume, credential_process (cache hit), {n} profiles") / floor, 2.0, "x")
PY
# Leave no unlocked store key behind in the kernel keyring.
"$bin" cache clear --all >/dev/null 2>&1 || true
