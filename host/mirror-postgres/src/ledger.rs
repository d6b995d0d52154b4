//! The PostgreSQL [`LedgerStore`]: one row per connection in `quota_ledgers`; an update inserts
//! the row when missing, locks it with `SELECT … FOR UPDATE`, lets the caller decide, writes and
//! commits, so no other process on the database updates that ledger in between.
//!
//! The trait is synchronous: admission runs on the runtime's synchronous HTTP hook, on a tokio
//! worker thread. The pool's connections belong to the caller's runtime and cannot be driven
//! from inside it without blocking it (`block_in_place` also panics on a current-thread
//! runtime). So ledgers get one connection of their own, on a dedicated thread with its own
//! small runtime, and the caller waits on a channel. The caller's executor never has to run
//! anything for the answer to come, so waiting cannot deadlock; it holds its thread only for
//! one short transaction, as the SQLite ledger does. The update closure is neither `Send` nor
//! `'static`, so it stays on the caller's thread: the ledger thread sends the locked value,
//! waits for the new one, then writes it (a caller that panics drops its channel and the
//! transaction rolls back).
//!
//! The same thread connects and migrates the schema when the mirror opens, which lets a
//! synchronous caller open the mirror.

use crate::{Error, migrations};
use ats_mirror::{LedgerStore, MirrorError};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};
use std::sync::mpsc;

/// A ledger statement waits this long for another process's row lock before failing.
const LOCK_TIMEOUT: &str = "10s";

type Reply<T> = mpsc::Sender<Result<T, MirrorError>>;

enum Request {
    Read {
        connection: String,
        reply: Reply<Option<String>>,
    },
    Update {
        connection: String,
        /// The locked value goes out here, then the result of the write.
        reply: Reply<Option<String>>,
        /// The caller's decision: `Some(value)` to store, `None` to leave it.
        decision: mpsc::Receiver<Option<String>>,
    },
}

/// The handle to the ledger thread; dropping it ends the thread.
pub(crate) struct LedgerClient {
    requests: mpsc::Sender<Request>,
}

/// A ledger thread that is connecting; [`Starting::wait`] for it.
pub(crate) struct Starting {
    client: LedgerClient,
    started: mpsc::Receiver<Result<(), MirrorError>>,
}

impl Starting {
    /// Blocks until the thread has connected and migrated the schema.
    pub(crate) fn wait(self) -> Result<LedgerClient, MirrorError> {
        match self.started.recv() {
            Ok(Ok(())) => Ok(self.client),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(thread_gone()),
        }
    }
}

impl LedgerClient {
    /// Starts the ledger thread: it connects to the database, migrates it, then answers.
    pub(crate) fn start(options: PgConnectOptions, shown: String) -> Result<Starting, MirrorError> {
        let (requests, incoming) = mpsc::channel();
        let (started_tx, started) = mpsc::channel();
        std::thread::Builder::new()
            .name("ats-pg-ledger".into())
            .spawn(move || serve(options, shown, incoming, started_tx))
            .map_err(|e| MirrorError::backend("PostgreSQL", e))?;
        Ok(Starting {
            client: LedgerClient { requests },
            started,
        })
    }

    fn send(&self, request: Request) -> Result<(), MirrorError> {
        self.requests.send(request).map_err(|_| thread_gone())
    }
}

fn thread_gone() -> MirrorError {
    MirrorError::backend(
        "PostgreSQL",
        std::io::Error::other("the quota ledger's connection thread stopped"),
    )
}

impl LedgerStore for crate::PgMirror {
    fn update_ledger(
        &self,
        connection: &str,
        update: &mut dyn FnMut(Option<&str>) -> Option<String>,
    ) -> Result<(), MirrorError> {
        let (reply, answers) = mpsc::channel();
        let (decide, decision) = mpsc::channel();
        self.ledgers.send(Request::Update {
            connection: connection.to_string(),
            reply,
            decision,
        })?;
        let current = answers.recv().map_err(|_| thread_gone())??;
        let next = update(current.as_deref());
        decide.send(next).map_err(|_| thread_gone())?;
        answers.recv().map_err(|_| thread_gone())?.map(|_| ())
    }

    fn ledger(&self, connection: &str) -> Result<Option<String>, MirrorError> {
        let (reply, answer) = mpsc::channel();
        self.ledgers.send(Request::Read {
            connection: connection.to_string(),
            reply,
        })?;
        answer.recv().map_err(|_| thread_gone())?
    }
}

