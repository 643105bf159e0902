//! A refused connection, reported at once: a pool retries a refused connection until its
//! deadline (it assumes a server starting up), which a command-line tool should not wait for.

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Fails with the connection's own error when nothing listens on `host:port`. A host that does
/// not answer at all is left to the pool's timeout.
pub(crate) fn probe_tcp(host: &str, port: u16) -> Result<(), sqlx::Error> {
    let addrs = (host, port).to_socket_addrs().map_err(sqlx::Error::Io)?;
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
            Ok(_) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => last = Some(e),
            // Slow or filtered: the pool's own timeout speaks for it.
            Err(_) => return Ok(()),
        }
    }
    match last {
        Some(e) => Err(sqlx::Error::Io(e)),
        None => Ok(()),
    }
}
