//! `gongkai`: the command line — serve, migrate, import a plan, issue a token, print the
//! OpenAPI document.

mod config;
mod database;
mod secrets;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use gongkai_api::CorsOrigins;
use gongkai_api::events::signal::follow;
use gongkai_api::http::auth::{TokenIssuer, TokenVerifier};
use gongkai_api::plans::import_types::ImportResult;
use gongkai_api::webhooks::worker::{Worker, WorkerConfig};

/// The variable of the opinion ledger's response limits per source.
const OPINION_RESPONSE_WORKDAYS: &str = "GONGKAI_OPINION_RESPONSE_WORKDAYS";
use gongkai_core::auth::Role;
use gongkai_store::plans::OnExisting;
use gongkai_store::{Actor, pool, seed, units};

use crate::database::{Database, Purpose};

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Gongkai (公开): the government-openness work plan service"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations, seed an empty database, serve HTTP.
    Serve {
        /// Listen address.
        #[arg(long, env = "GONGKAI_ADDR", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Database connections the server keeps at most.
        #[arg(long, env = "GONGKAI_DB_POOL_SIZE", default_value_t = 10,
              value_parser = clap::value_parser!(u32).range(1..=200))]
        pool_size: u32,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Parse a plan in the text-table format; print the import JSON on stdout.
    ImportPlan {
        /// The plan's text (UTF-8), as copied from the PDF or Word table.
        file: PathBuf,
        /// The plan's year.
        #[arg(long)]
        year: i32,
        /// The plan's title (default: "<issuer><year>年政务公开工作要点", a government named by
        /// its place: "开平市2022年政务公开工作要点"; a dry run knows the issuer only from
        /// --issuer given as a name).
        #[arg(long)]
        title: Option<String>,
        /// Parse and print only; needs no database.
        #[arg(long)]
        dry_run: bool,
        /// The issuing government, by name or id (default: the only top-level government).
        #[arg(long)]
        issuer: Option<String>,
        /// Replace the issuer's plan for this year if there is one (refused once evidence
        /// has been recorded against it).
        #[arg(long)]
        replace: bool,
    },
    /// Print a signed token as the only line on stdout.
    IssueToken {
        /// admin, coordinator, unit or viewer.
        #[arg(long)]
        role: String,
        /// The unit, by name (unique in the deployment) or id.
        #[arg(long)]
        unit: Option<String>,
        /// The subject (who the token is for).
        #[arg(long)]
        sub: Option<String>,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 3600)]
        ttl: i64,
    },
    /// Print the OpenAPI document.
    Openapi,
}

