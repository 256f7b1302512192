//! A small HTTP/1.1 server for `metrics --listen`, on std::net and a fixed set of threads
//! (no async runtime), built to stay up under abuse:
//!
//! - At most `workers + queue` connections are open at once. A connection accepted while
//!   every worker is busy and the queue is full makes room by evicting the connection a
//!   worker has waited on longest for its request (one that sent nothing first, else one
//!   still sending its head): idle or slow clients cannot starve `/health` or `/metrics`.
//!   Only when no worker can be freed so is the new one answered `503` at once and closed,
//!   so idle connections cannot exhaust file descriptors.
//! - A request has `request_timeout` from the moment it was accepted to arrive in full (a
//!   slow or silent client gets `408` and is closed; a connection that waited in the queue
//!   past its time is dropped), and as long again for its answer to be written.
//! - The request line and headers together are at most [`MAX_HEAD`] bytes (else `431`).
//! - A request that is not HTTP/1.x is answered `400` and closed as soon as that shows: a
//!   request line other than `METHOD TARGET HTTP/1.d` (one space apart, a token method, a
//!   target of visible ASCII starting with `/`), longer than [`MAX_REQUEST_LINE`] bytes, or
//!   with bytes that are not text; a header line without `NAME:` or with control bytes.
//! - Only GET and HEAD are answered (else `405`); each answer is rendered in full before its
//!   first byte is written, carries its length and closes the connection.
//! - A client that resets only ends its own connection. Accepting that fails for want of
//!   file descriptors or memory is retried with a growing pause; if it keeps failing for
//!   [`ACCEPT_GIVE_UP`], or fails in any other way, [`serve`] returns an error so that the
//!   process exits and a supervisor can restart it.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// The most bytes of request line and headers read from a client.
pub(crate) const MAX_HEAD: usize = 8 * 1024;

/// The most bytes of the request line (without its line end).
pub(crate) const MAX_REQUEST_LINE: usize = 4 * 1024;

/// How long accepting may keep failing for want of resources before the server gives up.
pub(crate) const ACCEPT_GIVE_UP: Duration = Duration::from_secs(60);

/// Why the server stopped or could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound (in use, not local, not permitted).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: io::Error,
    },
    /// Accepting connections failed for good.
    #[error("cannot accept connections on {addr} any more: {source}")]
    Accept {
        /// The address served.
        addr: SocketAddr,
        /// The last failure.
        source: io::Error,
    },
    /// No worker thread could be started, or none is left.
    #[error("no thread is left to answer requests on {addr}")]
    NoWorkers {
        /// The address served.
        addr: SocketAddr,
    },
}

/// Limits of [`serve`].
#[derive(Debug, Clone)]
pub struct Limits {
    /// Threads answering requests.
    pub workers: usize,
    /// Accepted connections waiting for a worker.
    pub queue: usize,
    /// Time for a request to arrive in full (from its acceptance), and again for its answer.
    pub request_timeout: Duration,
    /// Stop after answering this many requests.
    pub max_requests: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            // A worker reads its request before anything else can use it, so idle or slow
            // clients hold workers: enough of them that a few such clients never stop a scrape
            // (the answers themselves take turns on one database session).
            workers: 64,
            queue: 32,
            request_timeout: Duration::from_secs(10),
            max_requests: None,
        }
    }
}

/// An answer: status, content type and the whole body.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The body (not sent for HEAD).
    pub body: String,
}

impl Reply {
    /// A `text/plain` answer.
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.into(),
        }
    }
}

/// Binds `addr`.
pub fn bind(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    TcpListener::bind(addr).map_err(|source| ServeError::Bind { addr, source })
}

/// Serves `listener` until `limits.max_requests` answers were given (then `Ok`) or serving
/// became impossible (then the error). `route` answers a GET or HEAD of a path (without its
/// query); `None` is `404`.
pub fn serve<R>(listener: &TcpListener, limits: &Limits, route: R) -> Result<(), ServeError>
where
    R: Fn(&str) -> Option<Reply> + Sync,
{
    let addr = listener.local_addr().map_err(|source| ServeError::Accept {
        addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0),
        source,
    })?;
    let (sender, receiver) = mpsc::sync_channel::<Accepted>(limits.queue);
    let receiver = Arc::new(Mutex::new(receiver));
    let shared = Shared {
        limits: limits.clone(),
        answered: AtomicU64::new(0),
        done: AtomicBool::new(false),
        wake: wake_address(addr),
        reading: Mutex::new(Vec::new()),
        next_id: AtomicU64::new(0),
        waiting: AtomicUsize::new(0),
    };
    thread::scope(|scope| {
        let mut started = 0;
        for n in 0..limits.workers.max(1) {
            let receiver = Arc::clone(&receiver);
            let (shared, route) = (&shared, &route);
            let spawned = thread::Builder::new()
                .name(format!("metrics-http-{n}"))
                .spawn_scoped(scope, move || work(&receiver, shared, route));
            started += usize::from(spawned.is_ok());
        }
        drop(receiver);
        if started == 0 {
            return Err(ServeError::NoWorkers { addr });
        }
        let result = accept_loop(listener, addr, &sender, &shared);
        // workers still busy finish within their request's time; queued ones are dropped
        shared.done.store(true, Ordering::SeqCst);
        drop(sender);
        result
    })
}

