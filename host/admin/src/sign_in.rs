//! Signing in with a tenant's API token (checked by the same code as the API's bearer tokens)
//! and signing out. The sign-in form carries a token tied to the browser by a cookie, so another
//! site cannot sign a browser in to a session of its choosing.

use crate::Admin;
use crate::chrome::{Chrome, html};
use crate::page_error::{PageError, PageResult};
use crate::session::{
    SESSION_COOKIE, SIGN_IN_COOKIE, Signed, cookie, random_token, same_secret, set_cookie,
};
use askama::Template;
use ats_serve::auth::tenant_of_token;
use ats_serve::tokens::token_hash;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use serde::Deserialize;

/// How long a sign-in form stays good, seconds.
const FORM_LIFETIME: u64 = 30 * 60;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    form_csrf: String,
    problem: Option<String>,
}

fn sign_in_page(
    headers: &HeaderMap,
    status: StatusCode,
    problem: Option<String>,
) -> PageResult<Response> {
    let form_csrf = random_token();
    let page = html(SignInPage {
        chrome: Chrome::plain("Sign in"),
        form_csrf: form_csrf.clone(),
        problem,
    })?;
    Ok((
        status,
        [set_cookie(
            headers,
            SIGN_IN_COOKIE,
            &form_csrf,
            FORM_LIFETIME,
        )],
        page,
    )
        .into_response())
}

/// The sign-in form (a signed-in browser goes to its connections).
pub async fn form(signed: Option<Signed>, headers: HeaderMap) -> PageResult<Response> {
    if signed.is_some() {
        return Ok(Redirect::to("/admin").into_response());
    }
    sign_in_page(&headers, StatusCode::OK, None)
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    token: Option<String>,
    csrf: Option<String>,
}

/// Opens a session for the token's tenant.
pub async fn submit(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> PageResult<Response> {
    let expected = cookie(&headers, SIGN_IN_COOKIE);
    let genuine = matches!((&expected, &form.csrf), (Some(e), Some(s)) if same_secret(e, s));
    if !genuine {
        tracing::info!("admin sign-in refused: the form is not one this browser was given");
        return sign_in_page(
            &headers,
            StatusCode::FORBIDDEN,
            Some("This sign-in form is not one this browser was given (or it expired): sign in again from this page.".into()),
        );
    }
    let token = form.token.as_deref().map(str::trim).unwrap_or_default();
    if token.is_empty() {
        return sign_in_page(
            &headers,
            StatusCode::BAD_REQUEST,
            Some(
                "Enter an API token: the operator makes one with `ats token create --tenant T`."
                    .into(),
            ),
        );
    }
    let Some(tenant) = tenant_of_token(&admin.service, token)
        .await
        .map_err(PageError::from)?
    else {
        tracing::info!("admin sign-in refused: unknown or revoked token");
        return sign_in_page(
            &headers,
            StatusCode::UNAUTHORIZED,
            Some("That token is not valid (unknown or revoked). Ask the operator for one made with `ats token create --tenant T`.".into()),
        );
    };
    let id = admin.sessions.start(&tenant.0, &token_hash(token));
    tracing::info!(tenant = %tenant.0, "admin session opened");
    // Appended, not inserted: both are `Set-Cookie`.
    Ok((
        AppendHeaders([
            set_cookie(
                &headers,
                SESSION_COOKIE,
                &id,
                crate::session::SESSION_LIFETIME.as_secs(),
            ),
            set_cookie(&headers, SIGN_IN_COOKIE, "", 0),
        ]),
        Redirect::to("/admin"),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    pub csrf: Option<String>,
}

/// Ends the session.
pub async fn sign_out(
    State(admin): State<Admin>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> PageResult<Response> {
    signed.check_csrf(form.csrf.as_deref())?;
    admin.sessions.end(&signed.id);
    Ok((
        [set_cookie(&headers, SESSION_COOKIE, "", 0)],
        Redirect::to("/admin/login"),
    )
        .into_response())
}
