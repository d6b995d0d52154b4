//! The buttons: check now, sync now, pause and resume. Each checks the session's CSRF token,
//! then calls the API's own handler (same tenant check, same validation, same effect), and
//! sends the browser back to the connection's page to see the result.

use crate::Admin;
use crate::page_error::PageResult;
use crate::session::Signed;
use crate::sign_in::CsrfForm;
use ats_serve::body::OptionalJsonBody;
use ats_serve::connections::{self as api, SyncBody};
use axum::Form;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Redirect;

fn back(name: &str, done: &str) -> Redirect {
    Redirect::to(&format!("/admin/connections/{name}?done={done}"))
}

pub async fn sync(
    State(admin): State<Admin>,
    signed: Signed,
    Path(name): Path<String>,
    Form(form): Form<CsrfForm>,
) -> PageResult<Redirect> {
    signed.check_csrf(form.csrf.as_deref())?;
    // The page updates itself until the runs asked for from now on have ended.
    let asked = ats_sync::meter::now();
    // The answer (which streams) is for programs; the run log shows the run.
    let _accepted = api::sync(
        State(admin.service.clone()),
        signed.tenant.clone(),
        Path(name.clone()),
        OptionalJsonBody(SyncBody::default()),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/admin/connections/{name}?done=sync&asked={asked}"
    )))
}

pub async fn check(
    State(admin): State<Admin>,
    signed: Signed,
    Path(name): Path<String>,
    Form(form): Form<CsrfForm>,
) -> PageResult<Redirect> {
    signed.check_csrf(form.csrf.as_deref())?;
    let Json(report) = api::check(
        State(admin.service.clone()),
        signed.tenant.clone(),
        Path(name.clone()),
    )
    .await?;
    admin.remember_check(&name, report);
    Ok(back(&name, "check"))
}

pub async fn pause(
    State(admin): State<Admin>,
    signed: Signed,
    Path(name): Path<String>,
    Form(form): Form<CsrfForm>,
) -> PageResult<Redirect> {
    signed.check_csrf(form.csrf.as_deref())?;
    let _paused = api::pause(
        State(admin.service.clone()),
        signed.tenant.clone(),
        Path(name.clone()),
    )
    .await?;
    Ok(back(&name, "pause"))
}

pub async fn resume(
    State(admin): State<Admin>,
    signed: Signed,
    Path(name): Path<String>,
    Form(form): Form<CsrfForm>,
) -> PageResult<Redirect> {
    signed.check_csrf(form.csrf.as_deref())?;
    let _resumed = api::resume(
        State(admin.service.clone()),
        signed.tenant.clone(),
        Path(name.clone()),
    )
    .await?;
    Ok(back(&name, "resume"))
}
