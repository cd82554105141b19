//! PostgreSQL over TLS: a URL's `sslmode` is honoured. There is no PostgreSQL with TLS here, so a
//! stand-in server answers the client's TLS request and shows what the client does next.

use tandem_store::Store;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

/// The 8-byte `SSLRequest` a PostgreSQL client sends before anything else to ask for TLS.
const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];

/// Listens once, answers the client's TLS request with `answer`, and returns the first byte the
/// client sends after it (none if it hangs up).
async fn stand_in(answer: u8) -> (String, tokio::task::JoinHandle<Option<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 8];
        socket.read_exact(&mut request).await.unwrap();
        assert_eq!(request, SSL_REQUEST, "the client asks for TLS first");
        socket.write_all(&[answer]).await.unwrap();
        let mut next = [0u8; 1];
        match socket.read(&mut next).await {
            Ok(1) => Some(next[0]),
            _ => None,
        }
    });
    (format!("127.0.0.1:{port}"), server)
}

#[tokio::test]
async fn sslmode_require_refuses_a_server_without_tls_instead_of_going_on_in_plain_text() {
    let (address, server) = stand_in(b'N').await;
    let err = Store::connect(&format!(
        "postgres://tandem@{address}/tandem?sslmode=require"
    ))
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("server does not support TLS"),
        "{err}"
    );
    assert_eq!(
        server.await.unwrap(),
        None,
        "nothing was sent in plain text"
    );
}

#[tokio::test]
async fn sslmode_verify_full_starts_a_tls_handshake_when_the_server_agrees() {
    let (address, server) = stand_in(b'S').await;
    let url = format!("postgres://tandem@{address}/tandem?sslmode=verify-full");
    let connecting = tokio::spawn(async move { Store::connect(&url).await });
    // 0x16 opens a TLS handshake record: the client's hello, sent because TLS is built in.
    assert_eq!(server.await.unwrap(), Some(0x16));
    assert!(
        connecting.await.unwrap().is_err(),
        "the stand-in cannot finish the handshake"
    );
}
