//! TLS as the guide sets it up, against a cluster of its own whose certificate comes from a
//! test CA made here with `openssl`: `sslmode=verify-full` with the right CA works for wfctl
//! and for the pg_dump/psql it starts (the server refuses every connection without TLS, so
//! none can fall back), a wrong CA or host name is refused in one line with exit 69, and a
//! client certificate logs in where the server asks for one.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use diesel::connection::SimpleConnection;

use crate::support::backup::*;
use crate::support::own_cluster::{OwnCluster, give_to_server_user};
use crate::support::{Run, wfctl};

const PASSWORD: &str = "Tls-pw+1";

struct Tls {
    cluster: OwnCluster,
    /// The server's CA, another CA, the client's certificate and key.
    ca: PathBuf,
    other_ca: PathBuf,
    client_cert: PathBuf,
    client_key: PathBuf,
    _server_files: tempfile::TempDir,
    _client_files: tempfile::TempDir,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA (`NAME.crt`, `NAME.key`) in `dir`.
fn make_ca(dir: &Path, name: &str) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-new",
            "-nodes",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-days",
            "2",
            "-subj",
            &format!("/CN=wfctl test {name}"),
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.crt"),
        ],
    );
}

/// A certificate for `cn` (with `san` as subjectAltName if given) signed by the CA `ca` in
/// `ca_dir`, written as `NAME.crt` and `NAME.key` in `dir`.
fn make_cert(dir: &Path, ca_dir: &Path, ca: &str, name: &str, cn: &str, san: Option<&str>) {
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-nodes",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-subj",
            &format!("/CN={cn}"),
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
        ],
    );
    let ext = dir.join(format!("{name}.ext"));
    std::fs::write(
        &ext,
        san.map(|s| format!("subjectAltName={s}\n"))
            .unwrap_or_default(),
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            ca_dir.join(format!("{ca}.crt")).to_str().unwrap(),
            "-CAkey",
            ca_dir.join(format!("{ca}.key")).to_str().unwrap(),
            "-CAcreateserial",
            "-days",
            "2",
            "-out",
            &format!("{name}.crt"),
            "-extfile",
            ext.to_str().unwrap(),
        ],
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        dir.join(format!("{name}.key")),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
}

fn tls() -> Option<&'static Tls> {
    static TLS: OnceLock<Option<Tls>> = OnceLock::new();
    TLS.get_or_init(|| {
        let server_files = tempfile::tempdir().unwrap();
        let client_files = tempfile::tempdir().unwrap();
        let (sd, cd) = (server_files.path(), client_files.path());
        make_ca(cd, "ca");
        make_ca(cd, "other_ca");
        make_cert(sd, cd, "ca", "server", "localhost", Some("DNS:localhost"));
        std::fs::copy(cd.join("ca.crt"), sd.join("ca.crt")).unwrap();
        make_cert(cd, cd, "ca", "client", "wf_cert", None);
        give_to_server_user(sd);
        let file = |name: &str| sd.join(name).display().to_string();
        let cluster = OwnCluster::start(
            "tls",
            &[
                "ssl = on".into(),
                format!("ssl_cert_file = '{}'", file("server.crt")),
                format!("ssl_key_file = '{}'", file("server.key")),
                format!("ssl_ca_file = '{}'", file("ca.crt")),
            ],
        )?;
        // TLS or nothing for the test roles; wf_cert logs in by certificate only.
        let hba = cluster.data.join("pg_hba.conf");
        let rest = std::fs::read_to_string(&hba).unwrap();
        std::fs::write(
            &hba,
            format!(
                "hostnossl all wf_tls,wf_cert all reject\n\
                 hostssl all wf_cert all cert\n{rest}"
            ),
        )
        .unwrap();
        let mut admin = cluster.admin("postgres");
        admin
            .batch_execute(&format!(
                "SELECT pg_reload_conf();
                 CREATE ROLE wf_tls LOGIN CREATEDB PASSWORD '{PASSWORD}';
                 CREATE ROLE wf_cert LOGIN CREATEDB;"
            ))
            .unwrap();
        for sql in [
            "CREATE DATABASE wf_tls_db OWNER wf_tls",
            "CREATE DATABASE wf_cert_db OWNER wf_cert",
        ] {
            admin.batch_execute(sql).unwrap();
        }
        Some(Tls {
            cluster,
            ca: cd.join("ca.crt"),
            other_ca: cd.join("other_ca.crt"),
            client_cert: cd.join("client.crt"),
            client_key: cd.join("client.key"),
            _server_files: server_files,
            _client_files: client_files,
        })
    })
    .as_ref()
}

