//! Rediscovery search: every filter of `POST /v1/connections/{c}/search` as a form, one row per
//! person (a duplicate cluster is one row, its other records linked), answered by the API's
//! own handler so that the page and the API find the same people.

use crate::Admin;
use crate::chrome::{Chrome, html};
use crate::page_error::{PageError, PageResult};
use crate::session::Signed;
use crate::words::{or_dash, when};
use askama::Template;
use ats_features::SearchFilters;
use ats_features::rediscovery::yes_or_no;
use ats_serve::body::JsonBody;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Html;
use serde::{Deserialize, Serialize};

/// The form as the browser sends it: text everywhere, lists separated by commas.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SearchForm {
    pub text: String,
    pub status: String,
    pub status_name: String,
    pub stage: String,
    pub job: String,
    /// `yes`, `no`, or empty for either.
    pub rejected: String,
    pub folder: String,
    pub source: String,
    /// Custom fields as `name=value`, separated by `;` (values may hold commas).
    pub field: String,
    pub applied_after: String,
    pub applied_before: String,
    pub updated_after: String,
    pub updated_before: String,
    pub page: String,
    pub per_page: String,
}

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

fn number(field: &str, text: &str) -> Result<Option<usize>, PageError> {
    some(text)
        .map(|t| {
            t.parse::<usize>()
                .map_err(|_| PageError::invalid(field, format!("`{t}` is not a whole number")))
        })
        .transpose()
}

impl SearchForm {
    /// The API's request; dates and stages are checked by the API's own validation.
    pub fn filters(&self) -> Result<SearchFilters, PageError> {
        Ok(SearchFilters {
            text: some(&self.text),
            status: list(&self.status),
            status_name: some(&self.status_name),
            stage: list(&self.stage),
            job: list(&self.job),
            rejected: some(&self.rejected)
                .map(|r| yes_or_no(&r).map_err(|e| PageError::invalid("rejected", e)))
                .transpose()?,
            folder: list(&self.folder),
            source: some(&self.source),
            field: self
                .field
                .split(';')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
            applied_after: some(&self.applied_after),
            applied_before: some(&self.applied_before),
            updated_after: some(&self.updated_after),
            updated_before: some(&self.updated_before),
            page: number("page", &self.page)?,
            per_page: number("per_page", &self.per_page)?,
        })
    }

    fn at_page(&self, page: usize) -> String {
        let form = SearchForm {
            page: page.to_string(),
            ..self.clone()
        };
        serde_urlencoded::to_string(&form).unwrap_or_default()
    }
}

pub struct HitLine {
    pub candidate_id: String,
    pub name: String,
    pub email: String,
    pub title: String,
    pub company: String,
    pub updated: String,
    pub score: String,
    pub duplicates: Vec<String>,
}

#[derive(Template)]
#[template(path = "candidates.html")]
struct SearchPage {
    chrome: Chrome,
    name: String,
    form: SearchForm,
    stages: String,
    problem: Option<String>,
    hits: Vec<HitLine>,
    page: usize,
    previous: Option<String>,
    next: Option<String>,
}

pub async fn search(
    State(admin): State<Admin>,
    signed: Signed,
    Path(name): Path<String>,
    Query(form): Query<SearchForm>,
) -> PageResult<(StatusCode, Html<String>)> {
    // Another tenant's connection is a 404 before any field is read.
    admin.service.connection_of(&signed.tenant, &name).await?;
    let mut page = SearchPage {
        chrome: Chrome::signed(format!("{name} candidates"), &signed),
        stages: ats_model::Stage::names(),
        problem: None,
        hits: Vec::new(),
        page: 1,
        previous: None,
        next: None,
        form: form.clone(),
        name: name.clone(),
    };
    let answer = match form.filters() {
        Ok(filters) => ats_serve::features::search(
            State(admin.service.clone()),
            signed.tenant.clone(),
            Path(name),
            JsonBody(filters),
        )
        .await
        .map_err(PageError::from),
        Err(e) => Err(e),
    };
    match answer {
        Ok(Json(found)) => {
            page.page = found.page;
            page.previous = (found.page > 1).then(|| form.at_page(found.page - 1));
            page.next = found.more.then(|| form.at_page(found.page + 1));
            page.hits = found
                .hits
                .into_iter()
                .map(|h| HitLine {
                    name: or_dash(h.name.as_deref()),
                    email: or_dash(h.email.as_deref()),
                    title: or_dash(h.title.as_deref()),
                    company: or_dash(h.company.as_deref()),
                    updated: when(h.updated_at),
                    score: format!("{:.2}", h.score),
                    duplicates: h.duplicates,
                    candidate_id: h.candidate_id,
                })
                .collect();
            Ok((StatusCode::OK, html(page)?))
        }
        // A filter the search refused: the form again, saying which and why.
        Err(e) if e.status.is_client_error() => {
            let status = e.status;
            page.problem = Some(e.message);
            Ok((status, html(page)?))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_the_apis_filters() {
        let form = SearchForm {
            text: " rust ".into(),
            stage: "interview, offer".into(),
            job: "J1,,J2".into(),
            rejected: "no".into(),
            page: "2".into(),
            ..SearchForm::default()
        };
        let f = form.filters().unwrap();
        assert_eq!(f.text.as_deref(), Some("rust"));
        assert_eq!(f.stage, vec!["interview", "offer"]);
        assert_eq!(f.job, vec!["J1", "J2"]);
        assert_eq!(
            (f.rejected, f.page, f.per_page),
            (Some(false), Some(2), None)
        );
        assert!(form.at_page(3).contains("page=3"));
    }

    #[test]
    fn a_bad_number_names_its_field() {
        let form = SearchForm {
            per_page: "many".into(),
            ..SearchForm::default()
        };
        let e = form.filters().unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert!(
            e.message.contains("per_page") && e.message.contains("many"),
            "{}",
            e.message
        );
    }
}
