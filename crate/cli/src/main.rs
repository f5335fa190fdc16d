//! `impartial`: check posts against impartiality rules from the command line.
//!
//! Exit codes: 0 nothing to show, 1 findings shown, 2 bad usage or input.

mod audit;
mod docs;
mod eval;
mod eval_splits;
mod jsonl;
mod options;
mod render;

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use options::{CheckArgs, ColorChoice, EvalArgs, Format, PolicyArg};

#[derive(Parser)]
#[command(
    name = "impartial",
    version,
    about = "Warns public servants about posts that could breach their impartiality duties.",
    after_help = "Exit status: 0 nothing to show, 1 findings shown, 2 bad usage or input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a post (TEXT, or standard input), or a JSON Lines batch with --jsonl.
    Check(CheckArgs),
    /// List the rules a policy runs (all rules without --policy).
    Rules {
        #[arg(long, value_enum)]
        policy: Option<PolicyArg>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print a rule's documentation: what it does, why, examples, source.
    Explain {
        /// A rule id, e.g. uk.partisan.vote-for, or a judgement's, e.g. uk.judgement.partisan
        rule: String,
        /// With a judgement: how the trained scorer judges this post, cue by cue, with
        /// each feature's weight (under the judgement's pack's example profile).
        #[arg(long, value_name = "TEXT")]
        post: Option<String>,
    },
    /// Score the rules against a labelled corpus (files or directories of .jsonl files).
    #[command(after_help = "Exit status: 0 scored, 1 a --min-*/--max-* threshold not met, 2 bad usage or a bad line.")]
    Eval(EvalArgs),
    /// Audit past posts from a platform archive (X, Facebook, LinkedIn, Mastodon, Bluesky: the .zip,
    /// its folder) or a file of posts, and write a report (HTML, CSV or JSON).
    #[command(
        after_help = "Exit status: 0 nothing found, 1 findings, 2 bad usage or input (also when some files or posts could not be read: the report lists them)."
    )]
    Audit(audit::AuditArgs),
}

/// A failure that is the user's to fix: printed as `impartial: …`, exit 2.
pub struct UsageError(pub String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules { policy, format } => docs::list(policy.map(Into::into), format),
        Command::Explain { rule, post } => docs::explain(&rule, post.as_deref()),
        Command::Eval(args) if args.splits.is_some() => eval_splits::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Audit(args) => audit::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(UsageError(message)) => {
            eprintln!("impartial: {message}");
            ExitCode::from(2)
        }
    }
}

fn check(args: CheckArgs) -> Result<ExitCode, UsageError> {
    let setup = options::Setup::from_args(&args)?;
    if let Some(source) = &args.jsonl {
        return jsonl::run(source, &setup);
    }
    let text = match &args.text {
        Some(text) => text.clone(),
        None => read_stdin()?,
    };
    let engine = setup.engine(&setup.profile)?;
    let findings = engine.check(&text, setup.strictness);
    match args.format {
        Format::Json => {
            println!("{}", serde_json::to_string_pretty(&findings).expect("findings serialise"));
        }
        Format::Human => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            print!("{}", render::report(&text, &findings, &setup.describe(), color));
        }
    }
    Ok(if findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn read_stdin() -> Result<String, UsageError> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|e| UsageError(format!("cannot read standard input: {e}")))?;
    String::from_utf8(bytes).map_err(|_| UsageError("standard input is not UTF-8 text".into()))
}
