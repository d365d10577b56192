//! End to end: the real `gongkai` binary against a fresh database, over a socket.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gongkai_store::testdb::TestDb;
use serde_json::{Value, json};

const SECRET: &str = "e2e-secret-that-is-at-least-32-bytes-long!";
const DATA_KEY: &str = "e2e-data-key-that-is-at-least-32-bytes-long";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn gongkai(db_url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.env("DATABASE_URL", db_url)
        .env("GONGKAI_JWT_SECRET", SECRET)
        .env("GONGKAI_DATA_KEY", DATA_KEY)
        .env("RUST_LOG", "warn");
    c
}

/// Stops the server when the test ends, whatever happens.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn wait_ready(base: &str) {
    let started = Instant::now();
    let a = agent();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(r) = a.get(&format!("{base}/readyz")).call()
            && r.status() == 200
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("the server did not become ready within 60 s");
}

#[test]
fn serve_seeds_a_fresh_database_and_answers_over_http() {
    let db = TestDb::blank();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = Server(
        gongkai(&db.url)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_ready(&base);

    let out = gongkai(&db.url)
        .args(["issue-token", "--role", "coordinator", "--unit", "开平市人民政府", "--sub", "e2e"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "the token is the only line on stdout");
    let token = stdout.trim().to_string();
    let auth = format!("Bearer {token}");

    let a = agent();
    let plans: Value = a
        .get(&format!("{base}/api/v1/plans"))
        .header("Authorization", &auth)
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    assert_eq!(plans["items"].as_array().unwrap().len(), 1);
    let plan_id = plans["items"][0]["id"].as_i64().unwrap();
    let tasks: Value = a
        .get(&format!("{base}/api/v1/plans/{plan_id}/tasks?limit=500"))
        .header("Authorization", &auth)
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    let tasks = tasks["items"].as_array().unwrap();
    assert_eq!(tasks.len(), 54);
    let task = tasks[30]["id"].as_i64().unwrap();
    let mut r = a
        .post(&format!("{base}/api/v1/tasks/{task}/quotas"))
        .header("Authorization", &auth)
        .send_json(json!({"kind": "count", "min": 1, "period": "quarter"}))
        .unwrap();
    assert_eq!(r.status(), 201);
    let q: Value = r.body_mut().read_json().unwrap();
    assert_eq!(q["period"], "quarter");

    // Problems over the wire are problem+json too.
    let r = a.get(&format!("{base}/api/v1/plans")).call().unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers().get("content-type").unwrap(), "application/problem+json");
    let spec =
        a.get(&format!("{base}/openapi.json")).call().unwrap().body_mut().read_to_string().unwrap();
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap();
    assert_eq!(spec, committed);
}

#[test]
fn a_second_start_leaves_the_data_alone() {
    let db = TestDb::blank();
    let out = gongkai(&db.url).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for _ in 0..2 {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let server = Server(
            gongkai(&db.url)
                .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        wait_ready(&base);
        drop(server);
    }
    let mut conn = db.conn();
    let page = gongkai_store::plans::list(
        &mut conn,
        &Default::default(),
        gongkai_store::PageRequest::first(10),
    )
    .unwrap();
    assert_eq!(page.items.len(), 1, "the seed is loaded once");
}
