//! The HTTP server: the application behind the connection [gate](crate::http::gate), on
//! HTTP/1.1.
//!
//! actix-web's `HttpServer` hands the socket straight to actix-http, leaving no place to
//! read a request before its parser; so the server is put together here from the same
//! parts (actix-server for the sockets and workers, actix-http's HTTP/1 service for the
//! protocol), with the gate between the socket and the protocol, and the settings
//! `HttpServer` would use.

use std::net::SocketAddr;
use std::time::Duration;

use actix_http::HttpService;
use actix_server::Server;
use actix_service::{ServiceFactoryExt, fn_service, map_config};
use actix_web::dev::AppConfig;
use actix_web::web;
use tokio::net::TcpStream;

use crate::disclosure::settings::DisclosureSettings;
use crate::http::gate::Gate;
use crate::{AppState, CorsOrigins};

/// How long a closing connection waits for the client to close too.
const DISCONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// A server listening on `addr`, not yet running; stopping on SIGINT or SIGTERM, and
/// giving requests under way up to `shutdown_timeout` seconds to finish.
pub fn bind(
    addr: SocketAddr,
    state: AppState,
    origins: CorsOrigins,
    disclosure: DisclosureSettings,
    shutdown_timeout: u64,
) -> std::io::Result<Server> {
    let disclosure = web::Data::new(disclosure);
    let server =
        Server::build().shutdown_timeout(shutdown_timeout).bind("gongkai", addr, move || {
            let app = crate::app(state.clone(), origins.clone()).app_data(disclosure.clone());
            let http = HttpService::build()
                // The gate times request heads out itself, with problem+json.
                .client_request_timeout(Duration::ZERO)
                .client_disconnect_timeout(DISCONNECT_TIMEOUT)
                .local_addr(addr)
                .on_connect_ext(|io: &Gate<TcpStream>, data| {
                    data.insert(io.refusal_slot());
                })
                .h1(map_config(app, move |()| AppConfig::default()));
            fn_service(|io: TcpStream| async move {
                let peer = io.peer_addr().ok();
                let _ = io.set_nodelay(true);
                Ok::<_, actix_http::error::DispatchError>((Gate::new(io), peer))
            })
            .and_then(http)
        })?;
    Ok(server.run())
}
