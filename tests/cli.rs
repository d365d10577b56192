//! The command line: what it prints, and how it refuses.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

/// A database URL nothing listens on: a command that tried to connect would fail
/// differently from the refusals these tests expect.
const NOWHERE: &str = "postgres://postgres@127.0.0.1:9/nowhere";

/// A fresh, empty directory of this test process.
fn empty_dir() -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("gongkai-cli-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary in an environment of its own: none of the developer's variables (no
/// `DATABASE_URL`, no `GONGKAI_*`), run in an empty directory that is also its data
/// directory — never the checkout and its `./.gongkai`.
fn gongkai() -> Command {
    let dir = empty_dir();
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GONGKAI_DATA_DIR", dir.join("data"))
        .env("RUST_LOG", "warn")
        .current_dir(&dir);
    c
}

const PLAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/kaiping-2021-work-plan.txt");

#[test]
fn a_dry_run_import_needs_no_database_and_prints_only_json() {
    let out =
        gongkai().args(["import-plan", PLAN, "--year", "2021", "--dry-run"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    assert!(v["plan_id"].is_null());
    assert_eq!(v["year"], 2021);
    assert_eq!(v["sections"].as_array().unwrap().len(), 16);
    let tasks: usize = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["tasks"].as_array().unwrap().len())
        .sum();
    assert_eq!(tasks, 54);
    assert_eq!(v["units"].as_array().unwrap().len(), 7);
}

#[test]
fn unreadable_input_exits_non_zero_with_a_message() {
    let dir = empty_dir();
    let cases: [(&str, &[u8]); 3] = [
        ("empty.txt", b"  \n\n"),
        ("latin1.txt", b"\xd6\xd0\xce\xc4 plan"),
        ("prose.txt", "这不是一份工作要点。\n只是一段文字。\n".as_bytes()),
    ];
    for (name, bytes) in cases {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        let out = gongkai()
            .args(["import-plan", p.to_str().unwrap(), "--year", "2022", "--dry-run"])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{name} was accepted");
        assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(name), "{name}: the message names the file: {err}");
    }
    let out = gongkai()
        .args(["import-plan", "/no/such/file.txt", "--year", "2022", "--dry-run"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn openapi_prints_the_committed_document() {
    let out = gongkai().arg("openapi").output().unwrap();
    assert!(out.status.success());
    let committed =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json")).unwrap();
    assert!(
        out.stdout == committed,
        "openapi/openapi.json is stale: run `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[test]
fn serve_and_issue_token_refuse_without_their_secrets() {
    let out = gongkai().arg("issue-token").args(["--role", "admin"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("GONGKAI_JWT_SECRET"));
    let out = gongkai()
        .arg("serve")
        .env("DATABASE_URL", NOWHERE)
        .env("GONGKAI_DATA_KEY", "k".repeat(40))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("GONGKAI_JWT_SECRET"));
    let out = gongkai()
        .arg("serve")
        .env("DATABASE_URL", NOWHERE)
        .env("GONGKAI_JWT_SECRET", "short")
        .env("GONGKAI_DATA_KEY", "k".repeat(40))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 32 bytes"));
    let out = gongkai()
        .args(["issue-token", "--role", "emperor"])
        .env("GONGKAI_JWT_SECRET", "s".repeat(40))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));
}

#[test]
fn the_example_env_placeholders_are_refused_with_a_way_to_make_a_secret() {
    let real = "9f2c6a0e4b1d7c3a8e5f9b2d4c6a8e0f9f2c6a0e4b1d7c3a8e5f9b2d4c6a8e0f";
    let placeholder_jwt = "change-me-a-long-random-secret-of-32-bytes";
    let placeholder_key = "change-me-another-random-key-of-32-bytes";
    for (jwt, key, named) in [
        (placeholder_jwt, real, "GONGKAI_JWT_SECRET"),
        (real, placeholder_key, "GONGKAI_DATA_KEY"),
        (real, "my-own-secret-but-CHANGE-ME-later-please", "GONGKAI_DATA_KEY"),
    ] {
        let out = gongkai()
            .arg("serve")
            .env("DATABASE_URL", NOWHERE)
            .env("GONGKAI_JWT_SECRET", jwt)
            .env("GONGKAI_DATA_KEY", key)
            .output()
            .unwrap();
        assert!(!out.status.success());
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(named) && said.contains("placeholder"), "{said}");
        assert!(said.contains("openssl rand -hex 32"), "{said}");
    }
    // Without DATABASE_URL too: refused before any local cluster is made.
    let out = gongkai().arg("serve").env("GONGKAI_JWT_SECRET", placeholder_jwt).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("placeholder"));
    // Tokens are not signed with a published secret either.
    let out = gongkai()
        .args(["issue-token", "--role", "admin"])
        .env("GONGKAI_JWT_SECRET", placeholder_jwt)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("openssl rand -hex 32"));
    // The example's database password in DATABASE_URL is refused as well.
    let out = gongkai()
        .arg("serve")
        .env(
            "DATABASE_URL",
            "postgres://gongkai:change-me-database-password-0123456789@127.0.0.1:9/gongkai",
        )
        .env("GONGKAI_JWT_SECRET", real)
        .env("GONGKAI_DATA_KEY", real)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("DATABASE_URL") && said.contains("placeholder"), "{said}");
}