struct Shared {
    limits: Limits,
    answered: AtomicU64,
    done: AtomicBool,
    wake: SocketAddr,
    /// The connections workers are reading a request from, for [`Shared::evict_one`].
    reading: Mutex<Vec<Reading>>,
    next_id: AtomicU64,
    /// Connections in the queue, waiting for a worker.
    waiting: AtomicUsize,
}

struct Accepted {
    stream: TcpStream,
    at: Instant,
    id: u64,
}

/// A connection a worker waits on for its request: a handle to shut it down from the accept
/// loop, and whether the client sent any byte yet.
struct Reading {
    id: u64,
    stream: TcpStream,
    at: Instant,
    heard: Arc<AtomicBool>,
}

impl Shared {
    /// Frees a worker: shuts down the connection waited on longest that sent nothing, else
    /// the one waited on longest (its worker's read ends at once). `false` when none is read.
    fn evict_one(&self) -> bool {
        let mut reading = self.reading.lock().unwrap_or_else(PoisonError::into_inner);
        let silent = |r: &&Reading| !r.heard.load(Ordering::SeqCst);
        let victim = reading
            .iter()
            .filter(silent)
            .min_by_key(|r| r.at)
            .or_else(|| reading.iter().min_by_key(|r| r.at))
            .map(|r| r.id);
        let Some(id) = victim else {
            return false;
        };
        if let Some(i) = reading.iter().position(|r| r.id == id) {
            let evicted = reading.swap_remove(i);
            let _ = evicted.stream.shutdown(std::net::Shutdown::Both);
        }
        true
    }

    /// Registers a connection a worker starts reading; its flag says when a byte came.
    fn start_reading(&self, accepted: &Accepted) -> Arc<AtomicBool> {
        let heard = Arc::new(AtomicBool::new(false));
        if let Ok(stream) = accepted.stream.try_clone() {
            self.reading
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Reading {
                    id: accepted.id,
                    stream,
                    at: accepted.at,
                    heard: Arc::clone(&heard),
                });
        }
        heard
    }

    /// The request was read (or the connection ended): no longer a candidate for eviction.
    fn stop_reading(&self, id: u64) {
        let mut reading = self.reading.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(i) = reading.iter().position(|r| r.id == id) {
            reading.swap_remove(i);
        }
    }
}

/// How long a new connection may wait for the worker an eviction frees.
const EVICTION_WAIT: Duration = Duration::from_millis(500);

/// How long a connection may stay silent (not a byte of its request) while others wait for a
/// worker: a real client sends its request as soon as it connected.
const SILENT_GRACE: Duration = Duration::from_millis(200);

/// How often a worker reading a request looks whether others wait.
const READ_SLICE: Duration = Duration::from_millis(50);

/// Where a worker connects to wake the accept loop (the listener itself).
fn wake_address(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

fn accept_loop(
    listener: &TcpListener,
    addr: SocketAddr,
    sender: &mpsc::SyncSender<Accepted>,
    shared: &Shared,
) -> Result<(), ServeError> {
    let mut failing_since: Option<Instant> = None;
    let mut pause = Duration::from_millis(10);
    loop {
        if shared.done.load(Ordering::SeqCst) {
            return Ok(());
        }
        match listener.accept() {
            Ok((stream, _)) => {
                failing_since = None;
                pause = Duration::from_millis(10);
                if shared.done.load(Ordering::SeqCst) {
                    return Ok(());
                }
                let accepted = Accepted {
                    stream,
                    at: Instant::now(),
                    id: shared.next_id.fetch_add(1, Ordering::SeqCst),
                };
                if let Err(busy) = queue(sender, accepted, shared) {
                    match busy {
                        TrySendError::Full(busy) => refuse_busy(busy.stream),
                        TrySendError::Disconnected(_) => {
                            return Err(ServeError::NoWorkers { addr });
                        }
                    }
                }
            }
            Err(e) if is_passing(&e) => {}
            Err(e) if is_lack_of_resources(&e) => {
                let since = *failing_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= ACCEPT_GIVE_UP {
                    return Err(ServeError::Accept { addr, source: e });
                }
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_secs(1));
            }
            Err(source) => return Err(ServeError::Accept { addr, source }),
        }
    }
}

