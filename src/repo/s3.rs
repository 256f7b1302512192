//! An S3-compatible bucket as a repository (`s3://bucket/prefix`), through rust-s3's
//! synchronous client.
//!
//! Endpoint, region and credentials come from the usual AWS environment: `AWS_ENDPOINT_URL`
//! (an S3-compatible server, addressed path-style), `AWS_REGION` (default `us-east-1`),
//! `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, or else the shared
//! credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`, profile
//! `AWS_PROFILE` or `default`).
//!
//! Every `put` is a multipart upload read part by part, so memory stays near one part whatever
//! the size. S3 shows a multipart object only once the upload is completed: a killed upload
//! leaves an incomplete upload (which a bucket lifecycle rule expires), never an object.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use s3::bucket::Bucket;
use s3::creds::Credentials;
use s3::region::Region;
use s3::serde_types::Part;
use sha2::{Digest, Sha256};

use super::{Error, ObjectInfo, Repository, Stored, check_key};

/// Bytes per uploaded part and per ranged read: S3 wants at least 5 MiB for all but the last
/// part, and allows 10,000 parts, so 8 MiB parts hold objects up to about 80 GB.
pub(crate) const PART_SIZE: usize = 8 * 1024 * 1024;
const MAX_PARTS: u32 = 10_000;

/// Where the bucket is and who we are, as read from the environment (or given by a test).
#[derive(Clone, Default)]
pub struct S3Settings {
    /// An S3-compatible server's URL (`http://127.0.0.1:9000`); path-style addressing.
    pub endpoint: Option<String>,
    /// The region; `us-east-1` when not given.
    pub region: Option<String>,
    /// Access key id.
    pub access_key: Option<String>,
    /// Secret access key.
    pub secret_key: Option<String>,
    /// Session token of temporary credentials.
    pub session_token: Option<String>,
}

// never print the keys, even in a debug dump
impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key", &self.access_key.as_ref().map(|_| "<set>"))
            .finish_non_exhaustive()
    }
}

impl S3Settings {
    /// Reads the AWS environment and, when the keys are not in it, the shared credentials file.
    pub fn from_env() -> Result<S3Settings, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut settings = S3Settings {
            endpoint: var("AWS_ENDPOINT_URL_S3").or_else(|| var("AWS_ENDPOINT_URL")),
            region: var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")),
            access_key: var("AWS_ACCESS_KEY_ID"),
            secret_key: var("AWS_SECRET_ACCESS_KEY"),
            session_token: var("AWS_SESSION_TOKEN"),
        };
        if settings.access_key.is_none() {
            let file = var("AWS_SHARED_CREDENTIALS_FILE")
                .map(PathBuf::from)
                .or_else(|| var("HOME").map(|home| PathBuf::from(home).join(".aws/credentials")));
            let profile = var("AWS_PROFILE").unwrap_or_else(|| "default".into());
            if let Some(file) = file.filter(|f| f.exists()) {
                let text = std::fs::read_to_string(&file).map_err(|source| Error::Io {
                    location: file.display().to_string(),
                    source,
                })?;
                let section = ini_section(&text, &profile);
                settings.access_key = section.get("aws_access_key_id").cloned();
                settings.secret_key = section.get("aws_secret_access_key").cloned();
                settings.session_token = section.get("aws_session_token").cloned();
                if settings.access_key.is_some() != settings.secret_key.is_some() {
                    return Err(Error::Invalid(format!(
                        "{}: profile [{profile}] needs both aws_access_key_id and aws_secret_access_key",
                        file.display()
                    )));
                }
            }
        }
        Ok(settings)
    }
}

/// The `key = value` pairs of `[name]` in an INI file (the AWS credentials file's format).
fn ini_section(text: &str, name: &str) -> BTreeMap<String, String> {
    let mut inside = false;
    let mut pairs = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let header = header.trim();
            inside = header == name || header.strip_prefix("profile ").map(str::trim) == Some(name);
            continue;
        }
        if inside && let Some((key, value)) = line.split_once('=') {
            pairs.insert(key.trim().to_string(), value.trim().to_string());
        }
    }
    pairs
}

