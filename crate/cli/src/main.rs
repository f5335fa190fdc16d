//! `impartial`: check posts against impartiality rules from the command line.

use std::io::Read;
use std::process::ExitCode;

use impartial_core::{Engine, Profile, Strictness};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        _ => {
            eprintln!("usage: impartial check [TEXT]   (reads standard input when TEXT is absent)");
            ExitCode::from(2)
        }
    }
}

fn check(args: &[String]) -> ExitCode {
    let text = match args.first() {
        Some(text) => text.clone(),
        None => {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("impartial: cannot read standard input: {e}");
                return ExitCode::from(2);
            }
            text
        }
    };
    let engine = Engine::new(&Profile::example()).expect("the example profile compiles");
    let findings = engine.check(&text, Strictness::Standard);
    println!("{}", serde_json::to_string_pretty(&findings).expect("findings serialise"));
    if findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
