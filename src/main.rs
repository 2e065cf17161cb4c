//! Wires settings -> state -> router -> serve. Nothing else lives here.

#[tokio::main]
async fn main() {
    use provider_portal::{config::Settings, server};

    // Operators' commands (`check`, `migrate`, `backup`, `import` ...) use
    // the same binary.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.is_empty() {
        std::process::exit(provider_portal::ops::run(&args).await);
    }
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("configuration: {e}");
            std::process::exit(2);
        }
    };
    server::logs::init(settings.log_format);
    tracing::info!(
        version = provider_portal::VERSION,
        commit = provider_portal::COMMIT,
        "starting"
    );
    let addr = settings.site_addr;
    let opts = server::leptos_options(&settings).await;
    let state = match server::build_state(settings, opts).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "cannot start");
            eprintln!("cannot start: {e}");
            std::process::exit(1);
        }
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    tracing::info!("serving at http://{addr}");
    if let Err(e) = server::serve_until(state, listener, server::stop_signal()).await {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
