//! A PostgreSQL connection string that never shows its password.
//!
//! Accepts what libpq accepts: a `postgres://` / `postgresql://` URI (percent-encoding, where
//! `+` is a plus; several `host:port` pairs; any libpq parameter in the query) or the keyword
//! form `host=... dbname=...`. Both are decoded once, the way libpq decodes them, into libpq
//! parameters; wfctl's own connections and the client programs it starts are given those same
//! parameters, so they always reach the same database with the same credentials.
//!
//! Only [`DatabaseUrl::conninfo`] (for libpq) and [`DatabaseUrl::child_env`] (for `pg_dump`,
//! `psql`, ...) expose the secret; `Display` and `Debug` print it as `***`.
//! An empty string means "libpq defaults": `PGHOST`, `PGUSER`, `PGDATABASE`, `~/.pgpass`, ...

use std::fmt;

use super::Error;

/// Parsed connection parameters (or the libpq environment defaults).
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    /// libpq keywords and their decoded values, in the order given, each keyword once.
    params: Vec<(String, String)>,
    /// How it was written, so that it is shown the same way.
    form: Form,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Defaults,
    Uri,
    Keywords,
}

/// Every connection parameter libpq knows (up to PostgreSQL 18).
const KEYWORDS: &[&str] = &[
    "service",
    "user",
    "password",
    "passfile",
    "channel_binding",
    "connect_timeout",
    "dbname",
    "host",
    "hostaddr",
    "port",
    "client_encoding",
    "options",
    "application_name",
    "fallback_application_name",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "sslmode",
    "sslnegotiation",
    "sslcompression",
    "sslcert",
    "sslkey",
    "sslcertmode",
    "sslpassword",
    "sslrootcert",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "sslkeylogfile",
    "requirepeer",
    "require_auth",
    "min_protocol_version",
    "max_protocol_version",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "gssencmode",
    "krbsrvname",
    "gsslib",
    "gssdelegation",
    "replication",
    "target_session_attrs",
    "load_balance_hosts",
    "scram_client_key",
    "scram_server_key",
    "oauth_issuer",
    "oauth_client_id",
    "oauth_client_secret",
    "oauth_scope",
];

/// Parameters whose value is a secret: never shown, never on a child's command line.
const SECRETS: &[&str] = &[
    "password",
    "sslpassword",
    "oauth_client_secret",
    "scram_client_key",
    "scram_server_key",
];

/// Parameters with a fixed set of values: a typo is a configuration error, not a failed
/// connection.
const CHOICES: &[(&str, &[&str])] = &[
    (
        "sslmode",
        &[
            "disable",
            "allow",
            "prefer",
            "require",
            "verify-ca",
            "verify-full",
        ],
    ),
    ("gssencmode", &["disable", "prefer", "require"]),
    ("channel_binding", &["disable", "prefer", "require"]),
    ("sslcertmode", &["disable", "allow", "require"]),
    ("sslnegotiation", &["postgres", "direct"]),
    ("load_balance_hosts", &["disable", "random"]),
    (
        "target_session_attrs",
        &[
            "any",
            "read-write",
            "read-only",
            "primary",
            "standby",
            "prefer-standby",
        ],
    ),
];

/// Parameters that libpq reads as an integer.
const INTEGERS: &[&str] = &[
    "connect_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
];

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidUrl {
        reason: reason.into(),
    }
}

/// A parse error never repeats text from the connection string (a mistyped one may hold a
/// password anywhere): it names a known parameter or a character position.
fn known(key: &str) -> Option<&str> {
    (KEYWORDS.contains(&key) || key == "ssl" || key == "requiressl").then_some(key)
}

/// 1-based character position of byte `offset` of `text`.
fn position(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(offset, |t| t.chars().count()) + 1
}

/// Byte offset of `part` (a slice of `base`) in `base`.
fn offset_in(base: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(base.as_ptr() as usize)
}

fn is_secret(key: &str) -> bool {
    SECRETS.contains(&key)
}