/// Logs to stderr; colour only when stderr is a terminal, so that log files and
/// collectors get plain text.
fn init_logging() {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    if config::env("GONGKAI_LOG_FORMAT").as_deref() == Some("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() {
    let cli = Cli::parse();
    init_logging();
    if let Err(e) = run(cli) {
        eprintln!("gongkai: {e:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve { addr, pool_size } => {
            let source = config::database_source()?;
            config::refuse_placeholder_secrets()?;
            let db = Database::open(&source, Purpose::Serve)?;
            serve(config::ServeConfig::from_env(addr, pool_size, &source)?, db)
        }
        Command::Migrate => {
            let db = Database::open(&config::database_source()?, Purpose::Migrate)?;
            let applied = migrate(db.url())?;
            eprintln!("gongkai: {} migration(s) applied", applied.len());
            Ok(())
        }
        Command::ImportPlan { file, year, title, dry_run, issuer, replace } => {
            import_plan(&file, year, title, dry_run, issuer, replace)
        }
        Command::IssueToken { role, unit, sub, ttl } => issue_token(&role, unit, sub, ttl),
        Command::Openapi => {
            let doc = gongkai_api::openapi::openapi();
            print!("{}", gongkai_api::openapi::to_json(&doc));
            Ok(())
        }
    }
}

fn connect(url: &str) -> Result<diesel::PgConnection> {
    use diesel::Connection;
    pool::ensure_database(url).map_err(|e| anyhow::anyhow!("{e}"))?;
    diesel::PgConnection::establish(url)
        .with_context(|| format!("cannot connect to PostgreSQL at {}", pool::redact(url)))
}

fn migrate(url: &str) -> Result<Vec<String>> {
    let mut conn = connect(url)?;
    pool::run_migrations(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Tells (on stderr) where a local database keeps its data, and how to get a token.
fn announce_local_database(db: &Database) {
    let (Some(cluster), Some(dir)) = (db.local_cluster(), db.data_dir()) else { return };
    let version = cluster.programs().version().unwrap_or_else(|| "?".into());
    eprintln!(
        "gongkai: data in {dir}: PostgreSQL {version} cluster in {cluster_dir} (run as {who}, \
         socket in {socket}, log {log}); secrets in {dir}/{jwt} and {dir}/{key}",
        dir = dir.display(),
        cluster_dir = cluster.root().display(),
        who = cluster.run_as().name(),
        socket = cluster.socket_dir().display(),
        log = cluster.log_file().display(),
        jwt = secrets::JWT_SECRET_FILE,
        key = secrets::DATA_KEY_FILE,
    );
    let command = "gongkai issue-token --role admin";
    match (config::env("GONGKAI_DATA_DIR"), std::env::current_dir()) {
        (None, Ok(cwd)) => {
            eprintln!("gongkai: for an admin token, run `{command}` in {}", cwd.display())
        }
        _ => eprintln!(
            "gongkai: for an admin token, run `GONGKAI_DATA_DIR={} {command}`",
            dir.display()
        ),
    }
}

fn serve(cfg: config::ServeConfig, db: Database) -> Result<()> {
    let url = db.url().to_string();
    let applied = migrate(&url)?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "migrations applied");
    }
    let mut conn = connect(&url)?;
    let report = seed::load_if_empty(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))?;
    if report.plan_loaded {
        tracing::info!("seeded the Kaiping 2021 plan");
    }
    if report.calendar_years_loaded > 0 {
        tracing::info!(years = report.calendar_years_loaded, "seeded the working-day calendar");
    }
    drop(conn);
    let verifier = TokenVerifier::new(
        cfg.jwt_secret.as_bytes(),
        cfg.jwt_public_key.as_deref(),
        &cfg.jwt_issuer,
    )
    .map_err(|e| anyhow::anyhow!(e))?;
    // The opinion ledger's response limits per source: a bad value stops the start.
    let opinion_limits = gongkai_core::opinion::ResponseLimits::parse(
        &std::env::var(OPINION_RESPONSE_WORKDAYS).unwrap_or_default(),
    )
    .map_err(|e| anyhow::anyhow!("{OPINION_RESPONSE_WORKDAYS}: {e}"))?;
    let state = gongkai_api::state(
        pool::build_pool(&url, cfg.pool_size),
        verifier,
        cfg.data_key.as_bytes(),
    )
    .with_public_rate_limit(cfg.public_rate_limit)
    .with_webhook_allow_hosts(cfg.webhook_allow_hosts.clone())
    .with_public_base_url(cfg.public_base_url.clone())
    .with_opinion_limits(opinion_limits);
    // Long polls and the webhook worker wake on events committed by any instance.
    let _follower = follow(url.clone(), state.events.clone())
        .context("cannot start the thread following events")?;
    let worker_config =
        WorkerConfig { allow: cfg.webhook_allow_hosts.clone(), ..WorkerConfig::default() };
    let worker = Worker::new(state.pool.clone(), cfg.data_key.as_bytes(), worker_config)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let signal = state.events.clone();
    let reminder_pool = state.pool.clone();
    let origins = CorsOrigins(cfg.cors_origins.clone());
    let disclosure = gongkai_api::disclosure::settings::DisclosureSettings::from_env()
        .map_err(|e| anyhow::anyhow!(e))?;
    tracing::info!(addr = %cfg.addr, database = %pool::redact(&url), "gongkai serving");
    announce_local_database(&db);
    // The server stops on SIGINT and SIGTERM, and `run` returns; dropping `db` afterwards
    // stops the local cluster (so does any error on the way here).
    let served = actix_web::rt::System::new().block_on(async move {
        actix_web::rt::spawn(gongkai_api::webhooks::worker::run(Arc::new(worker), signal));
        // Deadline reminders: at start-up, then once a day (each sent once, whatever the
        // number of instances).
        actix_web::rt::spawn(gongkai_api::reminders::job::run(
            reminder_pool,
            disclosure.clock,
            gongkai_api::http::clock::today,
        ));
        gongkai_api::server::bind(cfg.addr, state, origins, disclosure, 10)
            .with_context(|| format!("cannot listen on {}", cfg.addr))?
            .await
            .context("the server stopped with an error")
    });
    drop(db);
    served
}

