//! The few HTTP requests the Twilio provider makes, over hyper's client (already built for axum).
//! Plain HTTP by default (tests, or a local TLS-terminating proxy); with the `twilio-tls` feature,
//! HTTPS too, through rustls with Mozilla's root certificates (no OS trust store needed).

use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::{header, Method, Request};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// Twilio's answers are a few KB; a page of 50 numbers is about 40 KB.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(30);

#[cfg(not(feature = "twilio-tls"))]
type Connector = HttpConnector;
#[cfg(feature = "twilio-tls")]
type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// Whether this build can make https:// requests.
pub const TLS: bool = cfg!(feature = "twilio-tls");

pub struct HttpClient {
    client: Client<Connector, Full<Bytes>>,
}

pub struct HttpResponse {
    pub status: u16,
    pub body: Bytes,
}

impl HttpClient {
    pub fn new() -> HttpClient {
        #[cfg(not(feature = "twilio-tls"))]
        let connector = HttpConnector::new();
        #[cfg(feature = "twilio-tls")]
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .build();
        HttpClient {
            client: Client::builder(TokioExecutor::new()).build(connector),
        }
    }

    /// Sends one request with the given `Authorization` header and, if any, a form body.
    /// Errors are sentences for [`super::NumberError::Unreachable`].
    pub async fn send(
        &self,
        method: Method,
        url: &str,
        authorization: &str,
        form: Option<String>,
    ) -> Result<HttpResponse, String> {
        let mut request = Request::builder()
            .method(method)
            .uri(url)
            .header(header::AUTHORIZATION, authorization)
            .header(header::ACCEPT, "application/json")
            .header(header::USER_AGENT, concat!("latchkey/", env!("CARGO_PKG_VERSION")));
        if form.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let request = request
            .body(Full::new(Bytes::from(form.unwrap_or_default())))
            .map_err(|e| format!("bad request: {e}"))?;
        let exchange = async {
            let response = self.client.request(request).await.map_err(|e| describe(&e))?;
            let status = response.status().as_u16();
            let body = Limited::new(response.into_body(), MAX_RESPONSE_BYTES)
                .collect()
                .await
                .map_err(|e| format!("reading the response failed: {e}"))?
                .to_bytes();
            Ok::<_, String>(HttpResponse { status, body })
        };
        tokio::time::timeout(TIMEOUT, exchange)
            .await
            .map_err(|_| format!("no answer within {} seconds", TIMEOUT.as_secs()))?
    }
}

/// hyper's top-level error says little ("client error (Connect)"); its sources say why.
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