impl DatabaseUrl {
    /// Parses a connection string as libpq does; the empty string means libpq defaults.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Self::libpq_defaults());
        }
        if text.contains('\0') {
            return Err(invalid("contains a NUL character"));
        }
        let (form, raw) = if let Some(rest) = text
            .strip_prefix("postgresql://")
            .or_else(|| text.strip_prefix("postgres://"))
        {
            (Form::Uri, parse_uri(text, rest)?)
        } else if other_scheme(text).is_some() {
            return Err(invalid("the scheme is not postgres:// or postgresql://"));
        } else {
            (Form::Keywords, parse_keywords(text)?)
        };
        let mut url = Self {
            params: Vec::new(),
            form,
        };
        for (key, value, at) in raw {
            let (key, value) = match (key.as_str(), value.as_str()) {
                // libpq's aliases: JDBC's ssl=true (URI only) and the old requiressl.
                ("ssl", "true") if form == Form::Uri => ("sslmode".into(), "require".into()),
                ("requiressl", v) => {
                    let mode = if v.starts_with('1') {
                        "require"
                    } else {
                        "prefer"
                    };
                    ("sslmode".into(), mode.into())
                }
                _ => (key, value),
            };
            if !KEYWORDS.contains(&key.as_str()) {
                return Err(invalid(format!(
                    "unknown connection parameter at character {at}"
                )));
            }
            check_value(&key, &value)?;
            url.set(&key, value);
        }
        Ok(url)
    }

    /// Connect with whatever libpq finds in the environment (`PGHOST`, `~/.pgpass`, ...).
    pub fn libpq_defaults() -> Self {
        Self {
            params: Vec::new(),
            form: Form::Defaults,
        }
    }

    /// A parameter's value, if the connection string sets it.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The URL, once [`Self::check_files`] passed.
    pub fn checked(self) -> Result<Self, Error> {
        self.check_files()?;
        Ok(self)
    }

    /// Refuses a certificate, key or revocation file the connection string, or libpq's
    /// environment variable in its place (`PGSSLROOTCERT`...), names that does not exist: a
    /// mistyped path is configuration, not an unreachable server (`sslrootcert=system` names
    /// the system's store, not a file). The message names the parameter or the variable.
    pub fn check_files(&self) -> Result<(), Error> {
        for (key, var) in [
            ("sslrootcert", "PGSSLROOTCERT"),
            ("sslcert", "PGSSLCERT"),
            ("sslkey", "PGSSLKEY"),
            ("sslcrl", "PGSSLCRL"),
        ] {
            let (name, path) = match self.param(key) {
                Some(path) => (key, path.to_string()),
                None => match std::env::var_os(var) {
                    Some(path) => (var, path.to_string_lossy().into_owned()),
                    None => continue,
                },
            };
            if path.is_empty() || (key == "sslrootcert" && path == "system") {
                continue;
            }
            if !std::path::Path::new(&path).exists() {
                return Err(invalid(format!("{name} file {path} does not exist")));
            }
        }
        Ok(())
    }

    /// The libpq keyword/value string handed to libpq. Contains the password: never print it.
    pub fn conninfo(&self) -> String {
        keyword_string(self.params.iter())
    }

    /// The same parameters with `extra` added where the connection string does not set them.
    pub fn conninfo_with_defaults(&self, extra: &[(&str, String)]) -> String {
        let mut url = self.clone();
        for (key, value) in extra {
            if url.param(key).is_none() {
                url.set(key, value.clone());
            }
        }
        url.conninfo()
    }

    /// Arguments that make a libpq client program (`pg_dump`, `psql`, `pg_basebackup`)
    /// connect with exactly these parameters: one `--dbname=CONNINFO` without the secrets
    /// (those go to [`Self::child_env`]), nothing when libpq's defaults are used.
    pub fn child_args(&self) -> Vec<String> {
        let public = self.params.iter().filter(|(k, _)| !is_secret(k));
        let conninfo = keyword_string(public);
        if conninfo.is_empty() {
            Vec::new()
        } else {
            vec![format!("--dbname={conninfo}")]
        }
    }

    /// The environment a client program needs besides [`Self::child_args`]: the password as
    /// `PGPASSWORD`, so that it never appears in a process's arguments. (`sslpassword` has
    /// no environment variable and is not passed: use an unencrypted key file for backups.)
    pub fn child_env(&self) -> Vec<(&'static str, String)> {
        self.param("password")
            .map(|p| ("PGPASSWORD", p.to_owned()))
            .into_iter()
            .collect()
    }

    /// The database name, from the connection string or `PGDATABASE`/`PGUSER` as libpq
    /// would pick it.
    pub fn database(&self) -> Option<String> {
        self.param("dbname")
            .map(str::to_owned)
            .or_else(|| std::env::var("PGDATABASE").ok())
            .or_else(|| self.user())
    }

    /// The user name, from the connection string or `PGUSER`.
    pub fn user(&self) -> Option<String> {
        self.param("user")
            .map(str::to_owned)
            .or_else(|| std::env::var("PGUSER").ok())
    }

    /// Whether the connection string carries a password of its own.
    pub fn has_password(&self) -> bool {
        self.param("password").is_some()
    }

    /// The same server and credentials, another database.
    pub fn with_database(&self, database: &str) -> Self {
        self.with_param("dbname", database)
    }

    /// The same connection with another user and password (for `db setup`'s checks).
    pub fn with_credentials(&self, user: &str, password: Option<&str>) -> Self {
        let mut this = self.with_param("user", user);
        match password {
            Some(p) => this.set("password", p.to_owned()),
            None => this.params.retain(|(k, _)| k != "password"),
        }
        this
    }

    /// The same connection with one libpq parameter set (replacing the given one).
    pub fn with_param(&self, key: &str, value: &str) -> Self {
        let mut this = self.clone();
        if this.form == Form::Defaults {
            this.form = Form::Keywords;
        }
        this.set(key, value.to_owned());
        this
    }

    /// `text` with every secret of this connection string replaced by `***` (for messages
    /// from libpq or a server that might echo one).
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (key, value) in &self.params {
            if is_secret(key) && !value.is_empty() {
                text = text.replace(value.as_str(), "***");
            }
        }
        text
    }

    fn set(&mut self, key: &str, value: String) {
        match self.params.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.params.push((key.to_owned(), value)),
        }
    }
}

