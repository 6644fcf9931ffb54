//! The demo app as the tests use it: `latchkey serve --demo` with `latchkey-demo` next to it
//! (sharing the webhook token), and a browser for it over real HTTP (its session cookie and the
//! CSRF field of its forms).

use std::path::Path;

use latchkey::db::Db;

use super::client::{Api, Reply};
use super::server::Server;
use super::sms::AUTH_TOKEN;

pub const PASSWORD: &str = "correct horse battery";
/// The session cookie's name.
pub const COOKIE: &str = "northwind_session";

/// `latchkey serve --demo` (a production server with the demo workspace) and the demo app next to
/// it, both given the same webhook token, as `./build.sh run` starts them.
pub struct DemoSite {
    pub server: Server,
    pub app: Server,
}

impl DemoSite {
    pub fn start(data_dir: &Path) -> DemoSite {
        Self::start_with(data_dir, &[])
    }

    /// [`DemoSite::start`] with more of the demo app's options (`--reauth-after 0`).
    pub fn start_with(data_dir: &Path, demo_args: &[&str]) -> DemoSite {
        let token = [("LATCHKEY_TWILIO_AUTH_TOKEN", AUTH_TOKEN)];
        let server = Server::start_with_env(data_dir, &["--demo"], &token);
        let app = Server::start_demo_with(&server, demo_args, &token);
        DemoSite { server, app }
    }

    /// A new browser (no cookie) on the demo app.
    pub fn browser(&self) -> Browser {
        Browser::new(self.app.api())
    }
}

/// The demo workspace's id, as the `--demo` seed recorded it.
pub async fn demo_workspace(db: &Db) -> String {
    let id = db
        .setting("demo_workspace_id")
        .await
        .unwrap()
        .expect("a server started with --demo");
    String::from_utf8(id).unwrap()
}

/// A browser for the demo: the session cookie and the CSRF field of the last page.
pub struct Browser {
    pub api: Api,
    pub cookie: Option<String>,
}

impl Browser {
    pub fn new(api: Api) -> Browser {
        Browser { api, cookie: None }
    }

    pub async fn send(&mut self, method: &str, path: &str, fields: &[(&str, &str)]) -> Reply {
        let cookie = self.cookie.clone().map(|c| format!("{COOKIE}={c}"));
        let headers: Vec<(&str, &str)> = cookie.as_deref().map(|c| ("cookie", c)).into_iter().collect();
        let (content_type, body) = if method == "POST" {
            let mut form = form_urlencoded::Serializer::new(String::new());
            for (n, v) in fields {
                form.append_pair(n, v);
            }
            (Some("application/x-www-form-urlencoded"), form.finish().into_bytes())
        } else {
            (None, Vec::new())
        };
        let reply = self.api.raw(method, path, content_type, body, &headers).await;
        for value in reply.headers.get_all("set-cookie") {
            let value = value.to_str().unwrap();
            if let Some(rest) = value.strip_prefix(&format!("{COOKIE}=")) {
                self.cookie = Some(rest.split(';').next().unwrap().to_string());
            }
        }
        reply
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send("GET", path, &[]).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.send("POST", path, fields).await
    }

    /// The CSRF token of the form on the page at `path`.
    pub async fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status, 200, "GET {path}: {}", page.text);
        csrf_of(&page.text)
    }

    /// Fills the form at `path` (with its CSRF token) and posts it.
    pub async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let csrf = self.csrf(path).await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(path, &all).await
    }
}

/// The CSRF token of a page's form.
pub fn csrf_of(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    html[start..start + html[start..].find('"').unwrap()].to_string()
}
