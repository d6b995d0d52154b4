//! Words the host and the connectors spell the same, written once.
//!
//! The host's model (`ats-model`) re-exports these types; the guest SDK (`ats-connector-sdk`)
//! gives its generated bindings the same names by converting to them. The names are the
//! `ats:connector` contract's own (`enum stage` in `wit/types.wit`): what settings such as
//! iCIMS's `status-map`, the mirror and the CLI read and write.

/// The generic stage of an application (`wit/types.wit`, `enum stage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "kebab-case")
)]
pub enum Stage {
    New,
    Screening,
    Interview,
    Offer,
    Hired,
    Rejected,
    Withdrawn,
    Other,
}

impl Stage {
    /// Every stage, in the contract's order.
    pub const ALL: [Stage; 8] = [
        Stage::New,
        Stage::Screening,
        Stage::Interview,
        Stage::Offer,
        Stage::Hired,
        Stage::Rejected,
        Stage::Withdrawn,
        Stage::Other,
    ];

    /// The stage's name (`screening`).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Screening => "screening",
            Stage::Interview => "interview",
            Stage::Offer => "offer",
            Stage::Hired => "hired",
            Stage::Rejected => "rejected",
            Stage::Withdrawn => "withdrawn",
            Stage::Other => "other",
        }
    }

    /// The stage named `text`, exactly as [`as_str`](Self::as_str) writes it.
    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Every stage's name, comma-separated (`new, screening, …, other`), for messages that say
    /// what is expected.
    pub fn names() -> String {
        Stage::ALL.map(Stage::as_str).join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_parses_back_from_its_name() {
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
        assert_eq!(Stage::parse("Screening"), None);
        assert_eq!(
            Stage::names(),
            "new, screening, interview, offer, hired, rejected, withdrawn, other"
        );
    }
}
