//! The typed test client: JSON over real HTTP, as one device (its bearer token), from a chosen
//! loopback address and with a chosen `User-Agent`.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

/// One HTTP reply: status and JSON body (`Value::Null` when the body is empty or not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub text: String,
    pub headers: hyper::HeaderMap,
}

impl Reply {
    /// The error code of a JSON error, or "" when the reply is not one.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The first value of header `name`, if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a 303 See Other to `to` (a form answered as a browser expects).
    #[track_caller]
    pub fn redirects_to(&self, to: &str) -> &Reply {
        assert_eq!((self.status, self.header("location")), (303, Some(to)), "{}", self.text);
        self
    }

    /// Asserts the status, printing the body when it differs.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "unexpected reply: {}", self.text);
        &self.body
    }

    /// Asserts an error status and code.
    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str) {
        assert_eq!(
            (self.status, self.code()),
            (status, code),
            "unexpected reply: {}",
            self.text
        );
        assert!(
            !self.body["error"]["message"].as_str().unwrap_or("").is_empty(),
            "errors carry a message: {}",
            self.text
        );
    }
}

/// A JSON client for one server, optionally as one device (its bearer token), from a chosen
/// loopback address and with a chosen `User-Agent`.
#[derive(Clone)]
pub struct Api {
    client: Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    pub base: String,
    pub token: Option<String>,
    pub user_agent: Option<String>,
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            client: Client::builder(TokioExecutor::new()).build_http(),
            base: base.trim_end_matches('/').to_string(),
            token: None,
            user_agent: None,
        }
    }

    /// The same client, connecting from `ip` (all of 127/8 is loopback on Linux, so 127.0.0.2,
    /// 127.0.0.3… are distinct client addresses to the server).
    pub fn at_addr(&self, ip: &str) -> Api {
        let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
        connector.set_local_address(Some(ip.parse().expect("an IP address")));
        Api {
            client: Client::builder(TokioExecutor::new()).build(connector),
            ..self.clone()
        }
    }

    /// The same client, sending `User-Agent: ua`.
    pub fn with_user_agent(&self, ua: &str) -> Api {
        Api {
            user_agent: Some(ua.to_string()),
            ..self.clone()
        }
    }

    /// The same client, as the device holding `token`.
    pub fn as_device(&self, token: &str) -> Api {
        Api {
            token: Some(token.to_string()),
            ..self.clone()
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send("POST", path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send("PUT", path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send("PATCH", path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send("DELETE", path, None).await
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let bytes = body.map(|b| serde_json::to_vec(&b).unwrap());
        let content_type = bytes.as_ref().map(|_| "application/json");
        self.raw(method, path, content_type, bytes.unwrap_or_default(), &[])
            .await
    }

    /// Any request: for form posts (webhooks), odd content types and oversized bodies.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(format!("{}{}", self.base, path));
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(ua) = &self.user_agent {
            request = request.header("user-agent", ua);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self
            .client
            .request(request.body(Full::new(Bytes::from(body))).unwrap())
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Reply {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text,
            headers,
        }
    }
}
