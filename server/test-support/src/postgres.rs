//! A throwaway PostgreSQL cluster for the tests that are about several instances on one database.

use std::path::PathBuf;
use std::process::Command;

use super::TempDir;

/// A PostgreSQL server for one test binary: a fresh cluster (initdb into a temp dir, pg_ctl start
/// on a free port, its unix socket in the same dir), stopped and removed when dropped. With
/// `LATCHKEY_TEST_PG_URL` set (a URL whose user may CREATE DATABASE), that server is used instead.
pub struct Postgres {
    base_url: String,
    cluster: Option<Cluster>,
}

struct Cluster {
    dir: TempDir,
    bin: PathBuf,
    as_postgres: bool,
}

const MISSING: &str = "PostgreSQL's server programs (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin \
    or on PATH: install Debian's `postgresql` package (add it to APT_PACKAGES in build.sh), or point \
    LATCHKEY_TEST_PG_URL at a server whose user may create databases";

impl Postgres {
    pub fn start() -> Postgres {
        if let Ok(url) = std::env::var("LATCHKEY_TEST_PG_URL") {
            return Postgres {
                base_url: url.trim_end_matches('/').to_string(),
                cluster: None,
            };
        }
        let bin = find_bin().unwrap_or_else(|| panic!("{MISSING}"));
        let as_postgres = is_root();
        let dir = TempDir::new("pg");
        if as_postgres {
            // initdb refuses to run as root: the cluster belongs to the `postgres` user.
            run(Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()));
        }
        let data = dir.path().join("data");
        let cluster = Cluster { dir, bin, as_postgres };
        cluster.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                "postgres".as_ref(),
                "-A".as_ref(),
                "trust".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--no-locale".as_ref(),
                "--no-sync".as_ref(),
            ],
        );
        let log = cluster.dir.path().join("server.log");
        // A port taken between choosing it and the postmaster binding it (another test's cluster
        // chose it too) stops the start: choose again.
        let mut attempt = 0;
        let port = loop {
            let port = cluster_port(attempt);
            let options = format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
                 -c full_page_writes=off -c max_connections=200",
                cluster.dir.path().display()
            );
            let started = cluster.try_run(
                "pg_ctl",
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-l".as_ref(),
                    log.as_os_str(),
                    "-o".as_ref(),
                    options.as_ref(),
                    "-w".as_ref(),
                    "-t".as_ref(),
                    "60".as_ref(),
                    "start".as_ref(),
                ],
            );
            match started {
                Ok(()) => break port,
                Err(e) if attempt >= 5 => {
                    let log = std::fs::read_to_string(&log).unwrap_or_default();
                    panic!("{e}\nserver log:\n{log}")
                }
                Err(_) => attempt += 1,
            }
        };
        Postgres {
            base_url: format!("postgres://postgres@127.0.0.1:{port}"),
            cluster: Some(cluster),
        }
    }

    /// Creates an empty database and returns its URL.
    pub async fn fresh_database(&self, name: &str) -> String {
        use sqlx::Connection;
        let admin_url = match &self.cluster {
            Some(_) => format!("{}/postgres", self.base_url),
            None => self.base_url.clone(),
        };
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL at {admin_url}: {e}"));
        let db = format!("latchkey_{name}_{}", std::process::id());
        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {db}"))
            .execute(&mut admin)
            .await
            .unwrap();
        sqlx::raw_sql(&format!("CREATE DATABASE {db}"))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        let server = match &self.cluster {
            Some(_) => self.base_url.clone(),
            None => match self.base_url.rsplit_once('/') {
                Some((server, _db)) if !server.ends_with('/') && server.contains("://") => server.to_string(),
                _ => self.base_url.clone(),
            },
        };
        format!("{server}/{db}")
    }
}

impl Cluster {
    fn run(&self, program: &str, args: &[&std::ffi::OsStr]) {
        if let Err(e) = self.try_run(program, args) {
            panic!("{e}");
        }
    }

    fn try_run(&self, program: &str, args: &[&std::ffi::OsStr]) -> Result<(), String> {
        let program = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            // From the cluster's own directory: the test's may be closed to the postgres user.
            c.args(["-u", "postgres", "--"])
                .arg(&program)
                .current_dir(self.dir.path());
            c
        } else {
            Command::new(&program)
        };
        command.args(args);
        try_run(&mut command)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some(cluster) = &self.cluster {
            let data = cluster.dir.path().join("data");
            let mut command = if cluster.as_postgres {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(cluster.bin.join("pg_ctl"));
                c
            } else {
                Command::new(cluster.bin.join("pg_ctl"))
            };
            let _ = command
                .arg("-D")
                .arg(&data)
                .args(["-m", "immediate", "-w", "stop"])
                .output();
        }
    }
}

fn run(command: &mut Command) {
    if let Err(e) = try_run(command) {
        panic!("{e}");
    }
}

fn try_run(command: &mut Command) -> Result<(), String> {
    let out = command.output().map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The newest /usr/lib/postgresql/N/bin with initdb, else the directory of `initdb` on PATH.
fn find_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path).find(|dir| dir.join("initdb").exists() && dir.join("pg_ctl").exists())
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// A free port for a cluster, below Linux's ephemeral range (32768 and up): there, any client
/// socket or `bind(0)` of the tests running beside this one could be given it between choosing and
/// the postmaster's start (it failed CI once). Spread by process, time and attempt; checked free.
fn cluster_port(attempt: u32) -> u16 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    let seed = nanos ^ std::process::id().wrapping_mul(2_654_435_761) ^ attempt.wrapping_mul(40_503);
    (0..1000)
        .map(|i| 20_000 + ((seed.wrapping_add(i * 7_919)) % 12_000) as u16)
        .find(|&port| std::net::TcpListener::bind(("127.0.0.1", port)).is_ok())
        .unwrap_or(20_000)
}
