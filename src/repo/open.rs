//! A repository URL to a repository: `file:///DIR` (a local directory) or
//! `s3://bucket/prefix` (an S3-compatible bucket).

use std::path::PathBuf;

use super::file::FileRepository;
use super::{Error, Repository};

/// Where a repository is, parsed from its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `file:///DIR`: an absolute local directory.
    File(PathBuf),
    /// `s3://bucket/prefix`.
    S3 {
        /// The bucket.
        bucket: String,
        /// The key prefix inside it (may be empty).
        prefix: String,
    },
}

/// A URL as it may be shown: credentials someone put in it (`s3://KEY:SECRET@bucket`,
/// `file://user@host/dir`) replaced by `***`. Every message that quotes a repository URL
/// quotes it through this.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        // not a URL: still never echo what looks like credentials
        return match url.rsplit_once('@') {
            Some((_, host)) => format!("***@{host}"),
            None => url.to_owned(),
        };
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// Parses a repository URL; the message names what is wrong with it (the URL redacted).
pub(crate) fn parse_url(url: &str) -> Result<Location, Error> {
    let shown = redact_url(url);
    if shown != url {
        return Err(Error::Invalid(format!(
            "repository url {shown:?}: credentials do not go in the URL; give them in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or a profile in ~/.aws/credentials)"
        )));
    }
    if let Some(path) = url.strip_prefix("file://") {
        if !path.starts_with('/') {
            return Err(Error::Invalid(format!(
                "repository url {url:?}: a file:// URL names an absolute directory (file:///var/backups/wfctl)"
            )));
        }
        if path.split('/').any(|s| s == "..") {
            return Err(Error::Invalid(format!(
                "repository url {url:?}: the directory cannot contain '..'"
            )));
        }
        return Ok(Location::File(PathBuf::from(path)));
    }
    if let Some(rest) = url.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(Error::Invalid(format!(
                "repository url {url:?}: no bucket (s3://bucket/prefix)"
            )));
        }
        return Ok(Location::S3 {
            bucket: bucket.to_owned(),
            prefix: prefix.trim_matches('/').to_owned(),
        });
    }
    Err(Error::Invalid(format!(
        "repository url {url:?}: expected file:///DIR or s3://bucket/prefix"
    )))
}

/// Opens the repository a URL names; `read_only` (an adopted archive, `[repository]
/// read_only = true`) refuses every write and delete, whatever the kind.
pub fn open(url: &str, read_only: bool) -> Result<Box<dyn Repository>, Error> {
    Ok(guard(backend(url, read_only)?, read_only))
}

/// [`open`] with how its objects are encrypted (from `[repository]`): every
/// [`super::stream::put_object`] and [`super::stream::get_object`] on it applies `sealing`.
pub fn open_sealed(
    url: &str,
    read_only: bool,
    sealing: super::stream::Sealing,
) -> Result<Box<dyn Repository>, Error> {
    let repo = super::stream::sealed(backend(url, read_only)?, sealing);
    Ok(guard(repo, read_only))
}

fn backend(url: &str, read_only: bool) -> Result<Box<dyn Repository>, Error> {
    Ok(match parse_url(url)? {
        Location::File(dir) => Box::new(FileRepository::open(&dir, read_only)?),
        Location::S3 { .. } => Box::new(super::s3::S3Repository::open(url)?),
    })
}

/// A local directory as a repository (the guide's archive directory: `read_only`).
pub fn open_dir(dir: &std::path::Path, read_only: bool) -> Result<Box<dyn Repository>, Error> {
    Ok(guard(
        Box::new(FileRepository::open(dir, read_only)?),
        read_only,
    ))
}

fn guard(repo: Box<dyn Repository>, read_only: bool) -> Box<dyn Repository> {
    if read_only {
        Box::new(super::ReadOnly(repo))
    } else {
        repo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            parse_url("file:///var/backups/wfctl").unwrap(),
            Location::File("/var/backups/wfctl".into())
        );
        assert_eq!(
            parse_url("s3://bucket/a/b/").unwrap(),
            Location::S3 {
                bucket: "bucket".into(),
                prefix: "a/b".into()
            }
        );
        for bad in [
            "file://relative",
            "file:///a/../b",
            "s3:///x",
            "/var/backups",
            "http://x",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn credentials_in_a_url_are_refused_and_never_echoed() {
        for url in [
            "s3://AKIAKEY:topSECRET@bucket/prefix",
            "s3://topSECRET@bucket",
            "file://user:topSECRET@/var/backups",
        ] {
            let err = parse_url(url).unwrap_err().to_string();
            assert!(!err.contains("topSECRET"), "{err}");
            assert!(err.contains("***@"), "{err}");
            assert!(!redact_url(url).contains("topSECRET"));
        }
        assert_eq!(redact_url("s3://b/p@x"), "s3://b/p@x");
        assert_eq!(redact_url("s3://k:s@b/p"), "s3://***@b/p");
    }
}