/// `mysql://...`: a URL of another scheme (libpq would call it a malformed keyword string).
fn other_scheme(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once("://")?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then_some(scheme)
}

fn check_value(key: &str, value: &str) -> Result<(), Error> {
    if let Some((_, choices)) = CHOICES.iter().find(|(k, _)| *k == key)
        && !choices.contains(&value)
    {
        return Err(invalid(format!(
            "{key} is not one of {}",
            choices.join(", ")
        )));
    }
    if INTEGERS.contains(&key) && value.trim().parse::<i32>().is_err() {
        return Err(invalid(format!(
            "{key} is not an integer libpq reads (-2147483648 to 2147483647)"
        )));
    }
    if key == "port" {
        for port in value.split(',') {
            let ok = port.is_empty() || port.trim().parse::<u16>().is_ok_and(|p| p > 0);
            if !ok {
                return Err(invalid("port is not a port number (1-65535)"));
            }
        }
    }
    Ok(())
}

/// A parsed `key`, its value and the character position of the key (for messages).
type Param = (String, String, usize);

/// libpq's URI grammar, after the scheme:
/// `[user[:password]@][host][:port][,host[:port]...][/dbname][?key=value&...]`.
fn parse_uri(text: &str, rest: &str) -> Result<Vec<Param>, Error> {
    let char_at = |part: &str| position(text, offset_in(text, part));
    let mut params = Vec::new();
    let mut p = rest;
    // Credentials end at the first '@' before any '/' (libpq's rule).
    if let Some(at) = p.find(['@', '/']).filter(|&i| p.as_bytes()[i] == b'@') {
        let userinfo = &p[..at];
        let (user, password) = match userinfo.split_once(':') {
            Some((u, pw)) => (u, Some(pw)),
            None => (userinfo, None),
        };
        if !user.is_empty() {
            params.push((
                "user".to_owned(),
                decode(user, "the user name")?,
                char_at(user),
            ));
        }
        if let Some(pw) = password.filter(|pw| !pw.is_empty()) {
            params.push((
                "password".to_owned(),
                decode(pw, "the password")?,
                char_at(pw),
            ));
        }
        p = &p[at + 1..];
    }
    let mut hosts = String::new();
    let mut ports = String::new();
    let mut terminator;
    loop {
        let host;
        if let Some(inner) = p.strip_prefix('[') {
            let end = inner
                .find(']')
                .ok_or_else(|| invalid("an IPv6 host has no closing ']'"))?;
            if end == 0 {
                return Err(invalid("an IPv6 host is empty ('[]')"));
            }
            host = &inner[..end];
            p = &inner[end + 1..];
            if !p.is_empty() && !p.starts_with([':', '/', '?', ',']) {
                return Err(invalid(
                    "unexpected character after an IPv6 host (expected ':', '/', '?' or ',')",
                ));
            }
        } else {
            let end = p.find([':', '/', '?', ',']).unwrap_or(p.len());
            host = &p[..end];
            p = &p[end..];
        }
        hosts.push_str(host);
        terminator = p.chars().next();
        if terminator == Some(':') {
            let end = p[1..].find(['/', '?', ',']).map_or(p.len(), |i| i + 1);
            ports.push_str(&p[1..end]);
            p = &p[end..];
            terminator = p.chars().next();
        }
        if terminator != Some(',') {
            break;
        }
        p = &p[1..];
        hosts.push(',');
        ports.push(',');
    }
    if !hosts.is_empty() {
        params.push(("host".to_owned(), decode(&hosts, "the host")?, 0));
    }
    if !ports.is_empty() {
        params.push(("port".to_owned(), decode(&ports, "the port")?, 0));
    }
    if terminator == Some('/') {
        let path = &p[1..];
        let end = path.find('?').unwrap_or(path.len());
        if end > 0 {
            params.push((
                "dbname".to_owned(),
                decode(&path[..end], "the database name")?,
                char_at(path),
            ));
        }
        p = &path[end..];
    }
    if let Some(query) = p.strip_prefix('?') {
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let pos = char_at(pair);
            let (key, value) = pair.split_once('=').ok_or_else(|| {
                invalid(format!("the query parameter at character {pos} has no '='"))
            })?;
            let key = decode(key, &format!("the query parameter at character {pos}"))?;
            let what = match known(&key) {
                Some(key) => format!("the value of '{key}'"),
                None => format!("the value at character {pos}"),
            };
            if value.contains('=') {
                return Err(invalid(format!(
                    "{what} has a second '=' (write it as %3D)"
                )));
            }
            params.push((key, decode(value, &what)?, pos));
        }
    }
    Ok(params)
}

