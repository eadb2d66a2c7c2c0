use std::net::SocketAddr;

use app::api::ctx::ServerState;
use leptos::config::get_configuration;
use server::{config::Config, jobs, operator, router};
use tracing_subscriber::EnvFilter;

/// Many small allocations per request on every worker thread: mimalloc's thread-local heaps
/// instead of glibc's shared arenas (README "Benchmarks").
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        // Plain text when the log goes to a file (operators and tests grep it).
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match operator::parse(&args) {
        Ok(c) => c,
        Err(usage) => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    match command {
        operator::Command::Serve => {
            if let Err(e) = run().await {
                tracing::error!("{e}");
                std::process::exit(1);
            }
        }
        operator::Command::CreateProvinceAdmin {
            login,
            name,
            password_stdin,
        } => {
            // A command's answer is for the operator at the terminal: stdout and stderr.
            if let Err(e) = create_province_admin(&login, &name, password_stdin).await {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
}

/// `server admin create --role province …`: the database of `DATABASE_URL` (migrated if new).
async fn create_province_admin(
    login: &str,
    name: &str,
    password_stdin: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env()?;
    let password = if password_stdin {
        Some(operator::read_password()?)
    } else {
        None
    };
    let db = open(&config).await?;
    let made = data::service::auth::create_province_admin(&db, login, name, password.as_deref())
        .await
        .map_err(|e| e.message())?;
    match made {
        Some(one_time) => {
            println!("已创建省中心管理员 {login}。一次性密码（只显示这一次）：{one_time}\n首次登录后须修改密码。")
        }
        None => println!("已创建省中心管理员 {login}。"),
    }
    db.close().await?;
    Ok(())
}

/// The database of the configuration, its directory made if it is a new SQLite file.
async fn open(config: &Config) -> Result<data::Db, Box<dyn std::error::Error>> {
    if let Some(path) = config.database_url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or_default();
        if let Some(dir) = std::path::Path::new(file)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| format!("无法创建数据目录 {}: {e}", dir.display()))?;
        }
    }
    Ok(data::connect_with(&config.database_url, config.durability)
        .await
        .map_err(|e| format!("数据库连接或迁移失败: {e}"))?)
}

/// Start-up failures end the process with one log line; `String` messages are only for
/// one-off context on library errors.
async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env()?;
    let db = open(&config).await?;
    if config.demo
        && data::service::seed::load_demo(&db)
            .await
            .map_err(|e| format!("加载演示数据失败: {e}"))?
    {
        tracing::info!("demo data loaded (password {})", data::service::seed::DEMO_PASSWORD);
    }
    let mailer = match mail::SmtpConfig::from_env()? {
        Some(cfg) => {
            tracing::info!(host = %cfg.host, port = cfg.port, "mail goes out over SMTP");
            Some(mail::Mailer::new(&cfg)?)
        }
        None => {
            tracing::info!("SMTP_HOST not set: mail is written to the log (outbox)");
            None
        }
    };
    let sms = match server::sms::SmsGateway::from_env()? {
        Some(gateway) => {
            tracing::info!(url = %gateway.config().url, "SMS go out through the HTTP gateway");
            Some(gateway)
        }
        None => {
            tracing::info!("SMS_SENDER not http: SMS are written to the log (outbox)");
            None
        }
    };
    jobs::spawn(db.clone(), mailer, sms);
    let uploads = config.uploads.open()?;
    tracing::info!(store = ?uploads, "uploaded files are kept in this store until confirmed");
    jobs::spawn_upload_purge(uploads.clone());

    let conf = get_configuration(None).map_err(|e| format!("Leptos 配置错误: {e}"))?;
    let mut leptos_options = conf.leptos_options;
    if let Some(addr) = config.listen {
        leptos_options.site_addr = addr;
    }
    let addr = leptos_options.site_addr;
    let app = router(
        ServerState::new(db, config.secure_cookies)
            .with_uploads(uploads)
            .with_public_url(config.public_url.clone()),
        leptos_options,
    );
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("无法监听 {addr}: {e}"))?;
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