/// A bucket (and a prefix in it) that holds a repository.
pub struct S3Repository {
    bucket: Box<Bucket>,
    /// `""` or `dir/` (always ending in `/`).
    prefix: String,
    /// `s3://bucket/prefix`, for messages.
    url: String,
}

impl std::fmt::Debug for S3Repository {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "S3Repository({})", self.url)
    }
}

impl S3Repository {
    /// Opens `s3://bucket/prefix` with the settings of the environment. Nothing is sent yet.
    pub fn open(url: &str) -> Result<S3Repository, Error> {
        Self::open_with(url, &S3Settings::from_env()?)
    }

    /// Opens `s3://bucket/prefix` with the given settings.
    pub fn open_with(url: &str, settings: &S3Settings) -> Result<S3Repository, Error> {
        let shown = super::open::redact_url(url);
        let invalid = |why: &str| Error::Invalid(format!("repository URL {shown:?}: {why}"));
        if shown != url {
            return Err(invalid(
                "credentials do not go in the URL; give them in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            ));
        }
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| invalid("an S3 repository URL starts with s3://"))?;
        let (name, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if name.is_empty() {
            return Err(invalid("no bucket name"));
        }
        let prefix = prefix.trim_end_matches('/');
        if !prefix.is_empty() {
            check_key(prefix).map_err(|_| invalid("the prefix has an empty, . or .. segment"))?;
        }
        let (Some(access_key), Some(secret_key)) = (&settings.access_key, &settings.secret_key)
        else {
            return Err(invalid(
                "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials)",
            ));
        };
        let credentials = Credentials::new(
            Some(access_key),
            Some(secret_key),
            None,
            settings.session_token.as_deref(),
            None,
        )
        .map_err(|e| invalid(&one_line(&e.to_string())))?;
        let region_name = settings
            .region
            .clone()
            .unwrap_or_else(|| "us-east-1".into());
        let region = match &settings.endpoint {
            Some(endpoint) => {
                if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
                    return Err(invalid(
                        "AWS_ENDPOINT_URL must start with http:// or https://",
                    ));
                }
                Region::Custom {
                    region: region_name,
                    endpoint: endpoint.trim_end_matches('/').to_string(),
                }
            }
            None => region_name
                .parse()
                .map_err(|_| invalid(&format!("unknown region {region_name:?}")))?,
        };
        let mut bucket = Bucket::new(name, region, credentials)
            .map_err(|e| invalid(&one_line(&e.to_string())))?;
        // S3-compatible servers rarely have a DNS name per bucket
        if settings.endpoint.is_some() {
            bucket.set_path_style();
        }
        Ok(S3Repository {
            bucket,
            prefix: if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}/")
            },
            url: format!("s3://{name}/{prefix}")
                .trim_end_matches('/')
                .to_string(),
        })
    }

    fn path(&self, key: &str) -> Result<String, Error> {
        check_key(key)?;
        Ok(format!("/{}{key}", self.prefix))
    }

    fn location(&self, key: &str) -> String {
        format!("{}/{key}", self.url)
    }

    fn remote(&self, key: &str, what: &str, reason: impl std::fmt::Display) -> Error {
        Error::Remote {
            location: self.location(key),
            reason: one_line(&format!("{what}: {reason}")),
        }
    }

    /// A client error as one line: the server's error code and message when it sent one. A
    /// missing bucket is configuration, a server that does not answer is unreachable.
    fn failed(&self, key: &str, what: &str, error: s3::error::S3Error) -> Error {
        let reason = match &error {
            s3::error::S3Error::HttpFailWithBody(_, body)
                if body.contains("<Code>NoSuchBucket<") =>
            {
                return self.no_bucket();
            }
            s3::error::S3Error::HttpFailWithBody(status, body) => error_document(*status, body),
            s3::error::S3Error::Atto(e) => {
                return Error::Unreachable {
                    location: self.location(key),
                    reason: one_line(&e.to_string()),
                };
            }
            other => other.to_string(),
        };
        self.remote(key, what, reason)
    }

    fn no_bucket(&self) -> Error {
        Error::Invalid(format!(
            "{}: no such bucket (check [repository] url, AWS_ENDPOINT_URL and AWS_REGION)",
            self.url
        ))
    }

    /// Why a listing could not be read: the bucket's own status says more than a body that
    /// is not a listing.
    fn bucket_problem(&self, error: s3::error::S3Error) -> Error {
        if let s3::error::S3Error::SerdeXml(_) = error
            && let Err(problem) = self.check()
        {
            return problem;
        }
        self.failed("", "listing", error)
    }

    /// The key's body as parts; aborts the upload on any failure so no part is left billed.
    fn upload(
        &self,
        key: &str,
        path: &str,
        body: &mut dyn Read,
        replace: bool,
    ) -> Result<Stored, Error> {
        let started = self
            .bucket
            .initiate_multipart_upload(path, "application/octet-stream")
            .map_err(|e| self.failed(key, "starting the upload", e))?;
        let upload_id = started.upload_id;
        let result = self.upload_parts(key, path, &upload_id, body, replace);
        if result.is_err() {
            // best effort: the error that stopped the upload is the one to report
            let _ = self.bucket.abort_upload(path, &upload_id);
        }
        result
    }

    fn upload_parts(
        &self,
        key: &str,
        path: &str,
        upload_id: &str,
        body: &mut dyn Read,
        replace: bool,
    ) -> Result<Stored, Error> {
        let mut buffer = vec![0u8; PART_SIZE];
        let mut sha256 = Sha256::new();
        let mut size = 0u64;
        let mut parts: Vec<Part> = Vec::new();
        // the multipart ETag is md5(md5(part 1) .. md5(part N))-N on S3 without KMS
        let mut part_md5s = Vec::new();
        loop {
            let filled = fill(body, &mut buffer).map_err(|source| Error::Io {
                location: format!("{} (reading the body)", self.location(key)),
                source,
            })?;
            // one part always, even for an empty body: S3 completes no upload of 0 parts
            if filled == 0 && !parts.is_empty() {
                break;
            }
            let chunk = &buffer[..filled];
            sha256.update(chunk);
            size += filled as u64;
            let number = parts.len() as u32 + 1;
            if number > MAX_PARTS {
                return Err(self.remote(key, "uploading", "more than 10,000 parts"));
            }
            let digest = md5::compute(chunk);
            let part = self
                .bucket
                .put_multipart_chunk(chunk, path, number, upload_id, "application/octet-stream")
                .map_err(|e| self.failed(key, &format!("uploading part {number}"), e))?;
            let etag = part.etag.trim_matches('"').to_ascii_lowercase();
            if looks_like_md5(&etag) && etag != format!("{digest:x}") {
                return Err(self.remote(
                    key,
                    &format!("uploading part {number}"),
                    "the server stored other bytes than were sent (ETag differs)",
                ));
            }
            part_md5s.extend_from_slice(&digest.0);
            parts.push(Part {
                etag: part.etag,
                part_number: number,
            });
            if filled < buffer.len() {
                break;
            }
        }
        let count = parts.len();
        // rust-s3 refuses a 2xx completion whose XML it finds unusual (moto's): that is no
        // error unless the body is S3's "200 with <Error>"; the read-back below decides
        // A write that must not replace completes only if the key is still free
        // (If-None-Match: *, S3 since 2024, MinIO, moto): of two racing writers one gets 412.
        // A server that ignores the header is caught, less surely, by the read-back below.
        let mut completing = (*self.bucket).clone();
        if !replace {
            completing.add_header("If-None-Match", "*");
        }
        match completing.complete_multipart_upload(path, upload_id, parts) {
            Ok(response) if response.status_code() == 412 => {
                return Err(Error::Exists {
                    location: self.location(key),
                });
            }
            Err(s3::error::S3Error::HttpFailWithBody(412, _)) => {
                return Err(Error::Exists {
                    location: self.location(key),
                });
            }
            Ok(response) if (200..300).contains(&response.status_code()) => {}
            Ok(response) => {
                return Err(self.remote(key, "completing the upload", http_reason(&response)));
            }
            Err(s3::error::S3Error::HttpFailWithBody(status, body))
                if (200..300).contains(&status) && !body.contains("<Error>") => {}
            Err(e) => return Err(self.failed(key, "completing the upload", e)),
        }
        // read back what the server holds now: its size and, where S3 computes it so, the
        // multipart ETag over the parts' MD5s
        let info = self.head_raw(key, path)?.ok_or_else(|| {
            self.remote(
                key,
                "checking the upload",
                "the object is missing after completing it",
            )
        })?;
        if info.0.size != size {
            return Err(self.remote(
                key,
                "checking the upload",
                format!("{} bytes stored, {size} sent", info.0.size),
            ));
        }
        let expected = format!("{:x}-{count}", md5::compute(&part_md5s));
        let etag = info.1.trim_matches('"').to_ascii_lowercase();
        if etag.contains('-') && etag.len() == expected.len() && etag != expected {
            return Err(self.remote(
                key,
                "checking the upload",
                "the stored object's ETag does not match the parts sent (another writer's object is there?)",
            ));
        }
        Ok(Stored {
            size,
            sha256: format!("{:x}", sha256.finalize()),
        })
    }

    /// The object's info and ETag.
    fn head_raw(&self, key: &str, path: &str) -> Result<Option<(ObjectInfo, String)>, Error> {
        let (head, status) = self
            .bucket
            .head_object(path)
            .map_err(|e| self.failed(key, "reading its size", e))?;
        match status {
            404 => Ok(None),
            200..=299 => {
                let size = head
                    .content_length
                    .and_then(|l| u64::try_from(l).ok())
                    .ok_or_else(|| self.remote(key, "reading its size", "no Content-Length"))?;
                let modified = head
                    .last_modified
                    .as_deref()
                    .and_then(|t| chrono::DateTime::parse_from_rfc2822(t).ok())
                    .map(|t| t.with_timezone(&chrono::Utc));
                Ok(Some((
                    ObjectInfo {
                        key: key.to_string(),
                        size,
                        modified,
                    },
                    head.e_tag.unwrap_or_default(),
                )))
            }
            other => Err(self.remote(key, "reading its size", format!("HTTP {other}"))),
        }
    }
}

