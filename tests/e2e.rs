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

/// The binary in an environment of its own: only `PATH` is kept from the developer's,
/// and it runs in the temporary directory, away from the checkout's `./.gongkai`.
fn gongkai(db_url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(std::env::temp_dir())
        .env("DATABASE_URL", db_url)
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

#[test]
fn the_log_is_plain_text_without_secrets_and_its_level_follows_the_status() {
    use diesel::{Connection, RunQueryDsl};
    let db = TestDb::blank();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log_path = std::env::temp_dir().join(format!("gongkai-e2e-log-{}.log", std::process::id()));
    let log = std::fs::File::create(&log_path).unwrap();
    let mut server = Server(
        gongkai(&db.url)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    wait_ready(&base);
    let a = agent();
    // A client error, with a token in the query string (an unknown parameter: 422).
    let r = a.get(&format!("{base}/api/v1/plans?limit=5&token=sEcReT-iN-qUeRy")).call().unwrap();
    assert_eq!(r.status(), 422);
    // A server error (503): the database refuses connections for a moment.
    let mut admin = diesel::PgConnection::establish(&gongkai_store::testdb::server_url()).unwrap();
    let name = db.name().replace('"', "\"\"");
    diesel::sql_query(format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false"))
        .execute(&mut admin)
        .unwrap();
    diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'",
        db.name().replace('\'', "''")
    ))
    .execute(&mut admin)
    .unwrap();
    let r = a.get(&format!("{base}/readyz")).call().unwrap();
    assert_eq!(r.status(), 503);
    diesel::sql_query(format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true"))
        .execute(&mut admin)
        .unwrap();
    // SIGTERM, so that the server stops and its log is complete.
    let pid = server.0.id().to_string();
    std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let _ = server.0.wait();

    let text = std::fs::read_to_string(&log_path).unwrap();
    let _ = std::fs::remove_file(&log_path);
    assert!(!text.contains('\u{1b}'), "no colour codes in a log file: {text}");
    assert!(!text.contains("sEcReT-iN-qUeRy"), "the token leaked into the log: {text}");
    let refused = text.lines().find(|l| l.contains("status=422")).expect("a line for the 422");
    assert!(refused.contains("token=[redacted]") && refused.contains("limit=5"), "{refused}");
    assert!(refused.contains(" INFO "), "4xx at info: {refused}");
    let failed = text.lines().find(|l| l.contains("status=503")).expect("a line for the 503");
    assert!(failed.contains(" ERROR "), "5xx at error: {failed}");
}

#[test]
fn two_instances_on_one_database_share_etags_and_idempotency_keys() {
    let db = TestDb::blank();
    // Both start at once on the blank database, and both migrate at start.
    let ports = [free_port(), free_port()];
    let bases = ports.map(|p| format!("http://127.0.0.1:{p}"));
    let _servers = ports.map(|port| {
        Server(
            gongkai(&db.url)
                .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        )
    });
    for base in &bases {
        wait_ready(base);
    }
    let out = gongkai(&db.url).args(["issue-token", "--role", "admin"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let auth = format!("Bearer {}", String::from_utf8(out.stdout).unwrap().trim());
    let a = agent();
    let json =
        |r: &mut ureq::http::Response<ureq::Body>| -> Value { r.body_mut().read_json().unwrap() };
    let [one, two] = &bases;

    // The seed was loaded once.
    let mut r =
        a.get(&format!("{two}/api/v1/plans")).header("Authorization", &auth).call().unwrap();
    assert_eq!(json(&mut r)["items"].as_array().unwrap().len(), 1);

    // An ETag read from one instance is honoured by If-Match on the other.
    let mut r = a
        .get(&format!("{one}/api/v1/units?name=%E5%85%9A%E6%94%BF%E5%8A%9E"))
        .header("Authorization", &auth)
        .call()
        .unwrap();
    let unit = json(&mut r)["items"][0]["id"].as_i64().unwrap();
    let r =
        a.get(&format!("{one}/api/v1/units/{unit}")).header("Authorization", &auth).call().unwrap();
    assert_eq!(r.status(), 200);
    let etag = r.headers().get("etag").unwrap().to_str().unwrap().to_string();
    let mut r = a
        .patch(&format!("{two}/api/v1/units/{unit}"))
        .header("Authorization", &auth)
        .header("If-Match", &etag)
        .send_json(json!({"name": "党政办公室"}))
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(json(&mut r)["name"], "党政办公室");
    // …and the ETag the first instance handed out is stale on it now.
    let r = a
        .patch(&format!("{one}/api/v1/units/{unit}"))
        .header("Authorization", &auth)
        .header("If-Match", &etag)
        .send_json(json!({"name": "党政办"}))
        .unwrap();
    assert_eq!(r.status(), 412);

    // A keyed POST retried against the other instance replays the first answer.
    let gov = {
        let mut r = a
            .get(&format!("{one}/api/v1/units?name=%E5%BC%80%E5%B9%B3%E5%B8%82%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C"))
            .header("Authorization", &auth)
            .call()
            .unwrap();
        json(&mut r)["items"][0]["id"].as_i64().unwrap()
    };
    let body = json!({"name": "融媒体中心", "kind": "department", "parent_id": gov});
    let post = |base: &str| {
        a.post(&format!("{base}/api/v1/units"))
            .header("Authorization", &auth)
            .header("Idempotency-Key", "two-instances-1")
            .send_json(&body)
            .unwrap()
    };
    let mut first = post(one);
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first_body = json(&mut first);
    let mut again = post(two);
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
    assert_eq!(json(&mut again), first_body);
    let mut conn = db.conn();
    let named = gongkai_store::units::find_by_name(&mut conn, "融媒体中心").unwrap();
    assert_eq!(named.len(), 1, "one unit for one key, whichever instance answered");
}

/// One answer read off a raw connection.
struct RawAnswer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawAnswer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn problem(&self) -> Value {
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "status {}: {}",
            self.status,
            String::from_utf8_lossy(&self.body)
        );
        let p: Value = serde_json::from_slice(&self.body).unwrap();
        assert_eq!(p["status"], self.status);
        assert!(p["title"].is_string() && p["detail"].is_string() && p["type"].is_string());
        assert_eq!(self.header("x-content-type-options"), Some("nosniff"));
        assert!(self.header("content-security-policy").unwrap().contains("frame-ancestors 'none'"));
        p
    }
}

/// Reads one answer (head, then `Content-Length` bytes of body) from `stream`.
fn read_answer(stream: &mut std::net::TcpStream) -> RawAnswer {
    use std::io::Read;
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("read the answer's head");
        assert!(
            n == 1,
            "the connection ended before an answer: {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.push(byte[0]);
    }
    let head = String::from_utf8(buf).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.trim().to_string(), v.trim().to_string())
        })
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).unwrap();
    RawAnswer { status, headers, body }
}