impl Tls {
    /// `postgres://USERINFO@HOST:PORT/DB?sslmode=verify-full&sslrootcert=CA...`, connecting to
    /// 127.0.0.1 whatever name the certificate is checked against.
    fn url(&self, userinfo: &str, host: &str, db: &str, ca: &Path, extra: &str) -> String {
        format!(
            "postgres://{userinfo}@{host}:{}/{db}?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={}{extra}",
            self.cluster.port,
            ca.display()
        )
    }
}

#[track_caller]
fn refused(url: &str, expected: &str) {
    let mut cmd = wfctl();
    let run = Run::of(cmd.env("DATABASE_URL", url).args(["case", "list"]));
    assert_eq!(run.code, 69, "{url}: {}", run.stderr);
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(expected), "{}", run.stderr);
    assert!(!run.stderr.contains(PASSWORD), "{}", run.stderr);
}

#[test]
fn verify_full_with_the_right_ca_works_for_wfctl_pg_dump_and_psql() {
    let Some(tls) = tls() else {
        return;
    };
    let user = format!("wf_tls:{PASSWORD}");
    let url = tls.url(&user, "localhost", "wf_tls_db", &tls.ca, "");
    Run::of(wfctl_db(&url).arg("migrate")).expect_code(0);
    let mut cmd = wfctl();
    Run::of(cmd.env("DATABASE_URL", &url).args(["case", "list"])).expect_code(0);
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&url).args(["backup", "--dir", dir.path().to_str().unwrap()])).expect_code(0);
    let file = only_backup(dir.path(), ".sql.gz");
    Run::of(wfctl_db(&url).args([
        "restore",
        file.to_str().unwrap(),
        "--target-db",
        "wf_tls_restored",
        "--create",
    ]))
    .expect_code(0);
}

#[test]
fn a_wrong_ca_or_host_name_is_refused_in_one_line() {
    let Some(tls) = tls() else {
        return;
    };
    let user = format!("wf_tls:{PASSWORD}");
    refused(
        &tls.url(&user, "localhost", "wf_tls_db", &tls.other_ca, ""),
        "certificate verify failed",
    );
    refused(
        &tls.url(&user, "127.0.0.1", "wf_tls_db", &tls.ca, ""),
        "does not match host name",
    );
    // a backup is refused the same way, before pg_dump is started
    let url = tls.url(&user, "localhost", "wf_tls_db", &tls.other_ca, "");
    let dir = tempfile::tempdir().unwrap();
    let run = Run::of(wfctl_db(&url).args(["backup", "--dir", dir.path().to_str().unwrap()]));
    assert_eq!(run.code, 69, "{}", run.stderr);
}

#[test]
fn a_client_certificate_logs_in_for_wfctl_pg_dump_and_psql() {
    let Some(tls) = tls() else {
        return;
    };
    let with_cert = format!(
        "&sslcert={}&sslkey={}",
        tls.client_cert.display(),
        tls.client_key.display()
    );
    let url = tls.url("wf_cert", "localhost", "wf_cert_db", &tls.ca, &with_cert);
    Run::of(wfctl_db(&url).arg("migrate")).expect_code(0);
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&url).args(["backup", "--dir", dir.path().to_str().unwrap()])).expect_code(0);
    // psql connects with the certificate too (the server takes nothing else from wf_cert)
    let file = only_backup(dir.path(), ".sql.gz");
    Run::of(wfctl_db(&url).args([
        "restore",
        file.to_str().unwrap(),
        "--target-db",
        "wf_cert_restored",
        "--create",
    ]))
    .expect_code(0);
    // without the certificate the server refuses the role
    refused(
        &tls.url("wf_cert", "localhost", "wf_cert_db", &tls.ca, ""),
        "wf_cert",
    );
}