impl Repository for S3Repository {
    fn describe(&self) -> String {
        self.url.clone()
    }

    fn put(&self, key: &str, body: &mut dyn Read, replace: bool) -> Result<Stored, Error> {
        let path = self.path(key)?;
        // the early check saves an upload; the conditional completion is what decides
        if !replace && self.head_raw(key, &path)?.is_some() {
            return Err(Error::Exists {
                location: self.location(key),
            });
        }
        self.upload(key, &path, body, replace)
    }

    fn get(&self, key: &str) -> Result<Box<dyn Read + Send>, Error> {
        let path = self.path(key)?;
        let (info, etag) = self.head_raw(key, &path)?.ok_or_else(|| Error::NotFound {
            location: self.location(key),
        })?;
        Ok(Box::new(RangeReader {
            bucket: self.bucket.clone(),
            path,
            location: self.location(key),
            etag,
            size: info.size,
            next: 0,
            chunk: Vec::new(),
            at: 0,
        }))
    }

    fn head(&self, key: &str) -> Result<Option<ObjectInfo>, Error> {
        let path = self.path(key)?;
        Ok(self.head_raw(key, &path)?.map(|(info, _)| info))
    }

    fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, Error> {
        let full = format!("{}{prefix}", self.prefix);
        let pages = self
            .bucket
            .list(full, None)
            .map_err(|e| self.bucket_problem(e))?;
        let mut objects: Vec<ObjectInfo> = pages
            .into_iter()
            .flat_map(|page| page.contents)
            .filter_map(|object| {
                let key = object.key.strip_prefix(&self.prefix)?.to_string();
                check_key(&key).ok()?;
                Some(ObjectInfo {
                    key,
                    size: object.size,
                    modified: chrono::DateTime::parse_from_rfc3339(&object.last_modified)
                        .ok()
                        .map(|t| t.with_timezone(&chrono::Utc)),
                })
            })
            .collect();
        objects.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(objects)
    }

