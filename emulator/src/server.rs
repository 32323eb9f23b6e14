//! The HTTP/1.1 server: accept loop (with shutdown signal and idle timeout),
//! one task per connection (keep-alive), request buffering, routing of one
//! port to every service (SSO portal, SSO-OIDC, device page, STS, control),
//! call counting, fault injection (async delays and error responses in each
//! service's own error format) and the one-line-per-request log.

use crate::state::Shared;
use crate::sts::StsError;
use crate::wire::{Reply, Req};
use crate::{Fault, control, ids, oidc, sso, sts};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::watch;

const MAX_BODY: usize = 1 << 20;

/// Which wire format a faulted operation speaks.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Service {
    Sso,
    Oidc,
    Sts,
}

enum Target {
    Op(Service, &'static str),
    UnknownStsAction(String),
    Device,
    Control,
    NotFound,
}

fn route(req: &Req, sts_params: &HashMap<String, String>) -> Target {
    if let Some(op) = sso::operation(&req.method, &req.path) {
        return Target::Op(Service::Sso, op);
    }
    if let Some(op) = oidc::operation(&req.method, &req.path) {
        return Target::Op(Service::Oidc, op);
    }
    if req.path == "/device" && req.method == hyper::Method::GET {
        return Target::Device;
    }
    if req.path.starts_with("/_emulator/") {
        return Target::Control;
    }
    if req.path == "/" && (req.method == hyper::Method::POST || req.method == hyper::Method::GET) {
        return match sts::operation(sts_params) {
            Ok(op) => Target::Op(Service::Sts, op),
            Err(action) => Target::UnknownStsAction(action),
        };
    }
    Target::NotFound
}

/// The error a fault produces, in the faulted service's format.
fn fault_reply(service: Service, fault: &Fault, request_id: &str) -> Reply {
    let message = fault.message.as_deref().unwrap_or("Injected fault");
    if service == Service::Sts {
        let (status, default_code) = match fault.status {
            429 | 400 => (400, "Throttling"),
            403 => (403, "AccessDenied"),
            503 => (503, "ServiceUnavailable"),
            s => (s, "InternalFailure"),
        };
        let code = fault.error_code.as_deref().unwrap_or(default_code);
        let message = if code == "Throttling" && fault.message.is_none() {
            "Rate exceeded"
        } else {
            message
        };
        return StsError::new(status, code, message).reply(request_id);
    }
    let default_code = match fault.status {
        400 => "InvalidRequestException",
        401 => "UnauthorizedException",
        403 if service == Service::Oidc => "AccessDeniedException",
        403 => "ForbiddenException",
        404 => "ResourceNotFoundException",
        429 => "TooManyRequestsException",
        503 => "ServiceUnavailableException",
        _ => "InternalServerException",
    };
    let code = fault.error_code.as_deref().unwrap_or(default_code);
    if service == Service::Oidc {
        oidc::error(fault.status, code, message)
    } else {
        Reply::json_error(fault.status, code, message)
    }
}

async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let started = Instant::now();
    shared.touch();
    let request_id = ids::request_id();
    let (parts, body) = req.into_parts();
    let method = parts.method.clone();
    let path = parts.uri.path().to_string();
    let (reply, op) = match Limited::new(body, MAX_BODY).collect().await {
        Err(_) => (
            Reply::json_error(413, "RequestEntityTooLarge", "Request body too large"),
            None,
        ),
        Ok(collected) => {
            let req = Req {
                method: parts.method,
                path: path.clone(),
                query: parts.uri.query().unwrap_or_default().to_string(),
                headers: parts.headers,
                body: collected.to_bytes(),
            };
            dispatch(&shared, &req, &request_id).await
        }
    };
    if shared.log.load(Ordering::Relaxed) {
        eprintln!(
            "{method} {path} {} -> {}{} ({} ms)",
            op.unwrap_or("-"),
            reply.status,
            reply
                .error_code
                .as_deref()
                .map(|c| format!(" {c}"))
                .unwrap_or_default(),
            started.elapsed().as_millis()
        );
    }
    shared.touch();
    reply.into_response(&request_id)
}

async fn dispatch(
    shared: &Arc<Shared>,
    req: &Req,
    request_id: &str,
) -> (Reply, Option<&'static str>) {
    let sts_params = if req.path == "/" {
        sts::params(req)
    } else {
        HashMap::new()
    };
    match route(req, &sts_params) {
        Target::Op(service, op) => {
            let fault = {
                let mut st = shared.lock();
                st.count(op);
                st.take_fault(op)
            };
            if let Some(f) = fault {
                if !f.delay.is_zero() {
                    tokio::time::sleep(f.delay).await;
                }
                if f.status != 0 {
                    return (fault_reply(service, &f, request_id), Some(op));
                }
            }
            let reply = match service {
                Service::Sso => sso::handle(shared, op, req),
                Service::Oidc => oidc::handle(shared, op, req),
                Service::Sts => sts::handle(shared, op, req, &sts_params, request_id),
            };
            (reply, Some(op))
        }
        Target::UnknownStsAction(action) => (sts::unknown_action(&action).reply(request_id), None),
        Target::Device => (oidc::device_page(shared, req), None),
        Target::Control => (control::handle(shared, req), None),
        Target::NotFound => (
            Reply::json_error(404, "UnknownOperationException", "Unknown operation"),
            None,
        ),
    }
}

/// Serve until `shutdown` flips to true or nothing arrives for `idle`.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
    idle: Option<Duration>,
) {
    loop {
        let idle_deadline = idle.and_then(|d| shared.last_activity().checked_add(d));
        let idle_wait = async {
            match idle_deadline {
                Some(at) => tokio::time::sleep_until(at.into()).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    break;
                }
            }
            () = idle_wait => {
                if let Some(d) = idle
                    && shared.last_activity().elapsed() >= d
                {
                    break;
                }
            }
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |req| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(handle(shared, req).await) }
                    });
                    let _ = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        }
    }
}
