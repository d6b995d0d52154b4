//! The generic stages by name, for the generated [`Stage`]. The names are written once, in
//! `ats-vocab` (which the host's model shares); this converts to it and back.

use crate::Stage;
use ats_vocab::Stage as Named;

impl From<Stage> for Named {
    fn from(stage: Stage) -> Named {
        match stage {
            Stage::New => Named::New,
            Stage::Screening => Named::Screening,
            Stage::Interview => Named::Interview,
            Stage::Offer => Named::Offer,
            Stage::Hired => Named::Hired,
            Stage::Rejected => Named::Rejected,
            Stage::Withdrawn => Named::Withdrawn,
            Stage::Other => Named::Other,
        }
    }
}

impl From<Named> for Stage {
    fn from(stage: Named) -> Stage {
        match stage {
            Named::New => Stage::New,
            Named::Screening => Stage::Screening,
            Named::Interview => Stage::Interview,
            Named::Offer => Stage::Offer,
            Named::Hired => Stage::Hired,
            Named::Rejected => Stage::Rejected,
            Named::Withdrawn => Stage::Withdrawn,
            Named::Other => Stage::Other,
        }
    }
}

impl Stage {
    /// The stage's name in the contract (`screening`).
    pub fn as_str(self) -> &'static str {
        Named::from(self).as_str()
    }

    /// The stage named `name`, exactly as [`as_str`](Self::as_str) writes it.
    pub fn parse(name: &str) -> Option<Stage> {
        Named::parse(name).map(Stage::from)
    }

    /// Every stage's name, comma-separated (`new, screening, …, other`).
    pub fn names() -> String {
        Named::names()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_the_shared_table() {
        for named in Named::ALL {
            let stage = Stage::from(named);
            assert_eq!(Named::from(stage), named);
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
    }
}
