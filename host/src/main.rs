//! The `ats` command: a thin shell over [`ats_host::cli`].

fn main() -> std::process::ExitCode {
    ats_host::cli::main()
}
