//! The server's RAM and CPU count, which the recommendations scale with.
//!
//! In order: what the user gave (`--ram`, `--cores`); the server's own `/proc/meminfo`,
//! `/proc/cpuinfo` and cgroup limits through `pg_read_file` (superuser or
//! `pg_read_server_files`); this machine's, when the connection is a Unix socket or loopback
//! (the server runs here); otherwise the guide's reference server, said so as a limitation.

use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use crate::db::Error;
use crate::diag::Limitation;

/// The guide's numbers fit this server: `shared_buffers = 256MB` is "25% of RAM", so 1 GiB;
/// the pool example is "a 4-core server with SSD".
pub const REFERENCE_RAM: u64 = 1 << 30;
/// See [`REFERENCE_RAM`].
pub const REFERENCE_CORES: u32 = 4;

/// Where a machine figure came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// `--ram` / `--cores`.
    Given,
    /// Read on the server with `pg_read_file`.
    Server,
    /// Read on this machine, which the server runs on (socket or loopback connection).
    LocalHost,
    /// Unknown: the guide's reference server.
    Assumed,
}

/// The server the recommendations are for.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// RAM available to PostgreSQL, bytes (the cgroup limit when lower than the RAM).
    pub ram_bytes: u64,
    /// Where `ram_bytes` came from.
    pub ram_source: Origin,
    /// CPUs available to PostgreSQL (the cgroup quota when lower).
    pub cores: u32,
    /// Where `cores` came from.
    pub cores_source: Origin,
}

/// What the role may read, and where it connects from.
#[derive(Debug, QueryableByName)]
pub struct Access {
    /// The role's name (for the GRANT lines of limitations).
    #[diesel(sql_type = Text)]
    pub role_name: String,
    /// `pg_read_file` on paths outside the data directory.
    #[diesel(sql_type = Bool)]
    pub can_read_files: bool,
    /// A Unix socket or loopback connection: the server runs on this machine.
    #[diesel(sql_type = Bool)]
    pub local: bool,
}

/// Reads [`Access`].
pub fn access(conn: &mut PgConnection) -> Result<Access, Error> {
    diesel::sql_query(include_str!("../sql/settings_access.sql"))
        .get_result(conn)
        .map_err(Error::query("checking what the role may read"))
}

#[derive(QueryableByName, Default)]
struct Files {
    #[diesel(sql_type = Nullable<Text>)]
    meminfo: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    cpuinfo: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    memory_max_v2: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    memory_max_v1: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    cpu_max_v2: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    cpu_quota_v1: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    cpu_period_v1: Option<String>,
}

/// Works out the machine; what it had to assume goes into `limitations`.
pub fn detect(
    conn: &mut PgConnection,
    access: &Access,
    ram: Option<u64>,
    cores: Option<u32>,
    limitations: &mut Vec<Limitation>,
) -> Result<Machine, Error> {
    let mut found = Found::default();
    let mut from = Origin::Assumed;
    if ram.is_none() || cores.is_none() {
        if access.can_read_files {
            let files: Files = diesel::sql_query(include_str!("../sql/settings_machine.sql"))
                .get_result(conn)
                .map_err(Error::query("reading /proc on the server"))?;
            found = Found::from_files(&files);
            from = Origin::Server;
        } else if access.local {
            found = Found::local();
            from = Origin::LocalHost;
        }
    }
    let (ram_bytes, ram_source) = match (ram, found.ram) {
        (Some(given), _) => (given, Origin::Given),
        (None, Some(seen)) => (seen, from),
        (None, None) => (REFERENCE_RAM, Origin::Assumed),
    };
    let (cores, cores_source) = match (cores, found.cores) {
        (Some(given), _) => (given, Origin::Given),
        (None, Some(seen)) => (seen, from),
        (None, None) => (REFERENCE_CORES, Origin::Assumed),
    };
    if [ram_source, cores_source].contains(&Origin::Assumed) {
        limitations.push(Limitation {
            what: format!(
                "the server's RAM and CPU count (assumed the guide's reference server: {} GiB, {} cores)",
                REFERENCE_RAM >> 30,
                REFERENCE_CORES
            ),
            why: "reading /proc/meminfo on the server needs superuser or pg_read_server_files, \
                  and the server is not on this machine"
                .into(),
            enable: Some("pass --ram and --cores (e.g. --ram 16GB --cores 4)".into()),
        });
    } else if [ram_source, cores_source].contains(&Origin::LocalHost) {
        limitations.push(Limitation {
            what:
                "the server's own RAM and CPU count (used this machine's: the connection is local)"
                    .into(),
            why: "reading /proc/meminfo on the server needs superuser or pg_read_server_files"
                .into(),
            enable: Some(
                "pass --ram and --cores if PostgreSQL gets less than the whole machine".into(),
            ),
        });
    }
    Ok(Machine {
        ram_bytes,
        ram_source,
        cores,
        cores_source,
    })
}