/// The ledger thread: one connection, reopened after it fails, answering one request at a time.
fn serve(
    options: PgConnectOptions,
    shown: String,
    incoming: mpsc::Receiver<Request>,
    started: mpsc::Sender<Result<(), MirrorError>>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let _ = started.send(Err(MirrorError::backend("PostgreSQL", e)));
            return;
        }
    };
    runtime.block_on(async move {
        let options = options.options([("lock_timeout", LOCK_TIMEOUT)]);
        let mut conn = match open(&options, &shown).await {
            Ok(conn) => conn,
            Err(e) => {
                let _ = started.send(Err(e));
                return;
            }
        };
        let _ = started.send(Ok(()));
        drop(started);
        // Blocking on the channel is fine here: nothing else runs on this thread's runtime.
        while let Ok(request) = incoming.recv() {
            if conn.is_none() {
                conn = connect(&options, &shown).await.ok();
            }
            let Some(c) = conn.as_mut() else {
                answer_unreachable(request, &shown);
                continue;
            };
            let result = match request {
                Request::Read { connection, reply } => {
                    let result = read(c, &connection).await;
                    let failed = result.is_err();
                    let _ = reply.send(result.map_err(MirrorError::from));
                    failed
                }
                Request::Update {
                    connection,
                    reply,
                    decision,
                } => update(c, &connection, &reply, &decision).await.is_err(),
            };
            // A failed statement may have broken the connection: open a fresh one next time.
            if result {
                conn = None;
            }
        }
    });
}

async fn open(
    options: &PgConnectOptions,
    shown: &str,
) -> Result<Option<PgConnection>, MirrorError> {
    let mut conn = connect(options, shown).await?;
    migrations::migrate(&mut conn).await?;
    Ok(Some(conn))
}

async fn connect(options: &PgConnectOptions, shown: &str) -> Result<PgConnection, MirrorError> {
    PgConnection::connect_with(options)
        .await
        .map_err(|e| crate::unreachable(shown, e))
}

fn answer_unreachable(request: Request, shown: &str) {
    let reply = match request {
        Request::Read { reply, .. } | Request::Update { reply, .. } => reply,
    };
    let _ = reply.send(Err(MirrorError::backend(
        "PostgreSQL",
        std::io::Error::other(format!(
            "the quota ledger's connection to {shown} is lost and could not be reopened"
        )),
    )));
}

async fn read(conn: &mut PgConnection, connection: &str) -> Result<Option<String>, Error> {
    Ok(
        sqlx::query_scalar("SELECT state FROM quota_ledgers WHERE connection = $1")
            .bind(connection)
            .fetch_optional(&mut *conn)
            .await?
            .flatten(),
    )
}

/// One locked read-modify-write; the caller's answers come over the channels.
async fn update(
    conn: &mut PgConnection,
    connection: &str,
    reply: &Reply<Option<String>>,
    decision: &mpsc::Receiver<Option<String>>,
) -> Result<(), ()> {
    let locked = async {
        let mut tx = conn.begin().await?;
        sqlx::query(
            "INSERT INTO quota_ledgers (connection, state, updated_at) VALUES ($1, NULL, 0) \
             ON CONFLICT (connection) DO NOTHING",
        )
        .bind(connection)
        .execute(&mut *tx)
        .await?;
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM quota_ledgers WHERE connection = $1 FOR UPDATE")
                .bind(connection)
                .fetch_one(&mut *tx)
                .await?;
        Ok::<_, Error>((tx, state))
    };
    let (mut tx, state) = match locked.await {
        Ok(locked) => locked,
        Err(e) => {
            let _ = reply.send(Err(e.into()));
            return Err(());
        }
    };
    // A dropped transaction rolls back only when its connection is next used, keeping the
    // row locked until then: roll back now when nothing is to be written.
    if reply.send(Ok(state)).is_err() {
        let _ = tx.rollback().await; // the caller is gone
        return Ok(());
    }
    // The caller decides on its own thread; a caller that panicked never answers.
    let Ok(next) = decision.recv() else {
        let _ = tx.rollback().await;
        return Ok(());
    };
    let written = async {
        if let Some(next) = next {
            sqlx::query(
                "UPDATE quota_ledgers SET state = $2, \
                 updated_at = extract(epoch FROM now())::bigint WHERE connection = $1",
            )
            .bind(connection)
            .bind(next)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(())
    };
    match written.await {
        Ok(()) => {
            let _ = reply.send(Ok(None));
            Ok(())
        }
        Err(e) => {
            let _ = reply.send(Err(e.into()));
            Err(())
        }
    }
}
