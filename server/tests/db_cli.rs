//! `latchkey serve`'s storage flags as a person meets them: the data directory and its SQLite file,
//! and one line with a distinct exit status for a bad flag (2), storage that cannot be reached or
//! opened (3) and a schema that cannot be brought up to date (4).

use std::process::Output;

use crate::support::server::{latchkey, refused};
use crate::support::{Server, TempDir};
use latchkey::db::{Db, Target};

fn serve(args: &[&str]) -> Output {
    let mut line = vec!["serve", "--addr", "127.0.0.1:0"];
    line.extend_from_slice(args);
    latchkey(&line)
}

#[test]
fn bad_flags_exit_2() {
    refused(
        &serve(&["--database-url", "mysql://root:hunter2@db/x"]),
        2,
        "--database-url must be a PostgreSQL URL",
    );
    // The password is not echoed.
    let out = serve(&["--database-url", "postgres:hunter2"]);
    refused(&out, 2, "--database-url");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hunter2"));
    refused(&serve(&["--data-dir", ""]), 2, "--data-dir must be a directory");
    refused(
        &serve(&["--data-dir", "a", "--data-dir", "b"]),
        2,
        "--data-dir was given twice",
    );
}

#[test]
fn unreachable_storage_exits_3() {
    let dir = TempDir::new("cli");
    let data = dir.path().to_str().unwrap();
    // Nothing listens on port 1.
    let out = serve(&[
        "--data-dir",
        data,
        "--database-url",
        "postgres://latchkey:secret@127.0.0.1:1/latchkey",
    ]);
    refused(&out, 3, "the database cannot be reached");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("secret"));
    // A data directory that cannot be created.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let inside = file.join("data");
    refused(
        &serve(&["--data-dir", inside.to_str().unwrap()]),
        3,
        "cannot create the data directory",
    );
}

#[test]
fn a_schema_from_a_newer_server_exits_4() {
    let dir = TempDir::new("cli");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let db = Db::open(&Target::in_data_dir(dir.path()), 0).await.unwrap();
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
            .execute(db.pool())
            .await
            .unwrap();
        db.close().await;
    });
    let out = serve(&["--data-dir", dir.path().to_str().unwrap()]);
    refused(&out, 4, "could not be brought up to date");
}

#[test]
fn the_data_directory_is_created_with_the_database_in_it() {
    let dir = TempDir::new("cli");
    let data = dir.path().join("nested").join("data");
    // Started means its first line said where it listens (the launcher checks it).
    let server = Server::start(&data, &[]);
    assert!(server.url.starts_with("http://127.0.0.1:"), "{}", server.url);
    assert!(data.join("latchkey.db").is_file());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&data).unwrap().permissions().mode() & 0o777, 0o700);
}
