//! The throwaway PostgreSQL server shared by all tests of this process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};

/// A running server and the admin connection to it.
pub struct Server {
    base_url: String,
    template: String,
    admin: Mutex<PgConnection>,
    /// Held so the reaper sees EOF only when this process exits.
    _reaper: Option<(Child, ChildStdin)>,
    /// Where the private cluster lives (None: external server).
    pub dir: Option<PathBuf>,
    /// Server binaries directory of the private cluster.
    pub bin: Option<PathBuf>,
    /// The server's major version (the matrix runs 12 to 18).
    pub major: u32,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// The shared server, started on first use; `None` when PostgreSQL is unavailable, so the
/// caller skips (recorded by `skip::unavailable`, which fails the test instead when the run
/// requires PostgreSQL).
pub fn server() -> Option<&'static Server> {
    match SERVER.get_or_init(start) {
        Ok(server) => Some(server),
        Err(why) => {
            super::skip::unavailable(why);
            None
        }
    }
}

impl Server {
    /// The admin connection (to the `postgres` database), one user at a time.
    pub fn admin(&self) -> MutexGuard<'_, PgConnection> {
        self.admin.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The superuser URL of `database` on this server.
    pub fn url_for(&self, database: &str) -> String {
        let (head, _) = self
            .base_url
            .rsplit_once('/')
            .expect("the server URL has a database part");
        format!("{head}/{database}")
    }

    /// The migrated template database's name.
    pub fn template(&self) -> &str {
        &self.template
    }
}

fn start() -> Result<Server, String> {
    let (base_url, reaper, dir, bin) = match std::env::var("WFCTL_TEST_PG_URL") {
        Ok(url) => (url, None, None, None),
        Err(_) => {
            let (url, reaper, dir, bin) = start_private()?;
            (url, Some(reaper), Some(dir), Some(bin))
        }
    };
    let mut admin = PgConnection::establish(&base_url)
        .map_err(|e| format!("cannot connect to the test server: {e}"))?;
    let template = ensure_template(&mut admin, &base_url)?;
    #[derive(diesel::QueryableByName)]
    struct Major {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        major: i32,
    }
    let major =
        diesel::sql_query("SELECT current_setting('server_version_num')::int / 10000 AS major")
            .get_result::<Major>(&mut admin)
            .map_err(|e| format!("reading the server's version: {e}"))?
            .major as u32;
    Ok(Server {
        major,
        base_url,
        template,
        admin: Mutex::new(admin),
        _reaper: reaper,
        dir,
        bin,
    })
}

/// Creates the migrated template once per set of migrations; processes sharing a server
/// serialise on an advisory lock.
fn ensure_template(admin: &mut PgConnection, base_url: &str) -> Result<String, String> {
    let names: Vec<String> = wfctl::db::migrate::embedded()
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    let hash = names
        .iter()
        .flat_map(|n| n.bytes())
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    let template = format!("wfctl_tmpl_{:x}", hash & 0xffff_ffff_ffff);
    let err = |e: diesel::result::Error| format!("preparing the template database: {e}");
    admin
        .batch_execute("SELECT pg_advisory_lock(7701)")
        .map_err(err)?;
    let result = (|| {
        #[derive(diesel::QueryableByName)]
        struct Found {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            found: bool,
        }
        let found: Found = diesel::sql_query(format!(
            "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = '{template}') AS found"
        ))
        .get_result(admin)
        .map_err(err)?;
        if found.found {
            return Ok(());
        }
        let building = format!("{template}_building");
        // One statement per call: several in one string run as one transaction, which
        // CREATE/DROP DATABASE refuse.
        wfctl::backup::server::drop_database(admin, &building).map_err(err)?;
        admin
            .batch_execute(&format!("CREATE DATABASE {building} TEMPLATE template0"))
            .map_err(err)?;
        let (head, _) = base_url.rsplit_once('/').ok_or("bad server URL")?;
        {
            let mut conn = PgConnection::establish(&format!("{head}/{building}"))
                .map_err(|e| e.to_string())?;
            conn.batch_execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                .map_err(err)?;
            wfctl::db::migrate::run_pending(&mut conn).map_err(|e| e.to_string())?;
        }
        // Renamed only when complete, so a crash mid-way never leaves a half-made template.
        for sql in [
            format!("ALTER DATABASE {building} RENAME TO {template}"),
            format!("ALTER DATABASE {template} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"),
        ] {
            admin.batch_execute(&sql).map_err(err)?;
        }
        Ok(())
    })();
    let _ = admin.batch_execute("SELECT pg_advisory_unlock(7701)");
    result.map(|()| template)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The server's binaries (initdb, pg_ctl, postgres): `WFCTL_TEST_PG_BIN` when set (the
/// version matrix points it at another major), else the newest installed Debian server.
pub fn find_bin() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("WFCTL_TEST_PG_BIN") {
        let dir = PathBuf::from(dir);
        return if dir.join("initdb").exists() {
            Ok(dir)
        } else {
            Err(format!(
                "WFCTL_TEST_PG_BIN={}: no initdb there",
                dir.display()
            ))
        };
    }
    newest_debian_bin()
}

