//! What a suite run found: one outcome per invariant, and the table the CLI prints.

use serde::Serialize;
use std::fmt;

/// The contract's invariants, in the order the suite checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Invariant {
    /// `describe` is valid and complete.
    Describe,
    /// `check-connection` answers and reports every declared permission.
    CheckConnection,
    /// Every stream pages to the end; a cursor taken mid-way resumes without loss or repeat.
    Paging,
    /// Incremental streams return only records updated at or after `updated-since`.
    UpdatedSince,
    /// Errors are typed: a missing record is `not-found`, an undeclared write `unsupported`.
    TypedErrors,
    /// A record a page reports as untranslatable is in no other list of its page, says what is
    /// wrong and what to do, and `get` does not answer it either.
    RecordErrors,
    /// Declared writes can be read back as written.
    WritesRoundTrip,
    /// `attachment-text` answers text or none, and a missing attachment none or `not-found`.
    AttachmentText,
    /// No request left the declared API hosts, and the allow-list refuses others.
    AllowedHosts,
}

impl Invariant {
    pub const ALL: [Invariant; 9] = [
        Invariant::Describe,
        Invariant::CheckConnection,
        Invariant::Paging,
        Invariant::UpdatedSince,
        Invariant::TypedErrors,
        Invariant::RecordErrors,
        Invariant::WritesRoundTrip,
        Invariant::AttachmentText,
        Invariant::AllowedHosts,
    ];

    /// The kebab-case name printed in the table and used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Invariant::Describe => "describe",
            Invariant::CheckConnection => "check-connection",
            Invariant::Paging => "paging",
            Invariant::UpdatedSince => "updated-since",
            Invariant::TypedErrors => "typed-errors",
            Invariant::RecordErrors => "record-errors",
            Invariant::WritesRoundTrip => "writes-round-trip",
            Invariant::AttachmentText => "attachment-text",
            Invariant::AllowedHosts => "allowed-hosts",
        }
    }
}

impl fmt::Display for Invariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How one invariant fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", content = "detail", rename_all = "kebab-case")]
pub enum Outcome {
    /// Held; the text says what was exercised.
    Pass(String),
    /// Broken; the text is the one-line reason.
    Fail(String),
    /// Nothing to check (e.g. no incremental stream); the text says why.
    Skip(String),
}

impl Outcome {
    pub fn is_fail(&self) -> bool {
        matches!(self, Outcome::Fail(_))
    }

    pub fn detail(&self) -> &str {
        match self {
            Outcome::Pass(d) | Outcome::Fail(d) | Outcome::Skip(d) => d,
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Outcome::Pass(_) => "pass",
            Outcome::Fail(_) => "FAIL",
            Outcome::Skip(_) => "skip",
        }
    }
}

/// One invariant's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvariantResult {
    pub invariant: Invariant,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The outcome of a suite run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConformanceReport {
    /// The connector's id and version, as it described itself.
    pub connector: String,
    pub results: Vec<InvariantResult>,
}

impl ConformanceReport {
    /// True when no invariant failed (skips are not failures).
    pub fn passed(&self) -> bool {
        !self.results.iter().any(|r| r.outcome.is_fail())
    }

    /// The outcome of one invariant.
    pub fn outcome(&self, invariant: Invariant) -> Option<&Outcome> {
        self.results
            .iter()
            .find(|r| r.invariant == invariant)
            .map(|r| &r.outcome)
    }

    /// The invariants that failed.
    pub fn failures(&self) -> Vec<Invariant> {
        self.results
            .iter()
            .filter(|r| r.outcome.is_fail())
            .map(|r| r.invariant)
            .collect()
    }

    /// The pass/fail table, one line per invariant and a summary line.
    pub fn table(&self) -> String {
        let width = Invariant::ALL
            .iter()
            .map(|i| i.name().len())
            .max()
            .unwrap_or(0);
        let mut out = format!("conformance of {}\n", self.connector);
        out.push_str(&format!("{:width$}  result  detail\n", "invariant"));
        for r in &self.results {
            out.push_str(&format!(
                "{:width$}  {:6}  {}\n",
                r.invariant.name(),
                r.outcome.label(),
                r.outcome.detail()
            ));
        }
        let failed = self.failures().len();
        out.push_str(&if failed == 0 {
            "all invariants hold\n".to_string()
        } else {
            format!("{failed} of {} invariants FAILED\n", self.results.len())
        });
        out
    }
}

impl fmt::Display for ConformanceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.table())
    }
}
