//! A real S3-compatible server for a test: `moto_server` (PyPI `moto[server]`) on a free port,
//! killed when dropped, with a bucket of the test's own and the AWS environment for `wfctl`.
//!
//! Without `moto_server` a test returns early with a note; with `WFCTL_REQUIRE_S3` set (CI,
//! scripts/test.sh) it fails instead.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Credentials the tests use: distinctive, so every output can be searched for them.
pub const ACCESS_KEY: &str = "AKIAWFCTLTESTACCESS7";
pub const SECRET_KEY: &str = "wfctlTestSecretKey/NeverPrintedAnywhere42";

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A running moto server and one bucket in it.
pub struct S3Server {
    child: Child,
    pub port: u16,
    pub bucket: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl S3Server {
    /// Starts a server and creates a bucket, or `None` (after a note) when moto is missing
    /// and not required.
    #[track_caller]
    pub fn start() -> Option<S3Server> {
        let available = std::env::var_os("PATH").is_some_and(|path| {
            std::env::split_paths(&path).any(|dir| dir.join("moto_server").is_file())
        });
        if !available {
            if std::env::var_os("WFCTL_REQUIRE_S3").is_some() {
                panic!(
                    "moto_server required (WFCTL_REQUIRE_S3) but not found: pip install 'moto[server]'"
                );
            }
            eprintln!(
                "note: {} skipped: no moto_server (pip install 'moto[server]')",
                std::thread::current().name().unwrap_or("a test")
            );
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let bucket = format!(
            "wfctl-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let server = S3Server {
            child,
            port,
            bucket,
        };
        super::poll_until("moto_server to answer", Duration::from_secs(60), || {
            matches!(server.request("GET", "/"), Ok((200, _)))
        });
        let (status, body) = server
            .request("PUT", &format!("/{}", server.bucket))
            .expect("creating the bucket");
        assert_eq!(status, 200, "creating the bucket: {body}");
        Some(server)
    }

    /// `http://127.0.0.1:PORT`
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `s3://BUCKET/PREFIX`
    pub fn url(&self, prefix: &str) -> String {
        format!("s3://{}/{prefix}", self.bucket)
    }

    /// Sets the AWS environment on a `wfctl` command (and clears any profile of the machine).
    pub fn env<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        for var in [
            "AWS_PROFILE",
            "AWS_SESSION_TOKEN",
            "AWS_DEFAULT_REGION",
            "AWS_ENDPOINT_URL_S3",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("AWS_ENDPOINT_URL", self.endpoint())
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    }

    /// Multipart uploads started and neither completed nor aborted, under `prefix`.
    pub fn incomplete_uploads(&self, prefix: &str) -> usize {
        let (status, body) = self
            .request("GET", &format!("/{}?uploads&prefix={prefix}", self.bucket))
            .expect("listing multipart uploads");
        assert_eq!(status, 200, "{body}");
        body.matches("<UploadId>").count()
    }

    /// The raw bytes of an object, as stored (ciphertext when encrypted).
    pub fn raw_object(&self, key: &str) -> Vec<u8> {
        let (status, body) = self
            .request_bytes("GET", &format!("/{}/{key}", self.bucket))
            .expect("reading the object");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        body
    }

    /// The object's ETag as the server reports it (`...-N` for N uploaded parts).
    pub fn etag(&self, key: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("moto answers");
        write!(
            stream,
            "HEAD /{}/{key} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.bucket, self.port
        )
        .expect("sending HEAD");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("reading HEAD");
        response
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("etag")
                    .then(|| value.trim().trim_matches('"').to_string())
            })
            .unwrap_or_else(|| panic!("no ETag in {response}"))
    }

    /// One unsigned HTTP/1.1 request (moto does not check signatures); status and body.
    fn request(&self, method: &str, path: &str) -> std::io::Result<(u16, String)> {
        let (status, bytes) = self.request_bytes(method, path)?;
        Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
    }

    fn request_bytes(&self, method: &str, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response)?;
        let end = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(response.len(), |p| p + 4);
        let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut body = response[end..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            body = dechunk(&body);
        }
        Ok((status, body))
    }
}

/// Fails when any of the test credentials (or `also`) appears in `text`.
#[track_caller]
pub fn assert_no_secrets(text: &str, also: &[&str]) {
    for secret in [ACCESS_KEY, SECRET_KEY].iter().chain(also) {
        assert!(
            !text.contains(secret),
            "a secret appears in the output:\n{text}"
        );
    }
}

/// The body of a chunked HTTP/1.1 response.
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        body.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    body
}
