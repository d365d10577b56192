//! The no-configuration local database, end to end: the real binary without
//! `DATABASE_URL` makes a private PostgreSQL cluster in its data directory, serves from
//! it, stops it when it stops, and reuses it (and its secrets) on the next start.

use std::net::TcpListener;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh directory, private like `mktemp -d` makes them (so that root's cluster account
/// has to be let through), removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("gongkai-local-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::DirBuilder::new().mode(0o700).create(&dir).unwrap();
        TempDir(dir)
    }

    fn data(&self) -> PathBuf {
        self.0.join("data")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The binary in an environment of its own: only `PATH` is kept from the developer's
/// (no `DATABASE_URL`, no `GONGKAI_*`), with `data` as its data directory and its
/// parent as the working directory.
fn gongkai(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(data.parent().unwrap_or(data))
        .env("GONGKAI_DATA_DIR", data)
        .env("RUST_LOG", "warn");
    c
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running `gongkai serve`; stopped with SIGTERM when the test ends, whatever happens,
/// so that it stops its cluster too.
struct Server {
    child: Child,
    stderr: PathBuf,
    base: String,
}

impl Server {
    fn start(dir: &TempDir, name: &str) -> Server {
        let port = free_port();
        let stderr = dir.0.join(format!("{name}.stderr"));
        let child = gongkai(&dir.data())
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let mut server = Server { child, stderr, base: format!("http://127.0.0.1:{port}") };
        server.wait_ready();
        server
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    fn wait_ready(&mut self) {
        let started = Instant::now();
        let a = agent();
        while started.elapsed() < Duration::from_secs(120) {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the server exited ({status}): {}", self.stderr());
            }
            if let Ok(r) = a.get(&format!("{}/readyz", self.base)).call()
                && r.status() == 200
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("the server did not become ready within 120 s: {}", self.stderr());
    }

    /// Sends SIGTERM (what `docker stop` and systemd send) and waits for the exit.
    fn terminate(&mut self) -> ExitStatus {
        if let Some(status) = self.child.try_wait().unwrap() {
            return status;
        }
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success(), "kill -TERM {pid}");
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("the server did not stop within 60 s of SIGTERM: {}", self.stderr());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.terminate();
        } else if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
            let _ = self.child.wait();
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn issue_token(data: &Path, args: &[&str]) -> String {
    let out = gongkai(data).arg("issue-token").args(args).output().unwrap();
    assert!(out.status.success(), "issue-token: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "the token is the only line on stdout");
    stdout.trim().to_string()
}

fn get(base: &str, path: &str, token: &str) -> (u16, Value) {
    let mut r = agent()
        .get(&format!("{base}{path}"))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let status = r.status().as_u16();
    (status, r.body_mut().read_json().unwrap_or(Value::Null))
}

/// True while the cluster in `data` runs (PostgreSQL keeps `postmaster.pid` meanwhile).
fn cluster_runs(data: &Path) -> bool {
    data.join("postgres/data/postmaster.pid").exists()
}

fn read_secret(data: &Path, file: &str) -> String {
    let path = data.join(file);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{file} is readable by its owner only");
    let secret = std::fs::read_to_string(&path).unwrap().trim().to_string();
    assert!(secret.len() >= 64, "{file}: 32 random bytes in hex");
    secret
}

#[test]
fn serves_from_a_fresh_data_dir_stops_its_cluster_and_reuses_it() {
    let dir = TempDir::new("life");
    let data = dir.data();

    let mut server = Server::start(&dir, "first");
    assert!(cluster_runs(&data));
    let coordinator = issue_token(
        &data,
        &["--role", "coordinator", "--unit", "开平市人民政府", "--sub", "local"],
    );
    let (status, plans) = get(&server.base, "/api/v1/plans", &coordinator);
    assert_eq!(status, 200, "{plans}");
    assert_eq!(plans["items"].as_array().unwrap().len(), 1, "the Kaiping plan is seeded");
    let plan_id = plans["items"][0]["id"].as_i64().unwrap();
    let (_, tasks) =
        get(&server.base, &format!("/api/v1/plans/{plan_id}/tasks?limit=500"), &coordinator);
    assert_eq!(tasks["items"].as_array().unwrap().len(), 54);
    let jwt_secret = read_secret(&data, "jwt-secret");
    let data_key = read_secret(&data, "data-key");
    assert_ne!(jwt_secret, data_key);

    let status = server.terminate();
    assert!(status.success(), "SIGTERM is a clean stop: {status}");
    let said = server.stderr();
    assert!(said.contains(&data.display().to_string()), "it says where the data lives: {said}");
    assert!(said.contains("issue-token --role admin"), "it says how to get a token: {said}");
    assert!(!cluster_runs(&data), "the cluster stops with the server: {said}");

    // A command needing the database starts the cluster, and stops it again.
    let unit = issue_token(&data, &["--role", "unit", "--unit", "经发局"]);
    assert!(!unit.is_empty());
    assert!(!cluster_runs(&data), "issue-token stopped the cluster it started");

    // The second start reuses the cluster and the secrets.
    let mut server = Server::start(&dir, "second");
    assert!(!server.stderr().contains("first start"), "no new cluster: {}", server.stderr());
    let (status, plans) = get(&server.base, "/api/v1/plans", &coordinator);
    assert_eq!(status, 200, "a token of the first run still verifies: {plans}");
    assert_eq!(plans["items"].as_array().unwrap().len(), 1, "the plan is still there, once");
    let admin = issue_token(&data, &["--role", "admin"]);
    assert_eq!(get(&server.base, "/api/v1/units", &admin).0, 200);
    assert_eq!(read_secret(&data, "jwt-secret"), jwt_secret);
    assert_eq!(read_secret(&data, "data-key"), data_key);
    assert!(server.terminate().success());
    assert!(!cluster_runs(&data));
}

#[test]
fn a_second_server_on_the_same_data_dir_is_refused() {
    let dir = TempDir::new("twice");
    let data = dir.data();
    let mut first = Server::start(&dir, "first");

    let out = gongkai(&data)
        .args(["serve", "--addr", &format!("127.0.0.1:{}", free_port())])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the second server must not start");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("another gongkai server"), "{said}");
    assert!(said.contains(&data.display().to_string()), "it names the data dir: {said}");

    let r = agent().get(&format!("{}/readyz", first.base)).call().unwrap();
    assert_eq!(r.status(), 200, "the first server is unharmed");
    assert!(first.terminate().success());
    assert!(!cluster_runs(&data));
}

#[test]
fn without_postgresql_programs_it_says_what_to_install() {
    let dir = TempDir::new("nopg");
    let empty = dir.0.join("empty-bin");
    std::fs::create_dir(&empty).unwrap();
    for command in [&["serve"][..], &["migrate"][..]] {
        let out = gongkai(&dir.data())
            .args(command)
            // Neither PATH nor /usr/lib/postgresql: GONGKAI_PG_BIN_DIR is the only place
            // looked at when it is set.
            .env("PATH", &empty)
            .env("GONGKAI_PG_BIN_DIR", &empty)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{command:?} must fail");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("apt-get install postgresql"), "{command:?}: {said}");
        assert!(said.contains("DATABASE_URL"), "{command:?}: {said}");
        assert!(!cluster_runs(&dir.data()));
    }
}
