//! `ats token create|list|revoke`: the service's API tokens. A token is printed once, when
//! made; the mirror keeps only its hash.

use crate::Cli;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Make a token for a tenant and print it (once: it cannot be shown again).
    Create {
        /// The tenant the token acts for.
        #[arg(long)]
        tenant: String,
        /// A note on who holds it.
        #[arg(long)]
        label: Option<String>,
    },
    /// List the tokens not revoked (ids and tenants; never the tokens).
    List,
    /// Revoke a token by id (`tok_…`).
    Revoke { id: String },
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let host = crate::open_host(cli)?;
    let mirror = host.mirror.as_ref();
    match &args.action {
        Action::Create { tenant, label } => {
            let made = ats_serve::tokens::create_token(
                mirror,
                tenant,
                label.as_deref(),
                ats_features::unix_now(),
            )
            .await?;
            eprintln!(
                "token {} for tenant `{}`; it is shown once, keep it in the platform's secret store:",
                made.stored.id, made.stored.tenant
            );
            crate::output(&format!("{}\n", made.token))?;
        }
        Action::List => {
            let rows: Vec<Vec<String>> = mirror
                .api_tokens()
                .await?
                .into_iter()
                .map(|t| {
                    vec![
                        t.id,
                        t.tenant,
                        t.label.unwrap_or_default(),
                        ats_app::when::timestamp(t.created_at),
                    ]
                })
                .collect();
            crate::output(&crate::display::table(
                &["id", "tenant", "label", "created"],
                &rows,
            ))?;
        }
        Action::Revoke { id } => {
            if !mirror.revoke_api_token(id).await? {
                anyhow::bail!("no live token `{id}`: list them with `ats token list`");
            }
            eprintln!("revoked {id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
