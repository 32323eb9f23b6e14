use std::collections::HashMap;

use time::macros::datetime;

use super::*;
use crate::awsconfig::AwsConfig;
use crate::resolve::{Context, resolve};
use crate::secret::Secret;
use crate::store::MemoryStore;

fn chain_of(config: &str, name: &str) -> Chain {
    let cfg = AwsConfig::from_strs(config, "").unwrap();
    let env = |_: &str| None;
    resolve(
        &cfg,
        name,
        &Context {
            env: &env,
            self_names: vec![],
        },
    )
    .unwrap()
}

const BASE: &str = "
[profile dev]
granted_sso_start_url = https://example.awsapps.com/start
granted_sso_region = us-east-1
granted_sso_account_id = 123456789012
granted_sso_role_name = Admin
[profile top]
role_arn = arn:aws:iam::210987654321:role/Top
source_profile = dev
";

fn entry(expiration: OffsetDateTime) -> Entry {
    Entry {
        profile: "dev".into(),
        chain: "c".into(),
        inputs: "i".into(),
        credentials: Credentials {
            access_key_id: "ASIAX".into(),
            secret_access_key: Secret::new("s"),
            session_token: Some(Secret::new("t")),
            expiration: Some(expiration),
            account_id: Some("123456789012".into()),
        },
        stored_at: datetime!(2026-11-26 05:00 UTC),
        assume: None,
        sso_start_url: Some(String::new()),
    }
}

#[test]
fn every_deciding_field_changes_the_chain_hash() {
    let base = chain_hash(&chain_of(BASE, "top"), &[]);
    assert_eq!(base, chain_hash(&chain_of(BASE, "top"), &[]), "stable");
    let edits = [
        ("role/Top", "role/Other"),
        ("123456789012", "123456789013"),
        ("role_name = Admin", "role_name = ReadOnly"),
        ("example.awsapps", "other.awsapps"),
        ("sso_region = us-east-1", "sso_region = eu-west-1"),
        (
            "source_profile = dev",
            "source_profile = dev\nduration_seconds = 1800",
        ),
        (
            "source_profile = dev",
            "source_profile = dev\nexternal_id = x",
        ),
        (
            "source_profile = dev",
            "source_profile = dev\nregion = ap-south-1",
        ),
        (
            "source_profile = dev",
            "source_profile = dev\nendpoint_url = http://127.0.0.1:9",
        ),
    ];
    for (from, to) in edits {
        let edited = BASE.replace(from, to);
        assert_ne!(
            chain_hash(&chain_of(&edited, "top"), &[]),
            base,
            "{from} -> {to}"
        );
    }
    // Comments, other profiles and key order don't matter.
    let cosmetic = format!(
        "# note\n{}\n[profile unrelated]\nregion = x\n",
        BASE.replace(
            "role_arn = arn:aws:iam::210987654321:role/Top\nsource_profile = dev",
            "source_profile = dev\nrole_arn = arn:aws:iam::210987654321:role/Top"
        )
    );
    assert_eq!(chain_hash(&chain_of(&cosmetic, "top"), &[]), base);
}

#[test]
fn round_trip_freshness_and_window() {
    let store = MemoryStore::default();
    let now = datetime!(2026-11-26 05:00 UTC);
    let e = entry(now + time::Duration::minutes(60));
    assert!(save(&store, &e).unwrap());
    let back = load(&store, "dev").unwrap().unwrap();
    assert_eq!(back, e);
    assert!(back.is_fresh(now, DEFAULT_WINDOW));
    assert!(
        !back.is_fresh(now + time::Duration::minutes(45), DEFAULT_WINDOW),
        "exactly 15 min left is not more than the window"
    );
    assert!(back.is_fresh(now + time::Duration::minutes(45), Duration::from_secs(60)));
}

#[test]
fn long_lived_credentials_are_never_stored() {
    let store = MemoryStore::default();
    let mut e = entry(datetime!(2026-11-26 06:00 UTC));
    e.credentials.expiration = None;
    assert!(!save(&store, &e).unwrap());
    assert!(load(&store, "dev").unwrap().is_none());
}

#[test]
fn damaged_or_misfiled_entries_are_misses() {
    let store = MemoryStore::default();
    store
        .put(Namespace::SessionCredentials, "dev", "{not json")
        .unwrap();
    assert!(load(&store, "dev").unwrap().is_none());
    // An entry written for another profile under this one's key is not served.
    let mut e = entry(datetime!(2026-11-26 06:00 UTC));
    e.profile = "other".into();
    store
        .put(Namespace::SessionCredentials, "dev", &e.encode().unwrap())
        .unwrap();
    assert!(load(&store, "dev").unwrap().is_none());
}

