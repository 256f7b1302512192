//! `metrics --listen` stays up under abuse: thousands of idle connections, a slow client,
//! clients that reset, floods of header bytes; it answers GET and HEAD of /metrics and
//! /health only; it says 503 with the reason when the database does not answer; a port in
//! use is one line and exit 1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::pg_or_skip;
use crate::support::{Run, TestDb, poll_for, wfctl};

/// How long a test waits for something that should happen (not a timing assertion).
const PATIENCE: Duration = Duration::from_secs(60);

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(database_url: &str, extra: &[&str]) -> Self {
        let mut child = wfctl()
            .args([
                "--database-url",
                database_url,
                "metrics",
                "--listen",
                "127.0.0.1:0",
            ])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let addr = line
            .trim()
            .strip_prefix("serving metrics on http://")
            .and_then(|a| a.strip_suffix("/metrics"))
            .unwrap_or_else(|| panic!("{line}"))
            .parse()
            .unwrap();
        // keep the pipe drained: warnings must never block the server
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Self { child, addr }
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    fn open_files(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .unwrap()
            .count()
    }

    /// Sends `raw` and reads the answer up to the server's close.
    fn exchange(&self, raw: &[u8]) -> String {
        let mut stream = TcpStream::connect_timeout(&self.addr, PATIENCE).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream.write_all(raw).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }

    fn get(&self, path: &str) -> String {
        self.exchange(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())
    }

    /// Polls `path` until its answer has `status` (the server may be shedding load).
    fn get_until(&self, path: &str, status: &str) -> String {
        poll_for(&format!("{path} to answer {status}"), PATIENCE, || {
            TcpStream::connect_timeout(&self.addr, Duration::from_secs(5))
                .ok()
                .map(|mut s| {
                    s.set_read_timeout(Some(PATIENCE)).unwrap();
                    let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
                    let mut answer = String::new();
                    let _ = s.read_to_string(&mut answer);
                    answer
                })
                .filter(|answer| answer.starts_with(&format!("HTTP/1.1 {status}")))
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn status(answer: &str) -> &str {
    answer.lines().next().unwrap_or("")
}

fn body(answer: &str) -> &str {
    answer.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

#[test]
fn a_slow_client_and_thousands_of_idle_connections_do_not_take_the_server_down() {
    let db = pg_or_skip!(TestDb::new());
    let mut server = Server::start(&db.url, &["--request-timeout", "2s"]);

    // a client that never finishes its request is answered 408 and closed
    let slow = server.exchange(b"GET /metr");
    assert!(slow.starts_with("HTTP/1.1 408"), "{slow}");

    let mut idle = Vec::new();
    for _ in 0..3000 {
        if let Ok(s) = TcpStream::connect_timeout(&server.addr, Duration::from_secs(2)) {
            idle.push(s);
        }
    }
    assert!(idle.len() > 2000, "only {} connected", idle.len());
    assert!(server.alive(), "the server died under the connections");
    let open = server.open_files();
    assert!(
        open < 200,
        "{open} files open while {} connections are held",
        idle.len()
    );
    // while they are held, it answers again once the idle ones ran out of time
    let metrics = server.get_until("/metrics", "200");
    assert!(
        body(&metrics).contains("workflow_database_up 1"),
        "{metrics}"
    );
    drop(idle);
    server.get_until("/health", "200");
    assert!(server.alive());
}

#[test]
fn only_get_and_head_of_metrics_and_health_are_answered_and_resets_are_survived() {
    let db = pg_or_skip!(TestDb::new());
    let mut server = Server::start(&db.url, &[]);

    let post = server.exchange(b"POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    assert!(post.starts_with("HTTP/1.1 405"), "{post}");
    assert!(post.contains("Allow: GET, HEAD"), "{post}");
    let other = server.get("/admin");
    assert!(other.starts_with("HTTP/1.1 404"), "{other}");

    let head = server.exchange(b"HEAD /metrics HTTP/1.1\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(body(&head), "", "{head}");
    let get = server.get("/metrics");
    let length = format!("Content-Length: {}\r\n", body(&get).len());
    assert!(get.contains(&length), "{get}");
    // HEAD names the length of the body it would send (a later scrape's figures, and so its
    // length, may differ: the two are not compared)
    let head_length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("HEAD without a length: {head}"));
    assert!(head_length > 0, "{head}");

    let health = server.get("/health");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");

    // a request line and headers that never end are cut off
    let mut flood = b"GET /metrics HTTP/1.1\r\n".to_vec();
    flood.extend(std::iter::repeat_n(b'x', 64 * 1024));
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let _ = stream.write_all(&flood);
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{answer}"
    );

    // clients that send a request and go away at once
    for _ in 0..200 {
        let mut s = TcpStream::connect(server.addr).unwrap();
        let _ = s.write_all(b"GET /metrics HTTP/1.1\r\n\r\n");
    }
    server.get_until("/health", "200");
    assert!(server.alive());
}

#[test]
fn without_the_database_health_and_metrics_answer_503_with_the_reason() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://nobody@127.0.0.1:{port}/nothing?connect_timeout=2");
    let mut server = Server::start(&url, &[]);

    let health = server.get("/health");
    assert_eq!(
        status(&health),
        "HTTP/1.1 503 Service Unavailable",
        "{health}"
    );
    assert!(
        body(&health).starts_with("database unavailable: "),
        "{health}"
    );
    assert_eq!(body(&health).trim().lines().count(), 1, "{health}");

    let metrics = server.get("/metrics");
    assert!(metrics.starts_with("HTTP/1.1 503"), "{metrics}");
    assert!(body(&metrics).starts_with("# "), "{metrics}");
    assert!(
        body(&metrics).contains("workflow_database_up 0"),
        "{metrics}"
    );
    assert!(server.alive());
}

#[test]
fn a_port_in_use_is_one_line_and_exit_1() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let run = Run::of(wfctl().args([
        "--database-url",
        "postgres://nobody@127.0.0.1:1/x",
        "metrics",
        "--listen",
        &addr,
    ]))
    .expect_code(1);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("cannot listen on {addr}")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_few_silent_clients_never_delay_a_scrape() {
    let db = pg_or_skip!(TestDb::new());
    // the default request timeout (10 s): a silent client keeps its connection that long
    let server = Server::start(&db.url, &[]);
    let silent: Vec<TcpStream> = (0..16)
        .map(|_| TcpStream::connect_timeout(&server.addr, PATIENCE).unwrap())
        .collect();
    // answered while every silent client still holds its connection, not after they time out
    let mut stream = TcpStream::connect_timeout(&server.addr, PATIENCE).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(stream, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    drop(silent);
}

/// 200 idle loopback connections (more than the server's workers and queue together) held
/// open by others: a `/health` request made after them is answered 200 within 2 s, and so is
/// the next, not `503 busy` until the idle ones time out.
#[test]
fn health_answers_within_2s_while_200_idle_connections_are_held() {
    let db = pg_or_skip!(TestDb::new());
    let server = Server::start(&db.url, &[]);
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect_timeout(&server.addr, PATIENCE).unwrap())
        .collect();
    for _ in 0..2 {
        let asked = Instant::now();
        let mut stream = TcpStream::connect_timeout(&server.addr, PATIENCE).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        write!(stream, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
        assert!(
            asked.elapsed() < Duration::from_secs(2),
            "{:?}",
            asked.elapsed()
        );
    }
    drop(idle);
}

#[test]
fn a_request_that_is_not_http_is_answered_400_and_closed() {
    let db = pg_or_skip!(TestDb::new());
    let mut server = Server::start(&db.url, &["--request-timeout", "30s"]);
    let mut long_line = b"GET /".to_vec();
    long_line.extend(std::iter::repeat_n(b'a', 5000));
    let malformed: [(&str, &[u8]); 9] = [
        ("no version", b"GET /metrics\r\n\r\n"),
        ("a version not 1.x", b"GET /metrics HTTP/1.x\r\n\r\n"),
        ("not three parts", b"GET /metrics HTTP/1.1 extra\r\n\r\n"),
        ("a target not a path", b"GET metrics HTTP/1.1\r\n\r\n"),
        (
            "a header without a colon",
            b"GET /metrics HTTP/1.1\r\nHost localhost\r\n\r\n",
        ),
        (
            "a header name with a space",
            b"GET /metrics HTTP/1.1\r\nHo st: x\r\n\r\n",
        ),
        // garbage that never ends its line (a TLS hello): refused at once, not at the timeout
        (
            "garbage bytes",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        ),
        (
            "a control byte in the target",
            b"GET /met\x01rics HTTP/1.1\r\n\r\n",
        ),
        ("a request line over the limit", &long_line),
    ];
    for (what, raw) in malformed {
        let answer = server.exchange(raw);
        assert!(
            answer.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{what}: {answer}"
        );
        assert!(answer.contains("Connection: close\r\n"), "{what}: {answer}");
    }
    let health = server.get("/health");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(server.alive());
}