fn resolve_unit(conn: &mut diesel::PgConnection, name_or_id: &str) -> Result<units::Unit> {
    if let Ok(id) = name_or_id.parse::<i64>() {
        return units::get(conn, id).map_err(|e| anyhow::anyhow!("unit {id}: {e}"));
    }
    let found = units::find_by_name(conn, name_or_id).map_err(|e| anyhow::anyhow!("{e}"))?;
    match found.len() {
        0 => bail!("no unit is named {name_or_id}"),
        1 => Ok(found.into_iter().next().context("unit vanished")?),
        n => bail!(
            "{n} units are named {name_or_id} (ids {}); give the id instead",
            found.iter().map(|u| u.id.to_string()).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn import_plan(
    file: &PathBuf,
    year: i32,
    title: Option<String>,
    dry_run: bool,
    issuer: Option<String>,
    replace: bool,
) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    if !(2000..=2100).contains(&year) {
        bail!("--year must be between 2000 and 2100");
    }
    let db = if dry_run {
        None
    } else {
        Some(Database::open(&config::database_source()?, Purpose::Use)?)
    };
    let mut conn = match &db {
        Some(db) => Some(connect(db.url())?),
        None => None,
    };
    let known: Vec<String> = match conn.as_mut() {
        Some(c) => units::list(c, &Default::default(), gongkai_store::PageRequest::first(10_000))
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .items
            .into_iter()
            .map(|u| u.name)
            .collect(),
        None => Vec::new(),
    };
    let known_refs: Vec<&str> = known.iter().map(String::as_str).collect();
    let mut parsed = gongkai_core::import::parse_plan_bytes(&bytes, &known_refs)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    parsed.check_year(year);
    let (plan_id, title) = match conn.as_mut() {
        None => {
            // Without a database the issuer is known only by the name given.
            let issuer_name = issuer.filter(|i| i.trim().parse::<i64>().is_err());
            let title = title.unwrap_or_else(|| {
                gongkai_core::plan::default_title(issuer_name.as_deref().unwrap_or(""), year)
            });
            (None, title)
        }
        Some(c) => {
            let issuer = match issuer {
                Some(i) => resolve_unit(c, &i)?,
                None => {
                    let tops = units::list(
                        c,
                        &units::UnitFilter::default(),
                        gongkai_store::PageRequest::first(10_000),
                    )
                    .map_err(|e| anyhow::anyhow!("{e}"))?
                    .items
                    .into_iter()
                    .filter(|u| u.parent_id.is_none())
                    .collect::<Vec<_>>();
                    match tops.len() {
                        1 => tops.into_iter().next().context("government vanished")?,
                        0 => bail!("there is no government yet: create one, or give --issuer"),
                        _ => bail!("there are several governments: say which with --issuer"),
                    }
                }
            };
            let title =
                title.unwrap_or_else(|| gongkai_core::plan::default_title(&issuer.name, year));
            let on_existing = if replace { OnExisting::Replace } else { OnExisting::Refuse };
            let plan = gongkai_store::plans::store_import(
                c,
                &Actor::system("cli"),
                issuer.id,
                year,
                &title,
                &parsed,
                on_existing,
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            (Some(plan.id), title)
        }
    };
    let out = ImportResult::new(plan_id, year, title, parsed);
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, &out)?;
    writeln!(stdout)?;
    Ok(())
}

fn issue_token(role: &str, unit: Option<String>, sub: Option<String>, ttl: i64) -> Result<()> {
    let role = Role::parse(role).with_context(|| {
        format!("unknown role `{role}`: use admin, coordinator, unit or viewer")
    })?;
    if !(1..=31_536_000).contains(&ttl) {
        bail!("--ttl must be between 1 second and one year");
    }
    let source = config::database_source()?;
    let secret = config::secret(
        "GONGKAI_JWT_SECRET",
        "the token signing secret",
        secrets::JWT_SECRET_FILE,
        &source,
        false,
    )?;
    let unit_id = match unit {
        None if role == Role::Unit => bail!("a unit token needs --unit"),
        None => None,
        Some(u) => {
            let db = Database::open(&source, Purpose::Use)?;
            let mut conn = connect(db.url())?;
            let id = resolve_unit(&mut conn, &u)?.id;
            drop(conn);
            Some(id)
        }
    };
    let sub = sub.unwrap_or_else(|| format!("cli-{}", role.as_str()));
    let token = TokenIssuer::new(secret.as_bytes(), &config::jwt_issuer())
        .issue(&sub, role, unit_id, ttl)
        .map_err(|e| anyhow::anyhow!(e))?;
    println!("{token}");
    Ok(())
}
