use clap::Parser;

/// See server/Cargo.toml: a page render is allocation-heavy, and glibc's allocator was a fifth of it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let cli = agora_server::cli::Cli::parse();
    match agora_server::cli::run(cli).await {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}
