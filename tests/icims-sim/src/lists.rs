//! List API (§8): `GET /v2/lists` (names) and `GET /v2/lists/{listId}` (one level of nodes,
//! paged by `size` ≤ 1000 and `page`). The node JSON shape is UNKNOWN in the reference; the
//! simulator answers `{"nodes":[{"id","value","formattedvalue"}],"_links":{"self":{"href"}[,"next"]}}`.

use serde_json::{Value, json};

use crate::config::{ListNode, Permission};
use crate::errors::{ApiError, ApiResult};
use crate::reply::{Reply, Req};
use crate::state::{Customer, Inner};

/// List names as documented (a subset of the published array).
pub const LIST_NAMES: &[&str] = &[
    "lists.notes.rejection",
    "lists.phone_type",
    "lists.address_type",
    "lists.position_level",
    "lists.job.folders",
    "lists.job.position_type",
    "lists.job.job_type",
    "lists.job.hire_type",
    "lists.job.priority",
    "lists.company.folders",
    "lists.person.folders",
    "lists.person.avail_status",
    "lists.sources",
    "lists.sourcechannels",
    "lists.country",
    "lists.skills",
    "lists.customfields_lists",
];

pub fn names() -> Reply {
    Reply::json(200, &json!({ "lists": LIST_NAMES }))
}

pub fn list(inner: &Inner, cust: &Customer, name: &str, req: &Req) -> ApiResult<Reply> {
    let c = &cust.cfg;
    let phone_types = [
        node("D83001", "Mobile"),
        node("D83002", "Home"),
        node("D83003", "Work"),
    ];
    let nodes: &[ListNode] = match name {
        "lists.person.folders" => {
            cust.allows(Permission::PersonFoldersList)?;
            &c.person_folders
        }
        "lists.job.folders" => &c.job_folders,
        "lists.company.folders" => &c.company_folders,
        "lists.sources" => &c.sources,
        "lists.phone_type" => &phone_types,
        n if LIST_NAMES.contains(&n) => &[],
        _ => return Err(ApiError::not_found("List")),
    };
    let size = req
        .query_param("size")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(1000)
        .clamp(1, 1000);
    let page = req
        .query_param("page")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(0);
    let start = page.saturating_mul(size).min(nodes.len());
    let end = (start + size).min(nodes.len());
    let base = format!("{}/customers/{}/v2/lists/{}", inner.api_base, c.id, name);
    let mut links = json!({"self": {"href": format!("{base}?page={page}&size={size}")}});
    if end < nodes.len() {
        links["next"] = json!({"href": format!("{base}?page={}&size={size}", page + 1)});
    }
    let out: Vec<Value> = nodes[start..end]
        .iter()
        .map(|n| json!({"id": n.id, "value": n.value, "formattedvalue": n.value}))
        .collect();
    Ok(Reply::json(200, &json!({"nodes": out, "_links": links})))
}

fn node(id: &str, value: &str) -> ListNode {
    ListNode {
        id: id.into(),
        value: value.into(),
    }
}