#[test]
fn an_issued_token_verifies_with_the_same_secret() {
    let secret = "s".repeat(40);
    let out = gongkai()
        .args(["issue-token", "--role", "viewer", "--sub", "portal", "--ttl", "120"])
        .env("GONGKAI_JWT_SECRET", &secret)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap();
    let verifier =
        gongkai_api::http::auth::TokenVerifier::new(secret.as_bytes(), None, "gongkai").unwrap();
    let claims = verifier.verify(token.trim()).unwrap();
    assert_eq!(claims.sub, "portal");
    assert_eq!(claims.role, "viewer");
    assert_eq!(claims.aud, "gongkai-api");
    assert!(claims.exp - claims.iat == 120);
}

/// The tasks of the `date_outside_plan_year` warnings of an import's JSON.
fn tasks_dated_outside(v: &serde_json::Value) -> Vec<i64> {
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "date_outside_plan_year")
        .map(|w| w["task"].as_i64().unwrap())
        .collect()
}

/// Issue 12: the Kaiping 2021 text imported as the 2022 plan warns about the 2021
/// deadlines of tasks 32 and 40, in a dry run and in a stored import alike, and the
/// default title names the issuing city.
#[test]
fn last_years_text_is_warned_about_and_the_title_names_the_issuer() {
    let dry = |extra: &[&str]| {
        let out = gongkai()
            .args(["import-plan", PLAN, "--year", "2022", "--dry-run"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let v = dry(&["--issuer", "开平市人民政府"]);
    assert_eq!(v["title"], "开平市2022年政务公开工作要点");
    assert_eq!(tasks_dated_outside(&v), [32, 40]);
    let message = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["task"] == 40 && w["code"] == "date_outside_plan_year")
        .map(|w| w["message"].as_str().unwrap().to_string())
        .unwrap();
    assert!(message.contains("2021-12-01"), "{message}");
    assert_eq!(dry(&[])["title"], "2022年政务公开工作要点", "a dry run without an issuer");
    let same_year =
        gongkai().args(["import-plan", PLAN, "--year", "2021", "--dry-run"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&same_year.stdout).unwrap();
    assert!(tasks_dated_outside(&v).is_empty());

    let db = gongkai_store::testdb::TestDb::seeded();
    let out = gongkai()
        .env("DATABASE_URL", &db.url)
        .args(["import-plan", PLAN, "--year", "2022"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["title"], "开平市2022年政务公开工作要点");
    assert_eq!(tasks_dated_outside(&v), [32, 40]);
    let plan_id = v["plan_id"].as_i64().expect("stored");
    let stored = gongkai_store::plans::get(&mut db.conn(), plan_id).unwrap();
    assert_eq!(stored.title, "开平市2022年政务公开工作要点");
}
