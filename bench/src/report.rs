//! Figures as rows: measured value beside target and baseline, printed as they come and as a
//! table at the end.

use std::sync::Mutex;

#[derive(Clone, Debug)]
pub struct Row {
    pub figure: String,
    pub measured: String,
    pub target: String,
    pub baseline: String,
    /// `met`, `MISSED`, or `report` (no target to compare).
    pub verdict: String,
}

#[derive(Default)]
pub struct Report {
    rows: Mutex<Vec<Row>>,
}

pub fn verdict(met: bool) -> String {
    if met { "met" } else { "MISSED" }.to_string()
}

impl Report {
    pub fn add(
        &self,
        figure: &str,
        measured: impl Into<String>,
        target: &str,
        baseline: impl Into<String>,
        verdict: impl Into<String>,
    ) {
        let row = Row {
            figure: figure.into(),
            measured: measured.into(),
            target: target.into(),
            baseline: baseline.into(),
            verdict: verdict.into(),
        };
        println!(
            "  => {} | {} | target {} | baseline {} | {}",
            row.figure,
            row.measured,
            row.target,
            if row.baseline.is_empty() {
                "-"
            } else {
                &row.baseline
            },
            row.verdict
        );
        self.rows.lock().unwrap().push(row);
    }

    pub fn table(&self) -> String {
        let mut out = String::from(
            "| Figure | Measured | Target | Baseline | Verdict |\n|---|---|---|---|---|\n",
        );
        for r in self.rows.lock().unwrap().iter() {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                r.figure,
                r.measured,
                r.target,
                if r.baseline.is_empty() {
                    "–"
                } else {
                    &r.baseline
                },
                r.verdict
            ));
        }
        out
    }
}

/// The `q`-quantile of sorted durations, in milliseconds.
pub fn quantile_ms(sorted: &[std::time::Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}