    fn check(&self) -> Result<(), Error> {
        let (_, status) = self
            .bucket
            .head_object("/")
            .map_err(|e| self.failed("", "checking the bucket", e))?;
        match status {
            200..=299 => Ok(()),
            404 => Err(self.no_bucket()),
            403 => Err(Error::Invalid(format!(
                "{}: access denied (HTTP 403): check the credentials and the bucket policy",
                self.url
            ))),
            301 => Err(Error::Invalid(format!(
                "{}: the bucket is in another region (HTTP 301): set AWS_REGION",
                self.url
            ))),
            other => Err(self.remote("", "checking the bucket", format!("HTTP {other}"))),
        }
    }

    /// Aborts incomplete multipart uploads under the repository's prefix started more than
    /// `stale` ago (a killed `put`); no listing ever showed them.
    fn clean_leftovers(&self, stale: std::time::Duration) -> Result<usize, Error> {
        let pages = self
            .bucket
            .list_multiparts_uploads(Some(&self.prefix), None)
            .map_err(|e| self.failed("", "listing incomplete uploads", e))?;
        let cutoff =
            chrono::Utc::now() - chrono::Duration::from_std(stale).unwrap_or(chrono::Duration::MAX);
        let mut aborted = 0;
        for upload in pages.into_iter().flat_map(|page| page.uploads) {
            let Some(key) = upload.key.strip_prefix(&self.prefix) else {
                continue;
            };
            let started = chrono::DateTime::parse_from_rfc3339(&upload.initiated)
                .map(|t| t.with_timezone(&chrono::Utc));
            // only uploads wfctl could have started (a valid key), and only old ones
            if check_key(key).is_err() || !started.is_ok_and(|t| t <= cutoff) {
                continue;
            }
            self.bucket
                .abort_upload(&format!("/{}", upload.key), &upload.id)
                .map_err(|e| self.failed(key, "aborting an incomplete upload", e))?;
            aborted += 1;
        }
        Ok(aborted)
    }

