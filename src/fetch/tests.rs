//! The plan is plain data made from an injected environment and clock: no process
//! state is read or set.

use super::*;
use crate::sys::{Clock, Env, Sys};

fn service_test(config: &str, vars: &[(&str, &str)], check: impl FnOnce(&Service<'_>)) {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aws")).unwrap();
    std::fs::write(home.path().join(".aws/config"), config).unwrap();
    let mut env: Vec<(String, String)> = vec![("HOME".into(), home.path().display().to_string())];
    env.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    let sys = Sys {
        env: Env::fixed(env),
        clock: Clock::Fixed(time::macros::datetime!(2026-06-01 12:00 UTC)),
    };
    let run = Run::load(sys).unwrap();
    let paths = config_paths(&run, None);
    let service = Service::new(&run, paths, false);
    check(&service);
}

const SSO: &str = "[profile dev]\ngranted_sso_start_url = https://example.awsapps.com/start\ngranted_sso_region = us-east-1\ngranted_sso_account_id = 123456789012\ngranted_sso_role_name = Admin\nregion = eu-west-1\n[profile keys]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n";

#[test]
fn an_sso_profile_plans_the_cache_the_store_if_open_and_both_token_sources() {
    service_test(SSO, &[], |service| {
        let plan = service.plan(&Request::new("dev")).unwrap();
        assert_eq!(plan.cache, Ok(()));
        assert_eq!(plan.store, StoreUse::IfOpen);
        assert_eq!(plan.login, LoginUse::Off);
        assert_eq!(plan.token_sources.len(), 2);
        assert!(
            plan.describe()
                .contains("account 123456789012 role Admin; cache on")
        );
        let login = service
            .plan(&Request {
                auto_login: true,
                ..Request::new("dev")
            })
            .unwrap();
        assert_eq!(
            (login.store, login.login),
            (StoreUse::ForLogin, LoginUse::Allowed)
        );
    });
}

#[test]
fn the_cache_is_off_for_the_reason_that_applies() {
    service_test(SSO, &[("GRANTED_NO_CACHE", "true")], |service| {
        let plan = service.plan(&Request::new("dev")).unwrap();
        assert_eq!(plan.cache, Err(CacheOff::Variable));
        let flag = service
            .plan(&Request {
                no_cache: true,
                ..Request::new("dev")
            })
            .unwrap();
        assert_eq!(flag.cache, Err(CacheOff::Flag), "the flag is named first");
    });
    service_test(SSO, &[], |service| {
        let keys = service.plan(&Request::new("keys")).unwrap();
        assert_eq!(keys.cache, Err(CacheOff::NotExpiring));
        assert_eq!((keys.store, keys.login), (StoreUse::None, LoginUse::NotSso));
        let tweaked = service
            .plan(&Request {
                tweaks: Tweaks {
                    extra_role_arn: Some("arn:aws:iam::123456789012:role/Other".into()),
                    ..Tweaks::default()
                },
                ..Request::new("dev")
            })
            .unwrap();
        assert_eq!(tweaked.cache, Err(CacheOff::Tweaked));
        assert_eq!(tweaked.chain.hops.len(), 1);
    });
    let held = crate::credentials::process::HELD_VAR;
    service_test(SSO, &[(held, "other\ndev")], |service| {
        let plan = service.plan(&Request::new("dev")).unwrap();
        assert_eq!(plan.cache, Err(CacheOff::HeldByParent));
    });
}

#[test]
fn duration_without_a_role_is_a_warning_and_changes_nothing() {
    service_test(SSO, &[], |service| {
        let mut chain = service.resolve("dev").unwrap();
        let tweaks = Tweaks {
            duration_seconds: Some(3600),
            region: Some("ap-southeast-2".into()),
            ..Tweaks::default()
        };
        assert!(
            !tweaks.change_credentials(&chain),
            "SSO credentials ignore both"
        );
        let warnings = tweaks.apply(&mut chain);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("--duration"));
        assert_eq!(chain.region.as_deref(), Some("ap-southeast-2"));
    });
}

#[test]
fn the_config_is_read_once_per_service() {
    service_test(SSO, &[], |service| {
        let first = service.config().unwrap() as *const AwsConfig;
        std::fs::remove_file(&service.paths().config).unwrap();
        let second = service.config().unwrap() as *const AwsConfig;
        assert_eq!(first, second);
        assert!(
            service.resolve("dev").is_ok(),
            "resolved from the copy read"
        );
    });
}