/// The client programs (psql, pg_dump, pg_basebackup) for the test server:
/// `WFCTL_TEST_PG_CLIENT_BIN` when set, else the server's directory when it has them, else
/// the newest installed Debian ones.
pub fn client_bin() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("WFCTL_TEST_PG_CLIENT_BIN") {
        return Ok(PathBuf::from(dir));
    }
    match find_bin() {
        Ok(bin) if bin.join("psql").exists() => Ok(bin),
        _ => newest_debian_bin(),
    }
}

fn newest_debian_bin() -> Result<PathBuf, String> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| "no /usr/lib/postgresql (install the postgresql package)".to_string())?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("initdb").exists())
        .collect();
    dirs.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    dirs.pop()
        .ok_or_else(|| "no initdb under /usr/lib/postgresql/*/bin".to_string())
}

/// Runs a server program, as the `postgres` user when we are root.
pub fn as_owner(program: &Path) -> Command {
    if is_root() {
        let user = std::env::var("WFCTL_TEST_PG_USER").unwrap_or_else(|_| "postgres".into());
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", &user, "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

type Private = (String, (Child, ChildStdin), PathBuf, PathBuf);

fn start_private() -> Result<Private, String> {
    let bin = find_bin()?;
    let base = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("wfctl-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if is_root() {
        let user = std::env::var("WFCTL_TEST_PG_USER").unwrap_or_else(|_| "postgres".into());
        let ok = Command::new("chown")
            .arg(&user)
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err(format!("cannot chown {} to {user}", dir.display()));
        }
    }
    let data = dir.join("data");
    let init = as_owner(&bin.join("initdb"))
        .current_dir(&dir)
        .arg("-D")
        .arg(&data)
        .args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ])
        .output()
        .map_err(|e| format!("initdb: {e}"))?;
    if !init.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&init.stderr)
        ));
    }
    let conf = format!(
        "listen_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
         shared_preload_libraries = 'pg_stat_statements'\nfsync = off\n\
         synchronous_commit = off\nfull_page_writes = off\nmax_connections = 300\n",
        dir.display()
    );
    std::fs::OpenOptions::new()
        .append(true)
        .open(data.join("postgresql.conf"))
        .and_then(|mut f| f.write_all(conf.as_bytes()))
        .map_err(|e| format!("postgresql.conf: {e}"))?;

    // The reaper: waits for EOF on stdin (our process has exited), then stops and removes the
    // cluster. Its own session, so ^C to the test run does not kill it before it cleans up.
    let pg_ctl = bin.join("pg_ctl");
    let stop = as_owner(&pg_ctl);
    let stop_cmd = format!(
        "{} -D '{}' -m immediate -w stop",
        shell_words(&stop),
        data.display()
    );
    let mut reaper = Command::new("setsid")
        .args([
            "sh",
            "-c",
            &format!(
                "cat >/dev/null; cd /; {stop_cmd} >/dev/null 2>&1; rm -rf '{}'",
                dir.display()
            ),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("starting the cleanup process: {e}"))?;
    let reaper_in = reaper.stdin.take().ok_or("reaper stdin")?;

    let mut last = String::new();
    for _ in 0..5 {
        let port = free_port()?;
        let started = as_owner(&pg_ctl)
            .current_dir(&dir)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("server.log"))
            .args(["-w", "-t", "60", "-o", &format!("-p {port}"), "start"])
            .stdout(Stdio::null())
            .output()
            .map_err(|e| format!("pg_ctl: {e}"))?;
        if started.status.success() {
            let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
            return Ok((url, (reaper, reaper_in), dir, bin));
        }
        last = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
    }
    Err(format!("pg_ctl start failed: {last}"))
}