    fn delete(&self, key: &str) -> Result<(), Error> {
        let path = self.path(key)?;
        let response = self
            .bucket
            .delete_object(&path)
            .map_err(|e| self.failed(key, "deleting", e))?;
        match response.status_code() {
            200..=299 | 404 => Ok(()),
            _ => Err(self.remote(key, "deleting", http_reason(&response))),
        }
    }
}

/// Reads an object one ranged GET of `PART_SIZE` at a time, each checked against the ETag
/// seen at open so a replaced object is never read half old, half new.
struct RangeReader {
    bucket: Box<Bucket>,
    path: String,
    location: String,
    etag: String,
    size: u64,
    next: u64,
    chunk: Vec<u8>,
    at: usize,
}

impl RangeReader {
    fn fetch(&mut self) -> std::io::Result<()> {
        let end = (self.next + PART_SIZE as u64).min(self.size) - 1;
        let failed = |reason: String| {
            std::io::Error::other(one_line(&format!("{}: reading: {reason}", self.location)))
        };
        let response = self
            .bucket
            .get_object_range(&self.path, self.next, Some(end))
            .map_err(|e| failed(e.to_string()))?;
        if !(200..300).contains(&response.status_code()) {
            return Err(failed(http_reason(&response)));
        }
        let etag = response.headers().get("etag").cloned().unwrap_or_default();
        if !etag.is_empty() && !self.etag.is_empty() && etag != self.etag {
            return Err(failed("the object changed while being read".into()));
        }
        let expected = (end + 1 - self.next) as usize;
        if response.as_slice().len() != expected {
            return Err(failed(format!(
                "{} bytes received for a range of {expected}",
                response.as_slice().len()
            )));
        }
        self.chunk = response.bytes().to_vec();
        self.at = 0;
        self.next = end + 1;
        Ok(())
    }
}