/// Sends `request` on a new connection and reads the answer.
fn raw(addr: &str, request: &[u8]) -> RawAnswer {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.write_all(request).unwrap();
    read_answer(&mut stream)
}

#[test]
fn what_the_http_layer_refuses_is_problem_json_with_the_right_status() {
    use std::io::Write;
    let db = TestDb::blank();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let _server = Server(
        gongkai(&db.url)
            .args(["serve", "--addr", &addr])
            .env("GONGKAI_CORS_ORIGINS", "https://portal.example.gov.cn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_ready(&format!("http://{addr}"));
    let out = gongkai(&db.url).args(["issue-token", "--role", "admin"]).output().unwrap();
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();

    // A 100 000-character query and a 64 KB path: 414.
    let query = format!("GET /api/v1/plans?q={} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(100_000));
    let r = raw(&addr, query.as_bytes());
    assert_eq!(r.status, 414);
    assert_eq!(r.problem()["code"], "uri_too_long");
    let path = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "p".repeat(64 * 1024));
    assert_eq!(raw(&addr, path.as_bytes()).problem()["code"], "uri_too_long");

    // Headers too large, or too many: 431.
    let big = format!("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "b".repeat(100_000));
    let r = raw(&addr, big.as_bytes());
    assert_eq!(r.status, 431);
    assert_eq!(r.problem()["code"], "headers_too_large");
    let many: String = (0..120).map(|i| format!("X-H{i}: v\r\n")).collect();
    let r = raw(&addr, format!("GET /healthz HTTP/1.1\r\nHost: x\r\n{many}\r\n").as_bytes());
    assert_eq!(r.status, 431);

    // Invalid UTF-8 in the path, a malformed request line, a broken header: 400.
    for bad in [
        &b"GET /api/v1/units/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        b"GET /api/v1/\xe5\xbc\x80 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"HELLO THERE\r\n\r\n",
        b"GET / HTTP/7.0\r\nHost: x\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
        b"POST /api/v1/units HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
    ] {
        let r = raw(&addr, bad);
        assert_eq!(r.status, 400, "{:?}", String::from_utf8_lossy(bad));
        assert_eq!(r.problem()["code"], "malformed_request");
    }

    // A body over the limit: 413, read by the client although it was still sending.
    let body = vec![b'x'; 3 * 1024 * 1024];
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "POST /api/v1/units HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let _ = stream.write_all(&body);
    let r = read_answer(&mut stream);
    assert_eq!(r.status, 413);
    assert_eq!(r.problem()["code"], "payload_too_large");

    // A CORS preflight from an unlisted origin: 403.
    let r = raw(
        &addr,
        b"OPTIONS /api/v1/plans HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n\
          Access-Control-Request-Method: GET\r\n\r\n",
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.problem()["code"], "forbidden");

    // On one kept-alive connection: a chunked keyed POST, a plain GET, then a refused
    // request — each answered in turn.
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let json = br#"{"name": "gate-test", "kind": "government"}"#;
    let chunked = format!(
        "POST /api/v1/units HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nIdempotency-Key: gate-1\r\n\
         Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{}\r\n{:x}\r\n{}\r\n0\r\n\r\n",
        10,
        std::str::from_utf8(&json[..10]).unwrap(),
        json.len() - 10,
        std::str::from_utf8(&json[10..]).unwrap()
    );
    stream.write_all(chunked.as_bytes()).unwrap();
    let r = read_answer(&mut stream);
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert_eq!(read_answer(&mut stream).status, 200);
    stream.write_all(b"GET /\xff HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let r = read_answer(&mut stream);
    assert_eq!(r.status, 400);
    r.problem();
    assert_eq!(r.header("connection"), Some("close"));
}

#[test]
fn a_request_head_that_never_completes_is_a_408_problem() {
    use std::io::Write;
    let db = TestDb::blank();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let _server = Server(
        gongkai(&db.url)
            .args(["serve", "--addr", &addr])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_ready(&format!("http://{addr}"));
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ").unwrap();
    let r = read_answer(&mut stream);
    assert_eq!(r.status, 408);
    assert_eq!(r.problem()["code"], "request_timeout");
}