fn shell_words(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| format!("'{}'", a.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A cluster of one test's own, for tests that change server settings, restart the server or
/// archive WAL: the shared server is never touched. Stopped and removed on drop; a reaper
/// removes it as well if the test process dies.
pub struct DedicatedCluster {
    /// The cluster's directory (data, socket, log; scratch space for the test).
    pub dir: PathBuf,
    /// The data directory.
    pub data: PathBuf,
    /// The TCP port on 127.0.0.1.
    pub port: u16,
    bin: PathBuf,
    reaper: Option<(Child, ChildStdin)>,
}

impl DedicatedCluster {
    /// initdb + start, with `extra_conf` appended to postgresql.conf. `None` (the test skips)
    /// when the server binaries are missing and `WFCTL_REQUIRE_PG` is unset.
    pub fn start(extra_conf: &str) -> Option<Self> {
        match Self::try_start(extra_conf) {
            Ok(cluster) => Some(cluster),
            Err(why) => {
                super::skip::unavailable(&format!("no dedicated cluster: {why}"));
                None
            }
        }
    }

    fn try_start(extra_conf: &str) -> Result<Self, String> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let bin = find_bin()?;
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("wfctl-dedicated-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if is_root() {
            let user = std::env::var("WFCTL_TEST_PG_USER").unwrap_or_else(|_| "postgres".into());
            let ok = Command::new("chown")
                .arg(&user)
                .arg(&dir)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                return Err(format!("cannot chown {} to {user}", dir.display()));
            }
        }
        let data = dir.join("data");
        // The reaper first, so that a failure below still removes the directory.
        let stop = as_owner(&bin.join("pg_ctl"));
        let script = format!(
            "cat >/dev/null; cd /; {} -D '{}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{}'",
            shell_words(&stop),
            data.display(),
            dir.display()
        );
        let mut child = Command::new("setsid")
            .args(["sh", "-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting the cleanup process: {e}"))?;
        let stdin = child.stdin.take().ok_or("reaper stdin")?;
        let mut cluster = Self {
            dir,
            data,
            port: 0,
            bin,
            reaper: Some((child, stdin)),
        };
        let init = as_owner(&cluster.bin.join("initdb"))
            .current_dir(&cluster.dir)
            .arg("-D")
            .arg(&cluster.data)
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C"])
            .arg("--no-sync")
            .output()
            .map_err(|e| format!("initdb: {e}"))?;
        if !init.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&init.stderr)
            ));
        }
        let conf = format!(
            "listen_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n{extra_conf}\n",
            cluster.dir.display()
        );
        std::fs::OpenOptions::new()
            .append(true)
            .open(cluster.data.join("postgresql.conf"))
            .and_then(|mut f| f.write_all(conf.as_bytes()))
            .map_err(|e| format!("postgresql.conf: {e}"))?;
        for _ in 0..5 {
            cluster.port = free_port()?;
            if cluster.pg_ctl(&["start"]).is_ok() {
                return Ok(cluster);
            }
        }
        Err(format!("pg_ctl start failed: {}", cluster.log()))
    }

    /// The superuser URL of `database`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// A superuser connection to the `postgres` database.
    pub fn admin(&self) -> PgConnection {
        PgConnection::establish(&self.url("postgres"))
            .expect("the dedicated cluster accepts connections")
    }

    /// Restarts the server (waits until it accepts connections again).
    #[track_caller]
    pub fn restart(&self) {
        if let Err(e) = self.pg_ctl(&["restart", "-m", "fast"]) {
            panic!("restart failed: {e}\n{}", self.log());
        }
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    fn pg_ctl(&self, action: &[&str]) -> Result<(), String> {
        let out = as_owner(&self.bin.join("pg_ctl"))
            .current_dir(&self.dir)
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .args(["-w", "-t", "60", "-o", &format!("-p {}", self.port)])
            .args(action)
            .stdout(Stdio::null())
            .output()
            .map_err(|e| format!("pg_ctl: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }
}

impl Drop for DedicatedCluster {
    fn drop(&mut self) {
        // Closing the pipe makes the reaper stop the server and remove the directory; wait for
        // it so that the next test starts on a clean machine.
        if let Some((mut child, stdin)) = self.reaper.take() {
            drop(stdin);
            let _ = child.wait();
        }
    }
}
