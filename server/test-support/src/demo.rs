//! A browser for the demo app over real HTTP: its session cookie and the CSRF field of its forms.

use latchkey::db::Db;

use super::client::{Api, Reply};

pub const PASSWORD: &str = "correct horse battery";

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
        let cookie = self.cookie.clone().map(|c| format!("northwind_session={c}"));
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
            if let Some(rest) = value.strip_prefix("northwind_session=") {
                self.cookie = Some(rest.split(';').next().unwrap().to_string());
            }
        }
        reply
    }

    pub async fn csrf(&mut self, path: &str) -> String {
        let page = self.send("GET", path, &[]).await;
        assert_eq!(page.status, 200, "GET {path}: {}", page.text);
        let start = page.text.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
        page.text[start..start + page.text[start..].find('"').unwrap()].to_string()
    }

    pub async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let csrf = self.csrf(path).await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.send("POST", path, &all).await
    }
}

#[track_caller]
pub fn redirects_to(reply: &Reply, to: &str) {
    assert_eq!(
        (
            reply.status,
            reply.headers.get("location").and_then(|l| l.to_str().ok())
        ),
        (303, Some(to)),
        "{}",
        reply.text
    );
}
