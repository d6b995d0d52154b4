//! The progress display of long syncs: one line per stream with records, records/s, pages and
//! what it is waiting for. Drawn on stderr only when it is a terminal.

use ats_mirror::RunMode;
use ats_sync::{Progress, RunTotals};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Progress bars for the streams of a sync.
pub struct Bars {
    multi: MultiProgress,
    bars: Mutex<HashMap<String, (ProgressBar, Instant)>>,
}

impl Bars {
    /// Bars drawn on stderr when it is a terminal and `enabled`; hidden otherwise.
    pub fn new(enabled: bool) -> Self {
        let target = if enabled {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        Bars {
            multi: MultiProgress::with_draw_target(target),
            bars: Mutex::new(HashMap::new()),
        }
    }

    fn with_bar(&self, stream: &str, f: impl FnOnce(&ProgressBar, Instant)) {
        let bars = self.bars.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((bar, started)) = bars.get(stream) {
            f(bar, *started);
        }
    }
}

impl Progress for Bars {
    fn run_started(&self, stream: &str, mode: RunMode, resumed: bool) {
        let bar = self.multi.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix:>14} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_prefix(stream.to_string());
        let how = if resumed { "resuming" } else { "starting" };
        bar.set_message(format!("{how} a {} run", mode.as_str()));
        bar.enable_steady_tick(Duration::from_millis(120));
        self.bars
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(stream.to_string(), (bar, Instant::now()));
    }

    fn page_committed(&self, stream: &str, totals: &RunTotals) {
        self.with_bar(stream, |bar, started| {
            let seconds = started.elapsed().as_secs_f64().max(0.001);
            bar.set_message(format!(
                "{} records ({:.0}/s), {} pages, {} requests",
                totals.records,
                totals.records as f64 / seconds,
                totals.pages,
                totals.requests
            ));
        });
    }

    fn waiting(&self, stream: &str, why: &str, wait: Duration) {
        self.with_bar(stream, |bar, _| {
            bar.set_message(format!(
                "waiting {} for the {why}",
                crate::display::duration(wait.as_secs().max(1))
            ));
        });
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        for (_, (bar, _)) in self.bars.lock().unwrap_or_else(|e| e.into_inner()).drain() {
            bar.finish_and_clear();
        }
    }
}
