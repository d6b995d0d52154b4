//! Process CPU time from /proc/self/stat: shows whether a load is bound by the machine's cores
//! (busy cores ≈ core count) or by waiting.

/// What the process has spent so far: CPU seconds and context switches (engine, mirror, runtime
/// and simulator together: they share the process).
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    pub cpu_seconds: f64,
    pub switches: u64,
}

impl Usage {
    pub fn now() -> Usage {
        Usage {
            cpu_seconds: process_seconds(),
            switches: context_switches(),
        }
    }

    /// What was spent since `self` was taken.
    pub fn since(self) -> Usage {
        let now = Usage::now();
        Usage {
            cpu_seconds: now.cpu_seconds - self.cpu_seconds,
            switches: now.switches.saturating_sub(self.switches),
        }
    }

    /// One line for a load of `records` that took `seconds`.
    pub fn print(&self, seconds: f64, records: u64) {
        let records = records.max(1) as f64;
        println!(
            "                  cpu {:.1} s, {:.0} µs per record, {:.2} cores busy, {:.2} context switches per record",
            self.cpu_seconds,
            self.cpu_seconds * 1e6 / records,
            self.cpu_seconds / seconds.max(1e-9),
            self.switches as f64 / records
        );
    }
}

/// User + system CPU seconds this process has used so far (0 when /proc is unreadable).
fn process_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis
    // start at field 3, so utime (14) and stime (15) are the 12th and 13th after it.
    let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
        return 0.0;
    };
    let mut fields = rest.split_whitespace().skip(11);
    let ticks = |f: Option<&str>| f.and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let (user, system) = (ticks(fields.next()), ticks(fields.next()));
    (user + system) / ticks_per_second()
}

/// Linux reports these in USER_HZ, 100 on every architecture Linux runs on today.
fn ticks_per_second() -> f64 {
    100.0
}

/// Context switches of all of this process's threads so far (voluntary + involuntary).
fn context_switches() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("status")).ok())
        .map(|status| {
            status
                .lines()
                .filter(|l| l.contains("ctxt_switches:"))
                .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum::<u64>()
        })
        .sum()
}
