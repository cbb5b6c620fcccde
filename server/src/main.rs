use clap::Parser;

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