/// libpq's percent-decoding: `%XX` is a byte, everything else (`+` too) is itself.
fn decode(text: &str, what: &str) -> Result<String, Error> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| invalid(format!("{what} has an invalid %-escape")))?;
            if hex == 0 {
                return Err(invalid(format!("{what} contains %00")));
            }
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| invalid(format!("{what} is not valid UTF-8")))
}

/// libpq's keyword/value grammar: `key = value` pairs separated by whitespace; a value is
/// single-quoted or runs to the next whitespace; `\` escapes the next character.
fn parse_keywords(text: &str) -> Result<Vec<Param>, Error> {
    let mut params = Vec::new();
    let total = text.chars().count();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_ascii_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let pos = total - chars.clone().count() + 1;
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_ascii_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_ascii_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(invalid(format!(
                "missing '=' after the word at character {pos} \
                 (expected a postgres:// URL or key=value pairs)"
            )));
        }
        while chars.next_if(|c| c.is_ascii_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => {
                        let what = match known(&key) {
                            Some(key) => format!("the value of '{key}'"),
                            None => format!("the value at character {pos}"),
                        };
                        return Err(invalid(format!("{what} has no closing quote")));
                    }
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_ascii_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        params.push((key, value, pos));
    }
    Ok(params)
}

/// `key='value' ...`, quoted so that libpq reads back exactly these values.
fn keyword_string<'a>(params: impl Iterator<Item = &'a (String, String)>) -> String {
    params
        .map(|(k, v)| format!("{k}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Percent-encodes all but the unreserved characters (and escapes control characters, so
/// that a shown URL can never drive the terminal).
fn encode(text: &str) -> String {
    encode_but(text, b"")
}

/// Like [`encode`] for a query value, which may hold `/ : @ , +` as they are (libpq reads
/// them back unchanged): a file path stays readable.
fn encode_query_value(text: &str) -> String {
    encode_but(text, b"/:@,+")
}

fn encode_but(text: &str, kept: &[u8]) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || kept.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl DatabaseUrl {
    fn shown(key: &str, value: &str) -> String {
        if is_secret(key) {
            "***".to_owned()
        } else {
            value.to_owned()
        }
    }

    fn fmt_uri(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown: Vec<&str> = Vec::new();
        f.write_str("postgres://")?;
        if let Some(user) = self.param("user") {
            f.write_str(&encode(user))?;
            shown.push("user");
        }
        if self.has_password() {
            f.write_str(":***")?;
            shown.push("password");
        }
        if shown.contains(&"user") || shown.contains(&"password") {
            f.write_str("@")?;
        }
        let hosts: Vec<&str> = self
            .param("host")
            .map_or(vec![], |h| h.split(',').collect());
        let ports: Vec<&str> = self
            .param("port")
            .map_or(vec![], |p| p.split(',').collect());
        let netloc = if hosts.is_empty() {
            (ports.len() == 1).then(|| format!(":{}", encode(ports[0])))
        } else if ports.is_empty() || ports.len() == hosts.len() {
            Some(
                hosts
                    .iter()
                    .enumerate()
                    .map(|(i, h)| {
                        let host = if h.contains(':') && !h.contains(['/', '[', ']']) {
                            format!("[{h}]")
                        } else {
                            encode(h)
                        };
                        match ports.get(i).filter(|p| !p.is_empty()) {
                            Some(p) => format!("{host}:{}", encode(p)),
                            None => host,
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(","),
            )
        } else {
            None
        };
        if let Some(netloc) = netloc {
            f.write_str(&netloc)?;
            shown.extend(["host", "port"]);
        }
        if let Some(db) = self.param("dbname") {
            write!(f, "/{}", encode(db))?;
            shown.push("dbname");
        }
        let rest: Vec<String> = self
            .params
            .iter()
            .filter(|(k, _)| !shown.contains(&k.as_str()))
            .map(|(k, v)| format!("{k}={}", encode_query_value(&Self::shown(k, v))))
            .collect();
        if !rest.is_empty() {
            write!(f, "?{}", rest.join("&"))?;
        }
        Ok(())
    }

    fn fmt_keywords(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pairs: Vec<String> = self
            .params
            .iter()
            .map(|(k, v)| {
                let v = Self::shown(k, v);
                let plain = !v.is_empty()
                    && !v
                        .chars()
                        .any(|c| c.is_whitespace() || c.is_control() || "'\\".contains(c));
                if plain {
                    format!("{k}={v}")
                } else {
                    let escaped: String = v
                        .chars()
                        .map(|c| match c {
                            '\'' | '\\' => format!("\\{c}"),
                            c if c.is_control() => c.escape_default().to_string(),
                            c => c.to_string(),
                        })
                        .collect();
                    format!("{k}='{escaped}'")
                }
            })
            .collect();
        f.write_str(&pairs.join(" "))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.form {
            Form::Defaults => write!(
                f,
                "postgres:// (libpq defaults: PGHOST, PGUSER, PGDATABASE)"
            ),
            Form::Uri => self.fmt_uri(f),
            Form::Keywords => self.fmt_keywords(f),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(text: &str) -> Vec<(String, String)> {
        DatabaseUrl::parse(text).unwrap().params
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn display_hides_the_password() {
        let url = DatabaseUrl::parse("postgres://alice:s3cr%40t@db.example:6543/wf").unwrap();
        assert_eq!(url.to_string(), "postgres://alice:***@db.example:6543/wf");
        assert!(!format!("{url:?}").contains("s3cr"));
        let url =
            DatabaseUrl::parse("postgres://alice@h/wf?password=hunter2&sslmode=require").unwrap();
        assert!(!url.to_string().contains("hunter2"), "{url}");
        assert!(url.to_string().contains("sslmode=require"));
        let url = DatabaseUrl::parse("host=h password='a b' sslpassword=keypw dbname=wf").unwrap();
        let shown = url.to_string();
        assert_eq!(shown, "host=h password=*** sslpassword=*** dbname=wf");
    }

    #[test]
    fn display_keeps_a_path_in_the_query_readable_and_reads_back_the_same() {
        let text = "postgres://u:pw@db:5432/wf?sslrootcert=/etc/wfctl/ca+1.crt&sslmode=verify-full&application_name=a%20b%26c&options=-c%20x%3D1";
        let url = DatabaseUrl::parse(text).unwrap();
        let shown = url.to_string();
        assert_eq!(
            shown,
            "postgres://u:***@db:5432/wf?sslrootcert=/etc/wfctl/ca+1.crt&sslmode=verify-full&application_name=a%20b%26c&options=-c%20x%3D1"
        );
        let back = DatabaseUrl::parse(&shown.replace("***", "pw")).unwrap();
        assert_eq!(back, url);
    }

    #[test]
    fn an_integer_too_big_for_libpq_says_so() {
        let err = DatabaseUrl::parse("postgres://h/db?keepalives_idle=99999999999")
            .unwrap_err()
            .to_string();
        assert!(err.contains("-2147483648 to 2147483647"), "{err}");
    }

    #[test]
    fn percent_decoding_is_libpq_s_plus_stays_a_plus() {
        let got = params("postgres://u%2Bx:S3cr+et%2Fpw%20%27%3A%40%25%C3%A9@h:5/x+y%20z%C3%BC");
        assert_eq!(
            got,
            pairs(&[
                ("user", "u+x"),
                ("password", "S3cr+et/pw ':@%é"),
                ("host", "h"),
                ("port", "5"),
                ("dbname", "x+y zü"),
            ])
        );
        // A ':' in the password needs no escape: the user name ends at the first one.
        assert_eq!(
            params("postgres://u:a:b@h")[1],
            pairs(&[("password", "a:b")])[0]
        );
    }

    #[test]
    fn child_gets_the_same_values_and_the_password_only_in_its_environment() {
        let url = DatabaseUrl::parse(
            "postgresql://bob:S3cr+et%2Fpw@%2Ftmp%2Fsock:5433/work%20db?sslmode=disable",
        )
        .unwrap();
        assert_eq!(
            url.child_env(),
            vec![("PGPASSWORD", "S3cr+et/pw".to_string())]
        );
        let args = url.child_args();
        assert_eq!(
            args,
            vec![
                "--dbname=user='bob' host='/tmp/sock' port='5433' dbname='work db' sslmode='disable'"
            ]
        );
        assert!(!args.concat().contains("S3cr"));
        // What the child reads back is what wfctl uses.
        let back = DatabaseUrl::parse(args[0].strip_prefix("--dbname=").unwrap()).unwrap();
        let own = DatabaseUrl::parse(&url.conninfo()).unwrap();
        let mut own_public = own.params.clone();
        own_public.retain(|(k, _)| k != "password");
        assert_eq!(back.params, own_public);
        assert_eq!(own.params, url.params);
    }

    #[test]
    fn libpq_defaults_give_children_nothing() {
        let url = DatabaseUrl::parse("").unwrap();
        assert!(url.child_args().is_empty() && url.child_env().is_empty());
        assert_eq!(url.conninfo(), "");
    }

    #[test]
    fn accepts_what_libpq_accepts() {
        assert_eq!(
            params("postgres://u@h1:5432,h2:5433/db?keepalives=1&target_session_attrs=any"),
            pairs(&[
                ("user", "u"),
                ("host", "h1,h2"),
                ("port", "5432,5433"),
                ("dbname", "db"),
                ("keepalives", "1"),
                ("target_session_attrs", "any"),
            ])
        );
        assert_eq!(
            params("postgres://[::1]:5432,h2/db"),
            pairs(&[("host", "::1,h2"), ("port", "5432,"), ("dbname", "db")])
        );
        assert_eq!(
            params("host=/tmp  dbname = 'it\\'s' user=a\\ b options='-c search_path=x'"),
            pairs(&[
                ("host", "/tmp"),
                ("dbname", "it's"),
                ("user", "a b"),
                ("options", "-c search_path=x"),
            ])
        );
        assert_eq!(
            params("dbname = 'it\\'s' user=a\\ b"),
            pairs(&[("dbname", "it's"), ("user", "a b")])
        );
        assert_eq!(params("postgres://h/db?ssl=true"), {
            pairs(&[("host", "h"), ("dbname", "db"), ("sslmode", "require")])
        });
        assert_eq!(params("postgres://"), vec![]);
        assert_eq!(params("postgresql:///db"), pairs(&[("dbname", "db")]));
    }

    #[test]
    fn conninfo_round_trips_every_character() {
        let nasty = "a'b\\c d=e\t€";
        let url = DatabaseUrl::parse("postgres://h/x")
            .unwrap()
            .with_database(nasty)
            .with_credentials("u s", Some(nasty));
        let back = DatabaseUrl::parse(&url.conninfo()).unwrap();
        assert_eq!(back.param("dbname"), Some(nasty));
        assert_eq!(back.param("password"), Some(nasty));
        assert_eq!(back.param("user"), Some("u s"));
    }

    #[test]
    fn parse_errors_never_repeat_the_connection_string() {
        // Every error path, each with a password-like token where a typo could put one.
        for (text, expected) in [
            ("hunter2://x@h/db", "the scheme is not postgres://"),
            (
                "postgres://x@h/db?hunter2=require",
                "unknown connection parameter at character 19",
            ),
            (
                "host=h hunter2=x",
                "unknown connection parameter at character 8",
            ),
            ("postgres://h/db?sslmode=hunter2", "sslmode is not one of"),
            ("postgres://h:99999hunter2/db", "port is not a port number"),
            ("postgres://h:hunter2/db", "port is not a port number"),
            (
                "postgres://h/db?connect_timeout=hunter2",
                "connect_timeout is not an integer",
            ),
            (
                "postgres://h/db?hunter2",
                "the query parameter at character 17 has no '='",
            ),
            (
                "postgres://h/db?hunter2=a=b",
                "the value at character 17 has a second '='",
            ),
            (
                "postgres://h/db?hunter2%zz=a",
                "the query parameter at character 17 has an invalid %-escape",
            ),
            (
                "postgres://h/db?hunter2=%zz",
                "the value at character 17 has an invalid %-escape",
            ),
            (
                "postgres://h/db?sslmode=hunter2%ff",
                "the value of 'sslmode' is not valid UTF-8",
            ),
            (
                "postgresql//u:hunter2@h/d",
                "missing '=' after the word at character 1",
            ),
            (
                "postgres:/u:hunter2@h/d",
                "missing '=' after the word at character 1",
            ),
            (
                "host=h user=u hunter2",
                "missing '=' after the word at character 15",
            ),
            ("host='hunter2", "the value of 'host' has no closing quote"),
            (
                "hunter2='x",
                "the value at character 1 has no closing quote",
            ),
            ("postgres://[::1hunter2/db", "no closing ']'"),
            ("postgres://[]hunter2/db", "is empty"),
            ("postgres://[::1]hunter2/db", "unexpected character"),
            (
                "postgres://u:hunter%2@h/db",
                "the password has an invalid %-escape",
            ),
            ("postgres://u:hunter2%00@h/db", "the password contains %00"),
            (
                "postgres://hunter2%zz@h/db",
                "the user name has an invalid %-escape",
            ),
            (
                "postgres://h/hunter2%zz",
                "the database name has an invalid %-escape",
            ),
            (
                "postgres://hunter2%zz/db",
                "the host has an invalid %-escape",
            ),
            ("host=hunter2\0", "NUL"),
        ] {
            let err = DatabaseUrl::parse(text).unwrap_err().to_string();
            assert!(err.contains(expected), "{text}: {err}");
            assert!(!err.contains("hunter"), "{text}: {err}");
        }
    }

    #[test]
    fn with_database_keeps_credentials() {
        let url = DatabaseUrl::parse("postgres://a:b@h:1/one?sslmode=prefer").unwrap();
        let other = url.with_database("x y");
        assert_eq!(other.database().as_deref(), Some("x y"));
        assert_eq!(
            other.conninfo(),
            "user='a' password='b' host='h' port='1' dbname='x y' sslmode='prefer'"
        );
        assert_eq!(
            other.to_string(),
            "postgres://a:***@h:1/x%20y?sslmode=prefer"
        );
    }

    #[test]
    fn redact_removes_the_password_from_messages() {
        let url = DatabaseUrl::parse("postgres://u:S3cr+et@h/db").unwrap();
        assert_eq!(url.redact("bad S3cr+et here"), "bad *** here");
    }
}