#[derive(Default)]
struct Found {
    ram: Option<u64>,
    cores: Option<u32>,
}

impl Found {
    fn from_files(files: &Files) -> Self {
        let total = files.meminfo.as_deref().and_then(mem_total);
        let limit = [&files.memory_max_v2, &files.memory_max_v1]
            .into_iter()
            .filter_map(|f| f.as_deref()?.trim().parse::<u64>().ok())
            .min();
        let cpus = files
            .cpuinfo
            .as_deref()
            .map(|text| text.lines().filter(|l| l.starts_with("processor")).count() as u32);
        let quota = files
            .cpu_max_v2
            .as_deref()
            .and_then(cpu_max_v2)
            .or_else(|| {
                cpu_quota_v1(
                    files.cpu_quota_v1.as_deref()?,
                    files.cpu_period_v1.as_deref()?,
                )
            });
        Self {
            ram: lower_of(total, limit),
            cores: lower_of(cpus.filter(|n| *n > 0), quota),
        }
    }

    fn local() -> Self {
        let read = |path: &str| std::fs::read_to_string(path).ok();
        let files = Files {
            meminfo: read("/proc/meminfo"),
            cpuinfo: None,
            memory_max_v2: read("/sys/fs/cgroup/memory.max"),
            memory_max_v1: read("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
            cpu_max_v2: read("/sys/fs/cgroup/cpu.max"),
            cpu_quota_v1: read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
            cpu_period_v1: read("/sys/fs/cgroup/cpu/cpu.cfs_period_us"),
        };
        let mut found = Self::from_files(&files);
        // available_parallelism already honours affinity and cgroup quotas.
        found.cores = std::thread::available_parallelism()
            .ok()
            .map(|n| n.get() as u32);
        found
    }
}

fn lower_of<T: Ord + Copy>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// `MemTotal:       24684712 kB` → bytes.
fn mem_total(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// cgroup v2 `cpu.max`: `max 100000` (no limit) or `200000 100000` (2 CPUs).
fn cpu_max_v2(text: &str) -> Option<u32> {
    let mut parts = text.split_whitespace();
    let quota: f64 = parts.next()?.parse().ok()?;
    let period: f64 = parts.next()?.parse().ok()?;
    Some((quota / period).ceil().max(1.0) as u32)
}

/// cgroup v1: `cfs_quota_us` is -1 without a limit.
fn cpu_quota_v1(quota: &str, period: &str) -> Option<u32> {
    let quota: f64 = quota.trim().parse().ok()?;
    let period: f64 = period.trim().parse().ok()?;
    (quota > 0.0 && period > 0.0).then(|| (quota / period).ceil().max(1.0) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_and_cgroup_files() {
        let files = Files {
            meminfo: Some("MemTotal:       16384000 kB\nMemFree: 1 kB\n".into()),
            cpuinfo: Some(
                "processor\t: 0\nx: y\nprocessor\t: 1\nprocessor\t: 2\nprocessor\t: 3\n".into(),
            ),
            memory_max_v2: Some("4294967296\n".into()),
            memory_max_v1: None,
            cpu_max_v2: Some("max 100000\n".into()),
            cpu_quota_v1: None,
            cpu_period_v1: None,
        };
        let found = Found::from_files(&files);
        assert_eq!(found.ram, Some(4 << 30), "the cgroup limit is lower");
        assert_eq!(found.cores, Some(4), "no CPU quota");
        assert_eq!(cpu_max_v2("150000 100000"), Some(2));
        assert_eq!(cpu_quota_v1("-1", "100000"), None);
        assert_eq!(mem_total("MemTotal: 1024 kB"), Some(1 << 20));
    }
}