/// Queues a connection; when the queue is full, evicts one a worker waits on and tries again
/// for up to [`EVICTION_WAIT`] (the freed worker takes the queue's first).
fn queue(
    sender: &mpsc::SyncSender<Accepted>,
    mut accepted: Accepted,
    shared: &Shared,
) -> Result<(), TrySendError<Accepted>> {
    let deadline = Instant::now() + EVICTION_WAIT;
    let mut evicted = false;
    loop {
        // counted before it can be taken, so the count never goes below zero
        shared.waiting.fetch_add(1, Ordering::SeqCst);
        let sent = sender.try_send(accepted);
        if sent.is_err() {
            shared.waiting.fetch_sub(1, Ordering::SeqCst);
        }
        match sent {
            Err(TrySendError::Full(back)) if Instant::now() < deadline => {
                accepted = back;
                if !evicted {
                    evicted = shared.evict_one();
                    if !evicted {
                        return Err(TrySendError::Full(accepted));
                    }
                }
                thread::sleep(Duration::from_millis(2));
            }
            other => return other,
        }
    }
}

/// A failure of one connection only (the client went away before it was accepted).
fn is_passing(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    ) || rustix::io::Errno::from_io_error(e)
        .is_some_and(|n| n == rustix::io::Errno::PROTO || n == rustix::io::Errno::PERM)
}

/// Out of file descriptors or memory: may pass when connections close.
fn is_lack_of_resources(e: &io::Error) -> bool {
    use rustix::io::Errno;
    rustix::io::Errno::from_io_error(e)
        .is_some_and(|n| [Errno::MFILE, Errno::NFILE, Errno::NOBUFS, Errno::NOMEM].contains(&n))
        || e.kind() == io::ErrorKind::OutOfMemory
}

/// Every worker is busy and the queue is full: a short `503` if the socket takes it at once,
/// then close.
fn refuse_busy(stream: TcpStream) {
    if stream.set_nonblocking(true).is_ok() {
        let reply = Reply::text(503, "busy: too many connections\n");
        let _ = (&stream).write_all(&response_bytes(&reply, false));
    }
}

fn work<R>(receiver: &Mutex<Receiver<Accepted>>, shared: &Shared, route: &R)
where
    R: Fn(&str) -> Option<Reply> + Sync,
{
    loop {
        let next = receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        let Ok(accepted) = next else {
            return;
        };
        shared.waiting.fetch_sub(1, Ordering::SeqCst);
        if shared.done.load(Ordering::SeqCst) {
            continue;
        }
        // a panic answering one request ends that connection, not the worker
        let answered = catch_unwind(AssertUnwindSafe(|| answer(accepted, shared, route)));
        if answered.unwrap_or(false) {
            let n = shared.answered.fetch_add(1, Ordering::SeqCst) + 1;
            if shared.limits.max_requests.is_some_and(|max| n >= max) {
                shared.done.store(true, Ordering::SeqCst);
                // the accept loop waits in accept(): one connection wakes it
                let _ = TcpStream::connect_timeout(&shared.wake, Duration::from_secs(1));
            }
        }
    }
}

/// Reads one request and answers it; `true` when a GET or HEAD was answered.
fn answer<R>(accepted: Accepted, shared: &Shared, route: &R) -> bool
where
    R: Fn(&str) -> Option<Reply>,
{
    let timeout = shared.limits.request_timeout;
    let deadline = accepted.at + timeout;
    let heard = shared.start_reading(&accepted);
    let (id, accepted_at) = (accepted.id, accepted.at);
    let mut stream = accepted.stream;
    // a silent client gives its worker up once its grace is over and others wait
    let give_up_silent =
        || accepted_at.elapsed() >= SILENT_GRACE && shared.waiting.load(Ordering::SeqCst) > 0;
    let head = read_head(&mut stream, deadline, &heard, &give_up_silent);
    shared.stop_reading(id);
    let head = match head {
        Ok(head) => head,
        Err(Refusal::Gone) => return false,
        Err(Refusal::Reply(reply)) => {
            send(&mut stream, &reply, false, timeout);
            return false;
        }
    };
    let (reply, head_only, routed) = match parse_request_line(&head) {
        Err(reply) => (reply, false, false),
        Ok((method, path)) => {
            let head_only = method == "HEAD";
            match route(path) {
                Some(reply) => (reply, head_only, true),
                None => (
                    Reply::text(404, "not found: try /metrics or /health\n"),
                    head_only,
                    true,
                ),
            }
        }
    };
    send(&mut stream, &reply, head_only, timeout);
    routed
}

