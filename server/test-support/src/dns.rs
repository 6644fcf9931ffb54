//! A small DNS server on loopback UDP for sender verification (`latchkey serve --dns-server`):
//! it answers TXT queries from records a test publishes (DKIM keys, SPF, DMARC) and NXDOMAIN to
//! everything else. Messages are parsed and built by hickory-proto (the resolver's own codec,
//! through mail-auth), not by hand. [`DnsServer::silent`] reads queries and never answers: a DNS
//! server that is down or unreachable, for the timeout path.

use std::collections::HashMap;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mail_auth::hickory_resolver::proto::op::{Message, MessageType, ResponseCode};
use mail_auth::hickory_resolver::proto::rr::rdata::TXT;
use mail_auth::hickory_resolver::proto::rr::{RData, Record, RecordType};

type Zone = Arc<Mutex<HashMap<String, Vec<String>>>>;

pub struct DnsServer {
    pub addr: SocketAddr,
    zone: Zone,
    queries: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl DnsServer {
    /// Answers from the records [`DnsServer::txt`] publishes.
    pub fn start() -> DnsServer {
        Self::spawn(true)
    }

    /// Reads queries, answers none.
    pub fn silent() -> DnsServer {
        Self::spawn(false)
    }

    fn spawn(answers: bool) -> DnsServer {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind the test DNS server");
        socket.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
        let server = DnsServer {
            addr: socket.local_addr().unwrap(),
            zone: Zone::default(),
            queries: Arc::default(),
            stop: Arc::default(),
        };
        let (zone, queries, stop) = (server.zone.clone(), server.queries.clone(), server.stop.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while !stop.load(Ordering::Relaxed) {
                let Ok((n, from)) = socket.recv_from(&mut buf) else {
                    continue;
                };
                queries.fetch_add(1, Ordering::Relaxed);
                if !answers {
                    continue;
                }
                if let Some(reply) = answer(&zone, &buf[..n]) {
                    let _ = socket.send_to(&reply, from);
                }
            }
        });
        server
    }

    /// Publishes a TXT record (more than one at a name is allowed, as in DNS).
    pub fn txt(&self, name: &str, value: &str) {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.zone
            .lock()
            .unwrap()
            .entry(name)
            .or_default()
            .push(value.to_string());
    }

    /// How many queries came in.
    pub fn queries(&self) -> usize {
        self.queries.load(Ordering::Relaxed)
    }

    /// The value of `--dns-server`.
    pub fn arg(&self) -> String {
        self.addr.to_string()
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn answer(zone: &Zone, query: &[u8]) -> Option<Vec<u8>> {
    let request = Message::from_vec(query).ok()?;
    let mut response = Message::response(request.metadata.id, request.metadata.op_code);
    response.metadata.message_type = MessageType::Response;
    response.metadata.recursion_desired = request.metadata.recursion_desired;
    response.metadata.recursion_available = true;
    response.metadata.authoritative = true;
    let mut found = false;
    for q in &request.queries {
        response.add_query(q.clone());
        let name = q.name().to_ascii().trim_end_matches('.').to_ascii_lowercase();
        if q.query_type() != RecordType::TXT {
            continue;
        }
        if let Some(values) = zone.lock().unwrap().get(&name) {
            for value in values {
                // A TXT record's strings are at most 255 bytes each (a DKIM key is longer).
                let chunks = value
                    .as_bytes()
                    .chunks(255)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                response.add_answer(Record::from_rdata(q.name().clone(), 60, RData::TXT(TXT::new(chunks))));
                found = true;
            }
        }
    }
    if !found {
        response.metadata.response_code = ResponseCode::NXDomain;
    }
    response.to_vec().ok()
}