impl Read for RangeReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.chunk.len() {
            if self.next >= self.size {
                return Ok(0);
            }
            self.fetch()?;
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Reads until `buffer` is full or the body ends; returns how much it holds.
fn fill(body: &mut dyn Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match body.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn looks_like_md5(etag: &str) -> bool {
    etag.len() == 32 && etag.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `HTTP 403 AccessDenied: Access Denied` from an S3 error document.
fn http_reason(response: &s3::request::ResponseData) -> String {
    error_document(
        response.status_code(),
        &String::from_utf8_lossy(response.as_slice()),
    )
}

fn error_document(status: u16, body: &str) -> String {
    let tag = |name: &str| {
        let open = format!("<{name}>");
        let start = body.find(&open)? + open.len();
        let len = body[start..].find(&format!("</{name}>"))?;
        Some(body[start..start + len].to_string())
    };
    match (tag("Code"), tag("Message")) {
        (Some(code), Some(message)) => format!("HTTP {status} {code}: {message}"),
        (Some(code), None) => format!("HTTP {status} {code}"),
        _ => format!("HTTP {status}"),
    }
}

/// Messages are one line; a server's multi-line body is folded, and kept short.
fn one_line(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 300 {
        line.chars().take(300).collect::<String>() + "..."
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> S3Settings {
        S3Settings {
            endpoint: Some("http://127.0.0.1:1".into()),
            access_key: Some("AKIDEXAMPLE".into()),
            secret_key: Some("wJalrXUtnFEMI".into()),
            ..S3Settings::default()
        }
    }

    #[test]
    fn urls_name_a_bucket_and_an_optional_prefix() {
        let repo = S3Repository::open_with("s3://b/some/dir/", &settings()).unwrap();
        assert_eq!(repo.describe(), "s3://b/some/dir");
        assert_eq!(repo.path("wal/x").unwrap(), "/some/dir/wal/x");
        let repo = S3Repository::open_with("s3://b", &settings()).unwrap();
        assert_eq!(repo.describe(), "s3://b");
        assert_eq!(repo.path("x").unwrap(), "/x");
        for bad in ["s3://", "s3:///x", "file:///x", "s3://b/a/../c"] {
            let err = S3Repository::open_with(bad, &settings()).unwrap_err();
            assert!(err.to_string().contains(bad), "{err}");
        }
    }

    #[test]
    fn missing_credentials_are_named_and_keys_never_printed() {
        let none = S3Settings {
            access_key: None,
            ..settings()
        };
        let err = S3Repository::open_with("s3://b", &none).unwrap_err();
        assert!(err.to_string().contains("AWS_ACCESS_KEY_ID"), "{err}");
        let shown = format!("{:?}", settings());
        assert!(!shown.contains("AKIDEXAMPLE") && !shown.contains("wJalrXUtnFEMI"));
    }

    #[test]
    fn the_credentials_file_profile_is_read() {
        let text = "[default]\naws_access_key_id = A\naws_secret_access_key = B\n\n[profile ops]\naws_access_key_id=C\naws_secret_access_key=D\n";
        assert_eq!(ini_section(text, "default")["aws_access_key_id"], "A");
        assert_eq!(ini_section(text, "ops")["aws_secret_access_key"], "D");
        assert!(ini_section(text, "other").is_empty());
    }
}