enum Refusal {
    /// The client closed, reset, or sent nothing in time to answer.
    Gone,
    /// Answer this and close.
    Reply(Reply),
}

/// The request line and headers (up to the blank line), within `deadline` and [`MAX_HEAD`].
/// `heard` is set once a byte came; while none came, `give_up_silent` may end the wait.
fn read_head(
    stream: &mut TcpStream,
    deadline: Instant,
    heard: &AtomicBool,
    give_up_silent: &dyn Fn() -> bool,
) -> Result<String, Refusal> {
    let mut head = Vec::with_capacity(512);
    let mut chunk = [0u8; 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(timed_out(&head));
        }
        if head.is_empty() && give_up_silent() {
            return Err(Refusal::Gone);
        }
        if stream.set_read_timeout(Some(left.min(READ_SLICE))).is_err() {
            return Err(Refusal::Gone);
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Err(Refusal::Gone),
            Ok(n) => {
                heard.store(true, Ordering::SeqCst);
                head.extend_from_slice(&chunk[..n]);
                // a request that cannot be HTTP is refused at once, not when it ends
                if let Err(reply) = check_first_line(&head) {
                    return Err(Refusal::Reply(reply));
                }
            }
            // a slice ended: the loop looks at the deadline and at who waits
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(Refusal::Gone),
        }
        if let Some(end) = end_of_head(&head) {
            head.truncate(end);
            let head = String::from_utf8(head)
                .map_err(|_| Refusal::Reply(Reply::text(400, "bad request: not UTF-8\n")))?;
            check_headers(&head).map_err(Refusal::Reply)?;
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err(Refusal::Reply(Reply::text(
                431,
                format!("request line and headers longer than {MAX_HEAD} bytes\n"),
            )));
        }
    }
}

fn timed_out(head: &[u8]) -> Refusal {
    if head.is_empty() {
        Refusal::Gone
    } else {
        Refusal::Reply(Reply::text(408, "request not complete in time\n"))
    }
}

fn end_of_head(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = bytes.windows(2).position(|w| w == b"\n\n");
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn bad_request(why: &str) -> Reply {
    Reply::text(400, format!("bad request: {why}\n"))
}

/// A character of an HTTP token (a method, a header name).
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// What came so far of the request line, checked as far as it goes: `400` once it cannot
/// begin a request (bytes that are not visible ASCII, a method that is not a token, the line
/// past [`MAX_REQUEST_LINE`]) or, when it is complete, is not a request line.
fn check_first_line(head: &[u8]) -> Result<(), Reply> {
    let (line, complete) = match head.iter().position(|&b| b == b'\n') {
        Some(end) => (
            head[..end].strip_suffix(b"\r").unwrap_or(&head[..end]),
            true,
        ),
        None => (head, false),
    };
    if line.len() > MAX_REQUEST_LINE {
        return Err(bad_request(&format!(
            "request line longer than {MAX_REQUEST_LINE} bytes"
        )));
    }
    if line.iter().any(|&b| !(b == b' ' || b.is_ascii_graphic())) {
        return Err(bad_request("the request line is not text"));
    }
    let method = line.split(|&b| b == b' ').next().unwrap_or_default();
    if !method.iter().all(|&b| is_token_byte(b)) {
        return Err(bad_request("the request line does not start with a method"));
    }
    if complete {
        let line = std::str::from_utf8(line).unwrap_or_default();
        parse_request_line(line)
            .map(drop)
            .or_else(|reply| match reply.status {
                400 => Err(reply),
                _ => Ok(()),
            })?;
    }
    Ok(())
}

/// Every header line is `NAME: value`: a token name right before the colon, a value of text.
fn check_headers(head: &str) -> Result<(), Reply> {
    for line in head.split('\n').skip(1) {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad_request("a header line without a colon"));
        };
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(bad_request("a header name that is not a token"));
        }
        if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
            return Err(bad_request("a header value with control bytes"));
        }
    }
    Ok(())
}

