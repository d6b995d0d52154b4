//! List API nodes (folders) and the status list (icims-api.md §4.4, §8).
//!
//! **Assumption:** the node JSON of `GET /v2/lists/{listId}` is not documented (the stored copy is
//! truncated). The connector accepts a top-level array of nodes, or an object holding one under
//! `nodes`, `listNodes` or `values`; each node is `{id, value, formattedvalue}` like every other
//! list node iCIMS returns. A next page, if any, is linked at `_links.next.href`.
//!
//! iCIMS has no endpoint listing workflow statuses, so the status list is the `status-map`
//! setting plus every status name seen on a workflow (cached in plugin storage).

use std::collections::BTreeMap;

use ats_connector_sdk::{Folder, FolderKind, Status};
use serde_json::Value;

use super::text;
use crate::settings::StatusMap;

/// The nodes of a List API answer.
pub fn nodes(body: &Value) -> &[Value] {
    if let Some(array) = body.as_array() {
        return array;
    }
    ["nodes", "listNodes", "values"]
        .iter()
        .find_map(|key| body.get(*key).and_then(Value::as_array))
        .map_or(&[], Vec::as_slice)
}

/// The link to the next page of a List API answer.
pub fn next_page(body: &Value) -> Option<&str> {
    let next = body.get("_links")?.get("next")?;
    next.get("href")
        .and_then(Value::as_str)
        .or_else(|| next.as_str())
}

/// Folders from a folder list (`lists.person.folders`, `lists.job.folders`).
pub fn folders(body: &Value, kind: FolderKind) -> Vec<Folder> {
    nodes(body)
        .iter()
        .filter_map(|node| {
            Some(Folder {
                id: text(node, "id")?,
                name: text(node, "value").or_else(|| text(node, "formattedvalue")),
                kind,
                raw: Some(node.to_string()),
            })
        })
        .collect()
}

/// The statuses: every id in `status-map` (with its stage), then every other status seen on
/// workflows; names come from the workflows seen (`names`, id → name).
pub fn statuses(map: &StatusMap, names: &BTreeMap<String, String>) -> Vec<Status> {
    let mut list: Vec<Status> = map
        .pairs()
        .map(|(stage, id)| Status {
            id: id.to_string(),
            name: names.get(id).cloned(),
            stage: Some(stage),
            raw: None,
        })
        .collect();
    for (id, name) in names {
        if !list.iter().any(|s| &s.id == id) {
            list.push(Status {
                id: id.clone(),
                name: Some(name.clone()),
                stage: Some(map.stage_of(id)),
                raw: None,
            });
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::tests::settings_with;
    use ats_connector_sdk::Stage;
    use serde_json::json;

    #[test]
    fn accepts_every_plausible_node_shape() {
        let node =
            json!({"id":"C16818","value":"Candidate: Active","formattedvalue":"Candidate: Active"});
        for body in [
            json!([node]),
            json!({"nodes":[node]}),
            json!({"listNodes":[node]}),
            json!({"values":[node], "_links":{}}),
        ] {
            let f = folders(&body, FolderKind::Candidate);
            assert_eq!(f.len(), 1, "{body}");
            assert_eq!(
                (f[0].id.as_str(), f[0].name.as_deref(), f[0].kind),
                ("C16818", Some("Candidate: Active"), FolderKind::Candidate)
            );
        }
        assert!(folders(&json!({"something":"else"}), FolderKind::Job).is_empty());
        assert_eq!(
            next_page(&json!({"_links":{"next":{"href":"/x?page=2"}}})),
            Some("/x?page=2")
        );
        assert_eq!(next_page(&json!({"_links":{"self":{"href":"/x"}}})), None);
    }

    #[test]
    fn statuses_from_map_and_cache() {
        let map = settings_with(&[("status-map", "new=D10100;hired=C23504")]).status_map;
        let names: BTreeMap<String, String> = [
            ("D10100", "Recently Applied"),
            ("C38355", "Lottery: Expired"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let list = statuses(&map, &names);
        let view: Vec<_> = list
            .iter()
            .map(|s| (s.id.as_str(), s.name.as_deref(), s.stage))
            .collect();
        assert_eq!(
            view,
            vec![
                ("D10100", Some("Recently Applied"), Some(Stage::New)),
                ("C23504", None, Some(Stage::Hired)),
                ("C38355", Some("Lottery: Expired"), Some(Stage::Other)),
            ]
        );
    }
}
