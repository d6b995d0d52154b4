//! Every iCIMS URL the connector calls, in one place.
//!
//! All paths hang off `{api-base}/customers/{customerId}` and are lowercase (icims-api.md §1).

use crate::profile::ProfileType;

/// URL builder for one customer.
#[derive(Debug, Clone)]
pub struct Urls {
    customer: String,
}

impl Urls {
    pub fn new(api_base: &str, customer_id: u64) -> Self {
        Urls {
            customer: format!("{}/customers/{customer_id}", api_base.trim_end_matches('/')),
        }
    }

    /// `GET /customers/{cid}`: the customer's name and type (the connection check).
    pub fn customer(&self) -> String {
        self.customer.clone()
    }

    /// `POST /customers/{cid}/search/{type}[?staleness=N]`.
    pub fn search(&self, profile: ProfileType, staleness_minutes: Option<u32>) -> String {
        match staleness_minutes {
            Some(minutes) => format!(
                "{}/search/{}?staleness={minutes}",
                self.customer,
                profile.path()
            ),
            None => format!("{}/search/{}", self.customer, profile.path()),
        }
    }

    /// `POST /customers/{cid}/{type}` (create).
    pub fn collection(&self, profile: ProfileType) -> String {
        format!("{}/{}", self.customer, profile.path())
    }

    /// `GET|PATCH /customers/{cid}/{type}/{id}`.
    pub fn record(&self, profile: ProfileType, id: &str) -> String {
        format!("{}/{}/{id}", self.customer, profile.path())
    }

    /// `GET /customers/{cid}/{type}/{id}?fields=a,b,c`.
    pub fn record_fields(&self, profile: ProfileType, id: &str, fields: &[String]) -> String {
        format!("{}?fields={}", self.record(profile, id), fields.join(","))
    }

    /// `GET|PATCH /customers/{cid}/people/{id}/fields/resume/binary`.
    pub fn resume(&self, person_id: &str) -> String {
        format!("{}/people/{person_id}/fields/resume/binary", self.customer)
    }

    /// `GET /customers/{cid}/people/{id}/fields/resume/text`: the résumé's extracted text.
    pub fn resume_text(&self, person_id: &str) -> String {
        format!("{}/people/{person_id}/fields/resume/text", self.customer)
    }

    /// `GET /customers/{cid}/v2/lists/{listId}?size=1000` (List API, §8).
    pub fn list(&self, list_id: &str) -> String {
        format!("{}/v2/lists/{list_id}?size=1000", self.customer)
    }

    /// A link the List API returned for its next page: absolute, or relative to the API host.
    pub fn resolve_link(&self, link: &str) -> String {
        if link.starts_with("http://") || link.starts_with("https://") {
            return link.to_string();
        }
        let origin_end = self
            .customer
            .find("/customers/")
            .unwrap_or(self.customer.len());
        format!(
            "{}/{}",
            &self.customer[..origin_end],
            link.trim_start_matches('/')
        )
    }
}

/// The `host[:port]` of a URL, as the host's allow-list wants it.
pub fn authority(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_string()
}

/// The numeric id at the end of a URL such as a create's `Location`
/// (`…/applicantworkflows/19288`) or a link (`…/people/1`).
pub fn trailing_id(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit())).then(|| last.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_urls() {
        let urls = Urls::new("https://api.icims.com/", 1234);
        assert_eq!(urls.customer(), "https://api.icims.com/customers/1234");
        assert_eq!(
            urls.search(ProfileType::Person, None),
            "https://api.icims.com/customers/1234/search/people"
        );
        assert_eq!(
            urls.search(ProfileType::Workflow, Some(0)),
            "https://api.icims.com/customers/1234/search/applicantworkflows?staleness=0"
        );
        assert_eq!(
            urls.record_fields(ProfileType::Job, "7", &["jobtitle".into(), "folder".into()]),
            "https://api.icims.com/customers/1234/jobs/7?fields=jobtitle,folder"
        );
        assert_eq!(
            urls.resume("5"),
            "https://api.icims.com/customers/1234/people/5/fields/resume/binary"
        );
        assert_eq!(
            urls.list("lists.person.folders"),
            "https://api.icims.com/customers/1234/v2/lists/lists.person.folders?size=1000"
        );
        assert_eq!(
            urls.resolve_link("/customers/1234/v2/lists/x?page=2"),
            "https://api.icims.com/customers/1234/v2/lists/x?page=2"
        );
    }

    #[test]
    fn authorities_and_ids() {
        assert_eq!(authority("https://api.icims.com"), "api.icims.com");
        assert_eq!(authority("http://127.0.0.1:41234/base"), "127.0.0.1:41234");
        assert_eq!(
            trailing_id("https://api.icims.com/customers/1234/applicantworkflows/19288").as_deref(),
            Some("19288")
        );
        assert_eq!(
            trailing_id("/customers/1/people/77/").as_deref(),
            Some("77")
        );
        assert_eq!(
            trailing_id("https://api.icims.com/customers/1234/people/"),
            None
        );
        assert_eq!(trailing_id("https://x/people/abc"), None);
        assert_eq!(trailing_id(""), None);
    }
}