/// `(method, path)` of a GET or HEAD; else the answer to give.
fn parse_request_line(head: &str) -> Result<(&str, &str), Reply> {
    let line = head.split('\n').next().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad_request("the request line is not METHOD PATH HTTP/1.x"));
    };
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(bad_request("the request line does not start with a method"));
    }
    let version_ok = version
        .strip_prefix("HTTP/1.")
        .is_some_and(|minor| minor.len() == 1 && minor.bytes().all(|b| b.is_ascii_digit()));
    if !version_ok {
        return Err(bad_request("only HTTP/1.x is answered"));
    }
    // the absolute form (`http://host/path`) names the path after its authority
    let path = match target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
    {
        Some(rest) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => target,
    };
    if !path.starts_with('/') || !path.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad_request("the target is not a path"));
    }
    if method != "GET" && method != "HEAD" {
        return Err(Reply::text(405, "only GET and HEAD are answered\n"));
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    Ok((method, path))
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn response_bytes(reply: &Reply, head_only: bool) -> Vec<u8> {
    let allow = if reply.status == 405 {
        "Allow: GET, HEAD\r\n"
    } else {
        ""
    };
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{allow}Connection: close\r\n\r\n",
        reply.status,
        reason_phrase(reply.status),
        reply.content_type,
        reply.body.len()
    )
    .into_bytes();
    if !head_only {
        out.extend_from_slice(reply.body.as_bytes());
    }
    out
}

fn send(stream: &mut TcpStream, reply: &Reply, head_only: bool, timeout: Duration) {
    let bytes = response_bytes(reply, head_only);
    if stream.set_write_timeout(Some(timeout)).is_ok() && stream.write_all(&bytes).is_ok() {
        let _ = stream.flush();
        // no more requests on this connection; what the client still sends is not read
        let _ = stream.shutdown(std::net::Shutdown::Write);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines_are_parsed_or_refused_with_their_status() {
        assert_eq!(
            parse_request_line("GET /metrics?x=1 HTTP/1.1\r\nHost: a").unwrap(),
            ("GET", "/metrics")
        );
        assert_eq!(
            parse_request_line("HEAD /health HTTP/1.0").unwrap(),
            ("HEAD", "/health")
        );
        assert_eq!(
            parse_request_line("POST /metrics HTTP/1.1")
                .unwrap_err()
                .status,
            405
        );
        assert_eq!(parse_request_line("GET /metrics").unwrap_err().status, 400);
        assert_eq!(parse_request_line("GET / SPDY/3").unwrap_err().status, 400);
        for bad in [
            "GET /metrics HTTP/1.x",
            "GET  /metrics HTTP/1.1",
            "GET metrics HTTP/1.1",
            "G(T /metrics HTTP/1.1",
            "GET /metrics HTTP/1.1 x",
        ] {
            assert_eq!(parse_request_line(bad).unwrap_err().status, 400, "{bad}");
        }
        assert_eq!(
            parse_request_line("GET http://h:1/health?x HTTP/1.1").unwrap(),
            ("GET", "/health")
        );
    }

    #[test]
    fn bytes_that_cannot_begin_a_request_are_refused_before_it_ends() {
        assert!(check_first_line(b"GET /met").is_ok());
        assert!(check_first_line(b"POST /x HTTP/1.1\r\n").is_ok());
        for bad in [&b"\x16\x03\x01"[..], b"GET /\x00", b"G\xffT", b"GET /x\r\n"] {
            assert_eq!(check_first_line(bad).unwrap_err().status, 400, "{bad:?}");
        }
        let long = [b'a'; MAX_REQUEST_LINE + 1];
        assert_eq!(check_first_line(&long).unwrap_err().status, 400);
        assert!(check_headers("GET / HTTP/1.1\r\nHost: a\r\nX-A:\tb").is_ok());
        for bad in [
            "GET / HTTP/1.1\nHost a",
            "GET / HTTP/1.1\nHo st: a",
            "GET / HTTP/1.1\n: a",
        ] {
            assert_eq!(check_headers(bad).unwrap_err().status, 400, "{bad:?}");
        }
    }

    #[test]
    fn a_head_answer_has_the_length_of_the_body_it_leaves_out() {
        let reply = Reply::text(200, "abc\n");
        let text = String::from_utf8(response_bytes(&reply, true)).unwrap();
        assert!(text.contains("Content-Length: 4\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\n"), "{text}");
        let text = String::from_utf8(response_bytes(&Reply::text(405, ""), false)).unwrap();
        assert!(text.contains("Allow: GET, HEAD\r\n"), "{text}");
    }

    #[test]
    fn the_head_ends_at_the_first_blank_line() {
        assert_eq!(end_of_head(b"GET / HTTP/1.1\r\n\r\nrest"), Some(14));
        assert_eq!(end_of_head(b"GET / HTTP/1.1\n\nrest"), Some(14));
        assert_eq!(end_of_head(b"GET / HTTP/1.1\r\nHost: a\r\n"), None);
    }
}