#[test]
fn cacheable_chains() {
    assert!(is_cacheable(&chain_of(BASE, "dev")));
    assert!(is_cacheable(&chain_of(BASE, "top")));
    let keys = "[profile k]\naws_access_key_id = A\naws_secret_access_key = B\n";
    assert!(!is_cacheable(&chain_of(keys, "k")), "long-lived keys");
    let mfa = "[profile k]\naws_access_key_id = A\naws_secret_access_key = B\nmfa_serial = arn:aws:iam::1:mfa/x\nregion = us-east-1\n";
    assert!(is_cacheable(&chain_of(mfa, "k")), "an MFA session expires");
}

#[test]
fn inputs_fingerprint_follows_files_and_environment() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let creds = dir.path().join("credentials");
    let vars: HashMap<&str, &str> = HashMap::new();
    let env = |k: &str| vars.get(k).map(|v| (*v).to_owned());
    let missing = inputs_fingerprint(&config, &creds, &env);
    std::fs::write(&config, "[profile a]\n").unwrap();
    let written = inputs_fingerprint(&config, &creds, &env);
    assert_ne!(missing, written);
    assert_eq!(written, inputs_fingerprint(&config, &creds, &env));
    std::fs::write(&config, "[profile a]\nregion = x\n").unwrap();
    assert_ne!(
        written,
        inputs_fingerprint(&config, &creds, &env),
        "an edit changes it"
    );
    // The same size, and the old modification time put back: still a change.
    let before = std::fs::metadata(&config).unwrap();
    let edited = inputs_fingerprint(&config, &creds, &env);
    std::fs::write(&config, "[profile a]\nregion = y\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&config)
        .unwrap()
        .set_modified(before.modified().unwrap())
        .unwrap();
    assert_eq!(std::fs::metadata(&config).unwrap().len(), before.len());
    assert_ne!(
        edited,
        inputs_fingerprint(&config, &creds, &env),
        "same size and modification time"
    );
    let region = |k: &str| (k == "AWS_REGION").then(|| "eu-west-1".to_owned());
    assert_ne!(
        inputs_fingerprint(&config, &creds, &env),
        inputs_fingerprint(&config, &creds, &region)
    );
}

#[test]
fn the_assume_view_round_trips_and_old_entries_read_without_one() {
    let store = crate::store::MemoryStore::new();
    let mut e = entry(datetime!(2026-11-26 06:00 UTC));
    save(&store, &e).unwrap();
    assert_eq!(load(&store, "dev").unwrap().unwrap().assume, None);
    e.assume = Some(AssumeView {
        profile: "dev".into(),
        region: Some("eu-west-1".into()),
        sso: Some(SsoView {
            start_url: "https://example.awsapps.com/start".into(),
            region: "us-east-1".into(),
            account_id: "123456789012".into(),
            role_name: "Admin".into(),
        }),
        window_secs: 900,
    });
    save(&store, &e).unwrap();
    assert_eq!(load(&store, "dev").unwrap().unwrap(), e);
}

#[test]
fn secret_inputs_change_the_chain_hash() {
    let chain = chain_of(BASE, "top");
    let a = chain_hash(&chain, &["AKIAONE", "secret-one", ""]);
    assert_ne!(a, chain_hash(&chain, &["AKIAONE", "secret-two", ""]));
    assert_ne!(a, chain_hash(&chain, &["AKIATWO", "secret-one", ""]));
    assert_ne!(a, chain_hash(&chain, &[]));
    assert_eq!(a, chain_hash(&chain, &["AKIAONE", "secret-one", ""]));
}

#[test]
fn forgetting_a_start_url_deletes_its_entries_and_those_of_unknown_origin() {
    let store = crate::store::MemoryStore::new();
    let at = datetime!(2026-11-26 06:00 UTC);
    let put = |profile: &str, url: Option<&str>| {
        let mut e = entry(at);
        e.profile = profile.into();
        e.sso_start_url = url.map(str::to_owned);
        save(&store, &e).unwrap();
    };
    put("a", Some("https://a.awsapps.com/start"));
    put("a2", Some("https://a.awsapps.com/start/"));
    put("b", Some("https://b.awsapps.com/start"));
    put("keys", Some(""));
    put("old", None);
    assert_eq!(
        forget_sso(&store, "https://a.awsapps.com/start/").unwrap(),
        3
    );
    let left = store.list(Namespace::SessionCredentials).unwrap();
    assert_eq!(left, ["b", "keys"]);
}
